package io.triad.functions.internal.pipeline;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.triad.functions.api.ObjectCreated;
import io.triad.functions.api.Outcome;
import io.triad.functions.api.TriadError;
import io.triad.functions.api.TriadJson;
import io.triad.functions.model.ModelLease;
import io.triad.functions.model.ModelManifest;
import io.triad.functions.model.ModelRegistry;
import io.triad.functions.model.TrainingRows;
import io.triad.functions.store.BlobStore;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import io.triad.layout.BucketLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A candidate's manifest through {@code onObjectCreated}: the gate, the alias, and what the
 * registry serves.
 */
class PromotionTest {
  private static final String ALIAS = BucketLayout.alias(TestModels.IRIS, BucketLayout.PRODUCTION);

  @TempDir Path bucket;
  private ConfigurableApplicationContext context;
  private BlobStore store;
  private TestModels models;
  private ModelRegistry registry;
  private Function<ObjectCreated, Outcome> onObjectCreated;

  @BeforeEach
  void start() {
    // an hour-long alias refresh: a promotion must take effect without waiting for it
    context = TriadTestApp.start(bucket, new RecordingTrainingLauncher(), "triad.alias-refresh=1h");
    store = context.getBean(BlobStore.class);
    models = new TestModels(store);
    registry = context.getBean(ModelRegistry.class);
    onObjectCreated =
        context.getBean(FunctionCatalog.class).lookup(Function.class, "onObjectCreated");
  }

  @AfterEach
  void stop() {
    context.close();
  }

  /** The app again over the same bucket, with {@code settings} besides the hour-long refresh. */
  private void restart(String... settings) {
    context.close();
    String[] all = new String[settings.length + 1];
    all[0] = "triad.alias-refresh=1h";
    System.arraycopy(settings, 0, all, 1, settings.length);
    context = TriadTestApp.start(bucket, new RecordingTrainingLauncher(), all);
    onObjectCreated =
        context.getBean(FunctionCatalog.class).lookup(Function.class, "onObjectCreated");
  }

  private String served() {
    try (ModelLease lease = registry.acquire(TestModels.IRIS, null)) {
      return lease.version();
    }
  }

  private String alias() {
    return new String(store.read(ALIAS), UTF_8);
  }

  @Test
  void apply_shouldPromote_whenCandidateEqualsServedVersion() throws IOException {
    // given
    models.publishIris("1");
    assertThat(served()).isEqualTo("1");
    String manifestKey = models.candidateIris("2", TestModels.irisOnnx());

    // when
    Outcome outcome = onObjectCreated.apply(ObjectCreated.of(manifestKey));

    // then
    assertThat(outcome)
        .isInstanceOfSatisfying(
            Outcome.Promoted.class, p -> assertThat(p.version()).isEqualTo("2"));
    assertThat(alias()).isEqualTo("2");
    assertThat(store.read(BucketLayout.modelFile(TestModels.IRIS, "2")))
        .isEqualTo(TestModels.irisOnnx());
    ModelManifest promoted =
        TriadJson.mapper()
            .readValue(
                store.read(BucketLayout.manifest(TestModels.IRIS, "2")), ModelManifest.class);
    assertThat(promoted.metrics()).containsEntry("accuracy", 1.0);
    assertThat(store.exists("evaluations/iris/2/gate.json")).isTrue();
    assertThat(served()).isEqualTo("2");
    JsonNode signature =
        TriadJson.mapper().readTree(store.read(BucketLayout.signature(TestModels.IRIS, "2")));
    assertThat(signature.path("keyId").asText()).isEqualTo(TestModels.signer().keyId());
  }

