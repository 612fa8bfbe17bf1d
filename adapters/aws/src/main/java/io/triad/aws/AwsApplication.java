package io.triad.aws;

import io.triad.functions.TriadAutoConfiguration;
import io.triad.functions.TriadFunctions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The suite as one Lambda function: the neutral functions plus {@link AwsRuntime}, no web server. */
@SpringBootConfiguration
@TriadAutoConfiguration
public class AwsApplication {

  /** Starts the context for {@code role}; {@code properties} ({@code key=value}) override the environment. */
  public static ConfigurableApplicationContext start(FunctionRole role, String... properties) {
    OnnxNatives.usePackaged(System.getenv("LAMBDA_TASK_ROOT"));
    return new SpringApplicationBuilder(AwsApplication.class)
        .initializers(new TriadFunctions(), new AwsRuntime(role))
        .web(WebApplicationType.NONE)
        .bannerMode(Banner.Mode.OFF)
        .logStartupInfo(false)
        .properties(modelDefaults(System.getenv(AwsSettings.MODELS)))
        .properties(properties)
        .run();
  }

  /**
   * One default entry per model in {@code TRIAD_MODELS}, so each is a configured model (readiness
   * covers it) and Spring never binds the plain list, which it would see as {@code triad.models},
   * to the per-model settings map. application.yaml's entries win over these defaults.
   */
  static Map<String, Object> modelDefaults(String models) {
    Map<String, Object> defaults = new LinkedHashMap<>();
    AwsSettings.models(models).forEach(m -> defaults.put("triad.models." + m + ".training-data", "data/" + m + "/train.csv"));
    return defaults;
  }
}
