package io.triad.contract;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.triad.aws.AwsApplication;
import io.triad.aws.AwsSettings;
import io.triad.aws.FunctionRole;
import io.triad.aws.LambdaEntry;
import io.triad.functions.store.BlobStore;
import io.triad.functions.testing.TestModels;
import io.triad.settings.AwsContract;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The loop on AWS: the stack's three Lambda functions, each its own context in this JVM over one
 * s3rver bucket, as each is its own execution environment on AWS. {@code http} serves ({@link
 * AwsUnderTest}); {@code schedule} gets the EventBridge event of the stack's one rule, which names
 * no model, and its AWS Batch launcher submits to {@link FakeAwsBatch}; {@code s3} gets the
 * candidate's S3 notification and runs the gate. The serving function learns of a promotion only
 * through the alias in the bucket. The s3 function copies each promotion into the GCP stack's
 * bucket, and the schedule catches up, as the built stacks configure it ({@link ToGcpReplica}).
 */
final class AwsRetraining implements RetrainingUnderTest {
  private static final String JOB_QUEUE = "triad-training";
  private static final String JOB_DEFINITION = "triad-trainer:1";

  private final AwsUnderTest serving;
  private final String bucket;
  private final FakeAwsBatch batch;
  private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();
  private final LambdaEntry objects;
  private final LambdaEntry schedule;
  private final ObjectMapper json;
  private final ToGcpReplica gcpReplica;
  private final ToAzureReplica azureReplica;

