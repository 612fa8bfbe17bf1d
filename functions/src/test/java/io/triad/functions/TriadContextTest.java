package io.triad.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.PredictCall;
import io.triad.functions.api.Predictions;
import io.triad.functions.config.TriadProperties;
import io.triad.functions.http.HttpAnswer;
import io.triad.functions.http.HttpCall;
import io.triad.functions.http.InferenceApi;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestKeyFile;
import io.triad.functions.testing.TestModels;
import io.triad.functions.training.TrainingLauncher;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The clouds' start without {@code SpringApplication}: the catalog composes and converts as Spring
 * Cloud Function's auto-configuration would, settings come from the packaged {@code
 * application.yaml} of the function's own class loader with the caller's and the JVM's above it,
 * and Boot's logging system takes its settings from them.
 */
@ExtendWith(OutputCaptureExtension.class)
class TriadContextTest {
  private static final String IRIS =
      "{\"instances\":[{\"sepal_length\":5.1,\"sepal_width\":3.5,\"petal_length\":1.4,\"petal_width\":0.2}]}";

  @TempDir Path bucket;
  @TempDir Path packaged;
  private BlobStore store;

  @BeforeEach
  void publish() throws Exception {
    store = new FileSystemBlobStore(bucket);
    new TestModels(store).publishIris("1");
  }

  @Test
  void catalog_should_composeTheFunctionsByName_when_startedWithoutSpringApplication(
      CapturedOutput output) throws Exception {
    try (ConfigurableApplicationContext context = start(loader(""), "triad.catalog=iris")) {
      // when the predict route's composition is looked up and called with a neutral record
      Function<PredictCall, Predictions> records =
          context.getBean(FunctionCatalog.class).lookup(TriadFunctions.PREDICT_RECORDS);
      JsonNode flower =
          context.getBean("triadJson", ObjectMapper.class).readTree(IRIS).path("instances").get(0);
      PredictCall call = PredictCall.json("iris", null, java.util.List.of(flower));

      // then the three functions ran in order, and the HTTP front answers through them too
      assertThat(records).isNotNull();
      assertThat(records.apply(call).predictions()).hasSize(1);
      HttpAnswer answer = predict(context);
      assertThat(answer.status()).as(new String(answer.body())).isEqualTo(200);
    }
    // and the catalog's spurious warning for functionally registered functions is not logged
    assertThat(output.getOut()).doesNotContain("Failed to locate function");
  }

  @Test
  void settings_should_rankCallerThenJvmThenPackagedDefaults() throws Exception {
    // given packaged defaults for three settings
    ClassLoader loader =
        loader(
            """
            triad:
              alias-refresh: 7s
              micro-batch-rows: 17
              max-body-bytes: 1000
            """);
    System.setProperty("triad.micro-batch-rows", "33");
    System.setProperty("triad.max-body-bytes", "2000");
    try (ConfigurableApplicationContext context =
        start(loader, "triad.catalog=iris", "triad.max-body-bytes=3000")) {
      TriadProperties properties = context.getBean(TriadProperties.class);

      // then the caller's setting wins, then the JVM's, then the package's
      assertThat(properties.maxBodyBytes()).isEqualTo(3000);
      assertThat(properties.microBatchRows()).isEqualTo(33);
      assertThat(properties.aliasRefresh()).isEqualTo(Duration.ofSeconds(7));
    } finally {
      System.clearProperty("triad.micro-batch-rows");
      System.clearProperty("triad.max-body-bytes");
    }
  }

  @Test
  void settings_should_includeTheStacksJsonDocument() throws Exception {
    // given the per-model settings as the stacks give them (SPRING_APPLICATION_JSON, here in its
    // system-property form), over packaged defaults
    ClassLoader loader = loader("triad:\n  micro-batch-rows: 17\n");
    System.setProperty(
        "spring.application.json",
        "{\"triad\":{\"micro-batch-rows\":44,\"models\":{\"iris\":{\"gate\":{\"minimum\":0.75}}}}}");
    try (ConfigurableApplicationContext context = start(loader, "triad.catalog=iris")) {
      TriadProperties properties = context.getBean(TriadProperties.class);

      // then the document's settings are read, above the package's
      assertThat(properties.microBatchRows()).isEqualTo(44);
      assertThat(properties.model("iris").gate().minimum()).isEqualTo(0.75);
    } finally {
      System.clearProperty("spring.application.json");
    }
  }

  @Test
  void logging_should_takeItsLevelsAndPatternFromTheSettings(CapturedOutput output)
      throws Exception {
    // given packaged logging settings (YAML reads an unquoted off as false)
    ClassLoader loader =
        loader(
            """
            logging:
              level:
                root: warn
                io.triad.quiet: off
                io.triad.told: info
              pattern:
                console: "%-5level [%logger{0}] %msg%n"
            """);
    try (ConfigurableApplicationContext context = start(loader, "triad.catalog=iris")) {
      assertThat(context.isActive()).isTrue();
      // when three loggers write
      LoggerFactory.getLogger("io.triad.told.Here").info("told at info");
      LoggerFactory.getLogger("io.triad.quiet.There").error("quiet even at error");
      LoggerFactory.getLogger("org.example.Other").info("other at info");
    }

    // then only the one set to INFO is written, in the pattern given
    assertThat(output.getOut()).contains("INFO  [Here] told at info");
    assertThat(output.getOut()).doesNotContain("quiet even at error").doesNotContain("other at");
  }