  @Test
  void apply_shouldJudgeBothOnlyOnRowsNeitherTrainedOn_whenTheServedVersionSawSomeOfThem()
      throws IOException {
    // given version 1 served, which trained on the first 12 of the candidate's 30 held-out rows
    models.publishIris("1");
    String manifestKey = models.candidateIris("2", TestModels.irisOnnx());
    long[] fingerprints =
        TestModels.fingerprints(
            new String(
                store.read(BucketLayout.candidateDir(TestModels.IRIS, "2") + "holdout.csv"),
                UTF_8));
    TrainingRows seen = TrainingRows.of(java.util.Arrays.copyOf(fingerprints, 12));
    store.put(
        BucketLayout.modelDir(TestModels.IRIS, "1") + BucketLayout.TRAINING_ROWS_FILE,
        seen.toBytes());
    // a later row with the same inputs as one of the 12 was seen too
    long seenRows = java.util.Arrays.stream(fingerprints).filter(seen::contains).count();
    assertThat(seenRows).isGreaterThanOrEqualTo(12);

    // when
    Outcome outcome = onObjectCreated.apply(ObjectCreated.of(manifestKey));

    // then both were scored on the other rows, written beside the candidate, and it says so
    assertThat(outcome).isInstanceOf(Outcome.Promoted.class);
    String rows = BucketLayout.candidateDir(TestModels.IRIS, "2") + "gate-rows.csv";
    assertThat(new String(store.read(rows), UTF_8).lines()).hasSize(1 + 30 - (int) seenRows);
    JsonNode gate = TriadJson.mapper().readTree(store.read("evaluations/iris/2/gate.json"));
    assertThat(gate.path("rows").asLong()).isEqualTo(30 - seenRows);
    assertThat(gate.path("notes").toString())
        .contains(seenRows + " of the 30 rows were in the served version's training data");
    assertThat(gate.at("/comparison/servedVersion").asText()).isEqualTo("1");
    assertThat(gate.at("/comparison/classes")).hasSize(3);
    assertThat(new String(store.read("evaluations/iris/2/gate.html"), UTF_8))
        .contains("Candidate 2 against served 1", "F1 difference");
  }

  @Test
  void apply_shouldRejectOnAPairedBootstrap_whenTheGateComparesMacroF1() throws IOException {
    // given a gate on macro F1 with no minimum to speak of, and a candidate that always says setosa
    restart("triad.models.iris.gate.metric=macro_f1", "triad.models.iris.gate.minimum=0.0");
    models.publishIris("1");
    String manifestKey = models.candidateIris("2", TestModels.weakIrisOnnx());

    // when
    Outcome outcome = onObjectCreated.apply(ObjectCreated.of(manifestKey));

    // then
    assertThat(outcome)
        .isInstanceOfSatisfying(
            Outcome.Rejected.class,
            r -> assertThat(r.reason()).contains("paired bootstrap", "significantly worse"));
    JsonNode rejected =
        TriadJson.mapper()
            .readTree(
                store.read(BucketLayout.candidateDir(TestModels.IRIS, "2") + "rejected.json"));
    assertThat(rejected.at("/bootstrap/metric").asText()).isEqualTo("macro_f1");
    assertThat(rejected.at("/bootstrap/rows").asInt()).isEqualTo(30);
    assertThat(rejected.at("/bootstrap/interval")).hasSize(2);
    assertThat(rejected.at("/bootstrap/significantlyWorse").asBoolean()).isTrue();
  }

  @Test
  void apply_shouldLeaveCandidateWaiting_whenThisFunctionHoldsNoSigningKey() {
    // given a function started without triad.signing.key, as the HTTP function is on the clouds
    restart("triad.signing.key=");
    models.publishIris("1");
    String manifestKey = models.candidateIris("2", TestModels.irisOnnx());

    // when / then: not ready (redelivered later), nothing judged, nothing promoted
    assertThatThrownBy(() -> onObjectCreated.apply(ObjectCreated.of(manifestKey)))
        .isInstanceOfSatisfying(
            TriadError.class, e -> assertThat(e.kind()).isEqualTo(TriadError.Kind.NOT_READY))
        .hasMessageContaining("triad.signing.key");
    assertThat(alias()).isEqualTo("1");
    assertThat(store.exists(BucketLayout.manifest(TestModels.IRIS, "2"))).isFalse();
    assertThat(store.exists(BucketLayout.candidateDir(TestModels.IRIS, "2") + "rejected.json"))
        .isFalse();
  }

