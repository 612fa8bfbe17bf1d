package io.triad.functions.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.http.HttpAnswer;
import io.triad.functions.http.HttpCall;
import io.triad.functions.http.InferenceApi;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code triad.logging.json=true}: the console writes one JSON object a line (Spring Boot's ECS
 * format), and each HTTP request gets one access line whose fields name the request id, the model,
 * the version that answered, the status and the time.
 */
@ExtendWith(OutputCaptureExtension.class)
class JsonLoggingTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path bucket;

  /**
   * Spring Boot's start leaves the console's format in a JVM system property, which would turn
   * every later start of this test JVM to JSON.
   */
  @AfterEach
  void forgetTheFormat() {
    System.clearProperty("CONSOLE_LOG_STRUCTURED_FORMAT");
  }

  @Test
  void requests_should_beLoggedAsJsonWithTheirIdModelAndVersion(CapturedOutput output)
      throws Exception {
    new TestModels(new FileSystemBlobStore(bucket)).publishIris("1");
    HttpAnswer answer;
    try (ConfigurableApplicationContext context =
        TriadTestApp.start(
            bucket,
            new RecordingTrainingLauncher(),
            "triad.logging.json=true",
            "triad.catalog=iris")) {
      answer =
          context
              .getBean(InferenceApi.class)
              .handle(
                  new HttpCall(
                      "POST",
                      "/v1/models/iris:predict",
                      Map.of("content-type", "application/json", "x-request-id", "json-log-1"),
                      "{\"instances\":[{\"sepal_length\":5.1,\"sepal_width\":3.5,\"petal_length\":1.4,\"petal_width\":0.2}]}"
                          .getBytes(StandardCharsets.UTF_8)));
    }

    assertThat(answer.status()).isEqualTo(200);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : output.getOut().split("\n")) {
      if (line.startsWith("{")) {
        lines.add(JSON.readTree(line));
      }
    }
    assertThat(lines).as("JSON lines on the console:\n%s", output.getOut()).isNotEmpty();
    JsonNode access =
        lines.stream()
            .filter(l -> l.path("log").path("logger").asText().equals("io.triad.access"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no access line in\n" + output.getOut()));
    assertThat(access.path("message").asText()).startsWith("POST /v1/models/iris:predict 200 ");
    assertThat(access.path("request_id").asText()).isEqualTo("json-log-1");
    assertThat(access.path("model").asText()).isEqualTo("iris");
    assertThat(access.path("model_version").asText()).isEqualTo("1");
    assertThat(access.path("status").asText()).isEqualTo("200");
    assertThat(access.path("duration_ms").asLong(-1)).isNotNegative();
  }

  @Test
  void anExplicitSetting_should_winOverTheSwitch() {
    org.springframework.core.env.StandardEnvironment environment =
        new org.springframework.core.env.StandardEnvironment();
    environment
        .getPropertySources()
        .addFirst(
            new org.springframework.core.env.MapPropertySource(
                "given",
                Map.of(
                    "triad.logging.json",
                    "true",
                    "logging.structured.format.console",
                    "logstash")));
    new JsonLogging().postProcessEnvironment(environment, null);

    assertThat(environment.getProperty("logging.structured.format.console")).isEqualTo("logstash");
    assertThat(environment.getProperty("triad.access-log")).isEqualTo("true");
  }
}