  @Test
  void logging_should_writeJsonLines_when_theSwitchIsOn(CapturedOutput output) throws Exception {
    try (ConfigurableApplicationContext context =
        start(loader(""), "triad.catalog=iris", "triad.logging.json=true")) {
      // when a request is served
      assertThat(predict(context).status()).isEqualTo(200);
    }

    // then its access line is one JSON object naming the request
    JsonNode access =
        output
            .getOut()
            .lines()
            .filter(line -> line.startsWith("{") && line.contains("\"io.triad.access\""))
            .map(TriadContextTest::json)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no JSON access line in\n" + output.getOut()));
    assertThat(access.path("request_id").asText()).isEqualTo("context-1");
    assertThat(access.path("model_version").asText()).isEqualTo("1");
  }

  @Test
  void start_should_refuseInPlainWords_when_aLevelIsNotALevel() throws Exception {
    assertThatThrownBy(() -> start(loader(""), "logging.level.io.triad=loud"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the setting logging.level.io.triad=loud is not a level (one of [");
  }

  @Test
  void start_should_leaveLoggingWorking_when_aBeanFailsToStart(CapturedOutput output)
      throws Exception {
    // when a registration fails while the context starts
    ApplicationContextInitializer<GenericApplicationContext> broken =
        context ->
            context.registerBean(
                "broken",
                String.class,
                () -> {
                  throw new IllegalStateException("the broken bean");
                });
    assertThatThrownBy(
            () ->
                TriadContext.using(loader(""))
                    .properties("triad.catalog=iris")
                    .start(new TriadFunctions(), runtime(), broken))
        .hasRootCauseMessage("the broken bean");

    // then the next start configures logging afresh
    try (ConfigurableApplicationContext context =
        start(loader("logging.level.io.triad.after: info\n"), "triad.catalog=iris")) {
      assertThat(context.isActive()).isTrue();
      LoggerFactory.getLogger("io.triad.after.Start").info("logged after a failed start");
    }
    assertThat(output.getOut()).contains("logged after a failed start");
  }

  @Test
  void extensions_should_registerBeforeTheRuntime_when_listedOnTheClassPath() throws Exception {
    // given a class path that lists an extension
    ClassLoader loader = loader("");
    Path services =
        Path.of(loader.getResource(TriadContext.DEFAULTS).toURI())
            .resolveSibling("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(
        services.resolve(ContextExtension.class.getName()), Marking.class.getName() + "\n");

    try (ConfigurableApplicationContext context = start(loader, "triad.catalog=iris")) {
      // then its bean is in the context, registered before the runtime's store
      assertThat(context.getBean("extensionMark")).isEqualTo("registered before the store: true");
    }
  }

  /** An extension as a deployment would list one. */
  public static final class Marking implements ContextExtension {
    @Override
    public void initialize(GenericApplicationContext context) {
      boolean before = !context.containsBeanDefinition(BlobStore.class.getName());
      context.registerBean(
          "extensionMark", String.class, () -> "registered before the store: " + before);
    }
  }

  @Test
  void start_should_refuseASecondRegistrationUnderOneName() throws Exception {
    ApplicationContextInitializer<GenericApplicationContext> twice =
        context -> context.registerBean("triadJson", String.class, () -> "not a mapper");
    assertThatThrownBy(
            () ->
                TriadContext.using(loader(""))
                    .properties("triad.catalog=iris")
                    .start(new TriadFunctions(), runtime(), twice))
        .hasMessageContaining("triadJson");
  }

  @Test
  void properties_should_refuseASettingWithoutAValue() {
    assertThatThrownBy(() -> TriadContext.using(getClass().getClassLoader()).properties("triad"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a setting is key=value, not 'triad'");
  }

  private ConfigurableApplicationContext start(ClassLoader loader, String... settings) {
    return TriadContext.using(loader)
        .properties(TestModels.TRUST_SETTING, TestKeyFile.setting())
        .properties(settings)
        .start(new TriadFunctions(), runtime());
  }

  private ApplicationContextInitializer<GenericApplicationContext> runtime() {
    TrainingLauncher launcher = new RecordingTrainingLauncher();
    return context -> {
      context.registerBean(BlobStore.class, () -> store);
      context.registerBean(TrainingLauncher.class, () -> launcher);
    };
  }

  /** A class loader whose only resource is an {@code application.yaml} of {@code yaml}. */
  private ClassLoader loader(String yaml) throws IOException {
    Path root = Files.createTempDirectory(packaged, "package");
    Files.writeString(root.resolve(TriadContext.DEFAULTS), yaml);
    return new URLClassLoader(new URL[] {root.toUri().toURL()}, getClass().getClassLoader()) {
      @Override
      public URL getResource(String name) {
        // the package's own defaults, not a test class path's
        return name.equals(TriadContext.DEFAULTS) ? findResource(name) : super.getResource(name);
      }
    };
  }

  private static HttpAnswer predict(ConfigurableApplicationContext context) {
    return context
        .getBean(InferenceApi.class)
        .handle(
            new HttpCall(
                "POST",
                "/v1/models/iris:predict",
                Map.of("content-type", "application/json", "x-request-id", "context-1"),
                IRIS.getBytes(StandardCharsets.UTF_8)));
  }

  private static JsonNode json(String line) {
    try {
      return new ObjectMapper().readTree(line);
    } catch (IOException e) {
      throw new AssertionError(line, e);
    }
  }
}