  @Test
  void apply_shouldIgnore_whenPromotedManifestEventIsDeliveredAgain() {
    // given
    models.publishIris("1");
    String manifestKey = models.candidateIris("2", TestModels.irisOnnx());
    onObjectCreated.apply(ObjectCreated.of(manifestKey));

    // when
    Outcome again = onObjectCreated.apply(ObjectCreated.of(manifestKey));

    // then
    assertThat(again).isInstanceOf(Outcome.Ignored.class);
    assertThat(alias()).isEqualTo("2");
  }

  @Test
  void apply_shouldPromote_whenNothingIsServedYet() {
    // given
    String manifestKey = models.candidateIris("1", TestModels.irisOnnx());

    // when
    Outcome outcome = onObjectCreated.apply(ObjectCreated.of(manifestKey));

    // then
    assertThat(outcome).isInstanceOf(Outcome.Promoted.class);
    assertThat(served()).isEqualTo("1");
  }

  @Test
  void apply_shouldRejectAndKeepAlias_whenCandidateIsBelowGateMinimum() throws IOException {
    // given
    models.publishIris("1");
    String manifestKey = models.candidateIris("2", TestModels.weakIrisOnnx());

    // when
    Outcome outcome = onObjectCreated.apply(ObjectCreated.of(manifestKey));

    // then
    assertThat(outcome)
        .isInstanceOfSatisfying(
            Outcome.Rejected.class,
            r -> assertThat(r.reason()).contains("does not reach the minimum"));
    JsonNode rejected =
        TriadJson.mapper()
            .readTree(
                store.read(BucketLayout.candidateDir(TestModels.IRIS, "2") + "rejected.json"));
    assertThat(rejected.get("reason").asText()).contains("accuracy").contains("minimum");
    // and the decision file records the paired comparison on the same rows
    JsonNode paired = rejected.get("paired");
    assertThat(paired.get("rows").asInt()).isPositive();
    assertThat(paired.get("servedOnlyCorrect").asInt())
        .isGreaterThan(paired.get("candidateOnlyCorrect").asInt());
    assertThat(paired.get("interval")).hasSize(2);
    // and the rejected candidate has its gate report, saying why
    assertThat(new String(store.read("evaluations/iris/2/gate.html"), StandardCharsets.UTF_8))
        .contains("rejected: ")
        .contains("served version on the same rows");
    assertThat(alias()).isEqualTo("1");
    assertThat(store.exists(BucketLayout.manifest(TestModels.IRIS, "2"))).isFalse();
    assertThat(served()).isEqualTo("1");
  }

  @Test
  void apply_shouldRejectAndNeverServe_whenCandidateFileDoesNotMatchSha256() throws IOException {
    // given
    models.publishIris("1");
    ModelManifest claimsOtherFile = TestModels.irisManifest("3", TestModels.weakIrisOnnx());
    String manifestKey = models.candidateIris("3", TestModels.irisOnnx(), claimsOtherFile);

    // when
    Outcome outcome = onObjectCreated.apply(ObjectCreated.of(manifestKey));

    // then
    assertThat(outcome)
        .isInstanceOfSatisfying(
            Outcome.Rejected.class, r -> assertThat(r.reason()).contains("integrity"));
    JsonNode rejected =
        TriadJson.mapper()
            .readTree(
                store.read(BucketLayout.candidateDir(TestModels.IRIS, "3") + "rejected.json"));
    assertThat(rejected.get("reason").asText()).contains("integrity");
    assertThat(alias()).isEqualTo("1");
    assertThat(store.list(BucketLayout.MODELS + TestModels.IRIS + "/3/")).isEmpty();
    assertThatThrownBy(() -> registry.acquire(TestModels.IRIS, "3"))
        .isInstanceOfSatisfying(TriadError.class, e -> assertThat(e.status()).isEqualTo(404));
    assertThat(served()).isEqualTo("1");
  }
}
