package io.triad.bench;

import ai.onnxruntime.OrtEnvironment;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.aws.AwsSettings;
import io.triad.aws.SpringApplicationEntry;
import io.triad.aws.bench.PlainOnnxHandler;
import io.triad.aws.testing.LambdaProcess;
import io.triad.bench.levers.EveryAutoConfiguration;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Lambda package unpacked as a task root, and a second task root for the plain handler (its
 * class plus Jackson and ONNX Runtime in {@code lib/}, natives from the package's pre-extracted
 * {@code native/linux-x64}); both run on the real runtime interface client as the managed runtime
 * launches it, with the managed runtime's JVM options. Triad reads the model from s3rver.
 */
final class LambdaStarts {
  private final Path task;
  private final Path plainTask;
  private final Map<String, String> triadEnv;
  private final Map<String, String> plainEnv;
  private final byte[] event;
  private final int warmCalls;
  private final Path logDir;

  private LambdaStarts(
      Path task,
      Path plainTask,
      Map<String, String> triadEnv,
      Map<String, String> plainEnv,
      byte[] event,
      int warmCalls,
      Path logDir) {
    this.task = task;
    this.plainTask = plainTask;
    this.triadEnv = triadEnv;
    this.plainEnv = plainEnv;
    this.event = event;
    this.warmCalls = warmCalls;
    this.logDir = logDir;
  }

  static LambdaStarts prepare(
      Path zip, Path work, URI s3Endpoint, String bucket, Path irisModel, int warmCalls)
      throws Exception {
    Path task = LambdaProcess.unpack(zip, work.resolve("lambda/task"));
    // beside the package's classes, not in the zip: levers
    BenchJars.copy(task, EveryAutoConfiguration.class, SpringApplicationEntry.class);
    Path plainTask = work.resolve("lambda/plain-task");
    PipelineBenchmark.deleteTree(plainTask);
    BenchJars.copy(plainTask, PlainOnnxHandler.class);
    Files.createDirectories(plainTask.resolve("lib"));
    for (Class<?> type :
        List.of(OrtEnvironment.class, ObjectMapper.class, JsonParser.class, JsonProperty.class)) {
      Path jar = BenchJars.location(type);
      Files.copy(jar, plainTask.resolve("lib").resolve(jar.getFileName()));
    }
    byte[] event;
    try (InputStream in =
        LambdaStarts.class.getResourceAsStream("/events/aws/apigw-v2/infer.json")) {
      event = in.readAllBytes();
    }
    Map<String, String> triadEnv =
        Map.of(
            AwsSettings.BUCKET,
            bucket,
            AwsSettings.S3_ENDPOINT,
            s3Endpoint.toString(),
            io.triad.settings.TriadContract.MODELS,
            "iris",
            "AWS_ACCESS_KEY_ID",
            "S3RVER",
            "AWS_SECRET_ACCESS_KEY",
            "S3RVER",
            // the run's packages are signed with its own key, as ChildJvm trusts it
            io.triad.settings.TriadContract.SIGNING_TRUSTED_KEYS,
            BenchKeys.trustedKeys());
    return new LambdaStarts(
        task,
        plainTask,
        triadEnv,
        Map.of("MODEL_FILE", irisModel.toString()),
        event,
        warmCalls,
        Files.createDirectories(work.resolve("lambda/logs")));
  }

  LambdaStart triad(String name, Path java, List<String> moreOptions, boolean warm) {
    return triad(name, java, moreOptions, Map.of(), warm);
  }

  /** With more environment. */
  LambdaStart triad(
      String name, Path java, List<String> moreOptions, Map<String, String> moreEnv, boolean warm) {
    return triad(name, "io.triad.aws.HttpEntry::handleRequest", java, moreOptions, moreEnv, warm);
  }

  /**
   * The HTTP function started as it was before TriadContext ({@link SpringApplicationEntry}),
   * through {@code SpringApplication}, which reads {@code SPRING_MAIN_SOURCES} and the like from
   * {@code moreEnv}.
   */
  LambdaStart throughSpringApplication(
      String name, Path java, Map<String, String> moreEnv, boolean warm) {
    return triad(
        name,
        SpringApplicationEntry.class.getName() + "::handleRequest",
        java,
        List.of(),
        moreEnv,
        warm);
  }

  private LambdaStart triad(
      String name,
      String handler,
      Path java,
      List<String> moreOptions,
      Map<String, String> moreEnv,
      boolean warm) {
    Map<String, String> env = new java.util.HashMap<>(triadEnv);
    // the JVM options the stack gives every function (AwsContract.JAVA_TOOL_OPTIONS)
    env.put(
        io.triad.settings.AwsContract.JAVA_TOOL_OPTIONS, io.triad.settings.AwsContract.JVM_OPTIONS);
    env.putAll(moreEnv);
    if (Boolean.getBoolean("triad.bench.start-profile")) {
      // the context's slowest bean creations, logged once (AwsApplication.START_PROFILE)
      env.put(io.triad.aws.AwsApplication.START_PROFILE, "1");
    }
    return new LambdaStart(
        name, java, task, handler, options(moreOptions), env, event, warm ? warmCalls : 0, logDir);
  }

  /**
   * The every-auto-configuration lever as the environment of a start through {@code
   * SpringApplication} (which reads SPRING_MAIN_SOURCES as spring.main.sources).
   */
  static Map<String, String> everyAutoConfiguration() {
    return Map.of("SPRING_MAIN_SOURCES", EveryAutoConfiguration.class.getName());
  }

  LambdaStart plain(String name, Path java, List<String> moreOptions, boolean warm) {
    List<String> options =
        new ArrayList<>(List.of("-Donnxruntime.native.path=" + task.resolve("native/linux-x64")));
    options.addAll(moreOptions);
    return new LambdaStart(
        name,
        java,
        plainTask,
        PlainOnnxHandler.class.getName() + "::handleRequest",
        options(options),
        plainEnv,
        event,
        warm ? warmCalls : 0,
        logDir);
  }

  private static List<String> options(List<String> more) {
    List<String> options = new ArrayList<>(LambdaStart.MANAGED_RUNTIME_OPTIONS);
    options.addAll(more);
    return options;
  }
}