  /** Starts the three functions; {@code given} fills the bucket before any of them starts. */
  AwsRetraining(
      Path work, String bucket, List<String> models, TrainerImage image, Consumer<BlobStore> given)
      throws Exception {
    this.bucket = bucket;
    String accessKey = System.getProperty("aws.accessKeyId", "S3RVER");
    String secretKey = System.getProperty("aws.secretAccessKey", "S3RVER");
    this.gcpReplica = ToGcpReplica.aws(accessKey, secretKey, RetrainingLoop.PROMOTED);
    try {
      // the region the functions sign for: AWS_REGION, as Lambda sets it, or the adapter's default
      String region = AwsSettings.from(System::getenv).region();
      this.azureReplica = ToAzureReplica.aws(work, accessKey, secretKey, region);
    } catch (Exception | Error e) {
      gcpReplica.close();
      throw e;
    }
    try {
      this.serving =
          new AwsUnderTest(work, bucket, given, configured(models).toArray(String[]::new));
    } catch (Exception | Error e) {
      closeReplicas();
      throw e;
    }
    try {
      // the job definition's environment is infra's; the host's stands in for the job role's
      // credentials
      this.batch =
          new FakeAwsBatch(
              image,
              JOB_QUEUE,
              JOB_DEFINITION,
              Map.of(AwsContract.ORT_DISABLE_TELEMETRY, "1"),
              Map.of(
                  "AWS_ACCESS_KEY_ID",
                  accessKey,
                  "AWS_SECRET_ACCESS_KEY",
                  secretKey,
                  AwsSettings.S3_ENDPOINT,
                  serving.s3Endpoint().toString()));
      List<String> environment = new ArrayList<>(configured(models));
      environment.addAll(
          List.of(
              AwsSettings.BUCKET + "=" + bucket,
              AwsSettings.S3_ENDPOINT + "=" + serving.s3Endpoint()));
      // the s3 function copies each promotion to GCP, the schedule catches copies up
      gcpReplica.settings().forEach((name, value) -> environment.add(name + "=" + value));
      azureReplica.settings().forEach((name, value) -> environment.add(name + "=" + value));
      List<String> promoting = new ArrayList<>(environment);
      promoting.addAll(serving.promotionSettings());
      this.objects = new LambdaEntry(FunctionRole.S3, start(FunctionRole.S3, promoting));
      environment.add(TestModels.TRUST_SETTING);
      environment.addAll(
          List.of(
              AwsSettings.BATCH_ENDPOINT + "=" + batch.endpoint(),
              AwsSettings.JOB_QUEUE + "=" + JOB_QUEUE,
              // what the stack says its queue's compute environment is (training.spot)
              AwsSettings.BATCH_PLACEMENT + "=aws/" + FakeAwsBatch.REGION + "/spot",
              AwsSettings.JOB_DEFINITION + "=" + JOB_DEFINITION));
      ConfigurableApplicationContext scheduleContext = start(FunctionRole.SCHEDULE, environment);
      this.schedule = new LambdaEntry(FunctionRole.SCHEDULE, scheduleContext);
      this.json = scheduleContext.getBean("triadJson", ObjectMapper.class);
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  /** The catalog, as {@code TRIAD_CATALOG} in a function's environment binds it. */
  private static List<String> configured(List<String> models) {
    return List.of("triad.catalog=" + String.join(",", models));
  }

  private ConfigurableApplicationContext start(FunctionRole role, List<String> environment) {
    ConfigurableApplicationContext context =
        AwsApplication.start(role, environment.toArray(String[]::new));
    contexts.add(context);
    return context;
  }

  private void closeReplicas() {
    try {
      gcpReplica.close();
    } finally {
      azureReplica.close();
    }
  }

  @Override
  public void promoted(String model, String version) throws Exception {
    gcpReplica.assertCopied(serving.bucket(), model, version);
    azureReplica.assertCopied(serving.bucket(), model, version);
  }

  @Override
  public String placement() {
    return "aws/us-east-1/spot";
  }

  @Override
  public RuntimeUnderTest serving() {
    return serving;
  }

  /**
   * The adapter's EventBridge fixture as the stack's rule ({project}-retrain, no model in its name)
   * sends it now; each delivery is one asynchronous invocation of the same event.
   */
  @Override
  public void tick(int deliveries) throws Exception {
    byte[] payload = tickEvent(Instant.now());
    RetrainingUnderTest.atOnce(
        deliveries,
        () -> {
          schedule.handleRequest(
              new ByteArrayInputStream(payload), new ByteArrayOutputStream(), null);
          return null;
        });
  }

  @Override
  public int jobs(String model) {
    return batch.runs().count(model);
  }

  /**
   * A tick whose first submission Batch refuses: the invocation fails, and Lambda's retry of the
   * same event (its asynchronous retries) claims the given-back version again and submits it.
   * Returns how many jobs each model got for the tick's version.
   */
  Map<String, Long> retryAfterRefusal(Instant slot) throws Exception {
    byte[] payload = tickEvent(slot);
    batch.refuseNext(1);
    try {
      schedule.handleRequest(new ByteArrayInputStream(payload), new ByteArrayOutputStream(), null);
      throw new AssertionError("the tick whose submission Batch refused did not fail");
    } catch (io.triad.functions.training.RetrainingReport.RetrainingFailed expected) {
      // the platform sees a failed invocation and retries it
    }
    schedule.handleRequest(new ByteArrayInputStream(payload), new ByteArrayOutputStream(), null);
    String version =
        java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(java.time.ZoneOffset.UTC)
            .format(slot);
    return batch.runs().all().stream()
        .filter(run -> version.equals(run.version()))
        .collect(
            java.util.stream.Collectors.groupingBy(
                TrainingRun::model,
                java.util.TreeMap::new,
                java.util.stream.Collectors.counting()));
  }

  private byte[] tickEvent(Instant time) throws java.io.IOException {
    ObjectNode event =
        (ObjectNode)
            json.readTree(
                AwsRetraining.class.getResourceAsStream(
                    "/events/aws/eventbridge/retrain-iris.json"));
    event.put("time", time.truncatedTo(ChronoUnit.SECONDS).toString());
    event.putArray("resources").add("arn:aws:events:us-east-1:123456789012:rule/triad-retrain");
    return json.writeValueAsBytes(event);
  }

  @Override
  public TrainedJob awaitTrained(String model, Duration timeout) throws Exception {
    return batch.runs().awaitTrained(model, timeout);
  }

  @Override
  public void announce(String key) throws Exception {
    objects.handleRequest(
        new ByteArrayInputStream(AwsUnderTest.objectCreated(json, bucket, key)),
        new ByteArrayOutputStream(),
        null);
  }

  @Override
  public void close() throws java.io.IOException {
    try {
      contexts.forEach(ConfigurableApplicationContext::close);
      if (batch != null) {
        batch.close();
      }
    } finally {
      try {
        serving.close();
      } finally {
        closeReplicas();
      }
    }
  }
}
