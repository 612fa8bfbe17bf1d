package io.triad.functions.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.triad.functions.api.InferenceRequest;
import io.triad.functions.api.InferenceResponse;
import io.triad.functions.api.NamedTensor;
import io.triad.functions.api.TriadError;
import io.triad.functions.inference.Predictor;
import io.triad.functions.inference.TensorCodec;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.TestModels;
import io.triad.layout.BucketLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {
  private static final RegistrySettings NO_AUTO_REFRESH =
      new RegistrySettings(Duration.ofHours(1), 1, 4);

  @TempDir Path bucket;
  private FileSystemBlobStore store;
  private TestModels models;
  private ModelRegistry registry;

  @BeforeEach
  void setUp() {
    store = new FileSystemBlobStore(bucket);
    models = new TestModels(store);
  }

  @AfterEach
  void tearDown() {
    if (registry != null) {
      registry.close();
    }
  }

  private ModelRegistry registry(RegistrySettings settings) {
    registry = TestModels.registry(store, settings);
    return registry;
  }

  private String servedVersion() {
    try (ModelLease lease = registry.acquire(TestModels.IRIS, null)) {
      return lease.version();
    }
  }

  /** Corrupts the model file of a version after its manifest was written. */
  private void corrupt(String version) {
    store.put(BucketLayout.modelFile(TestModels.IRIS, version), TestModels.weakIrisOnnx());
  }

  private static InferenceResponse classify(Predictor predictor, ModelLease lease) {
    NamedTensor flower =
        NamedTensor.of("features", "FP32", List.of(1L, 4L), new float[] {5.1f, 3.5f, 1.4f, 0.2f});
    return predictor.run(lease, new InferenceRequest(null, null, List.of(flower), null));
  }

  @Test
  void acquire_shouldServeAliasedVersion_whenNoVersionGiven() {
    // given
    models.publishIris("1");
    models.putIris("2", TestModels.irisOnnx());

    // when
    registry(NO_AUTO_REFRESH);

    // then
    assertThat(servedVersion()).isEqualTo("1");
    assertThat(registry.productionVersion(TestModels.IRIS)).hasValue("1");
    assertThat(registry.versions(TestModels.IRIS)).containsExactly("1", "2");
  }

  @Test
  void acquire_shouldServeExplicitVersion_whenVersionGiven() {
    // given
    models.publishIris("1");
    models.putIris("2", TestModels.irisOnnx());
    registry(NO_AUTO_REFRESH);

    // when
    try (ModelLease lease = registry.acquire(TestModels.IRIS, "2")) {
      // then
      assertThat(lease.version()).isEqualTo("2");
      assertThat(lease.manifest().postprocessing().labels()).isEqualTo(TestModels.LABELS);
      assertThat(lease.signature().inputs()).containsOnlyKeys("features");
    }
  }

  @Test
  void acquire_shouldFail404_whenModelOrVersionUnknown() {
    // given
    models.publishIris("1");
    registry(NO_AUTO_REFRESH);

    // when / then
    assertThatThrownBy(() -> registry.acquire("nope", null))
        .isInstanceOfSatisfying(TriadError.class, e -> assertThat(e.status()).isEqualTo(404));
    assertThatThrownBy(() -> registry.acquire(TestModels.IRIS, "9"))
        .isInstanceOfSatisfying(TriadError.class, e -> assertThat(e.status()).isEqualTo(404));
    assertThatThrownBy(() -> registry.acquire("../etc", null))
        .isInstanceOfSatisfying(TriadError.class, e -> assertThat(e.status()).isEqualTo(404));
    assertThatThrownBy(() -> registry.acquire(TestModels.IRIS, "../1"))
        .isInstanceOfSatisfying(TriadError.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  @Test
  void acquire_shouldFail503_whenExplicitVersionFailsIntegrityCheck() {
    // given
    models.publishIris("1");
    models.putIris("2", TestModels.irisOnnx());
    corrupt("2");
    registry(NO_AUTO_REFRESH);

    // when / then
    assertThatThrownBy(() -> registry.acquire(TestModels.IRIS, "2"))
        .isInstanceOfSatisfying(TriadError.class, e -> assertThat(e.status()).isEqualTo(503))
        .hasMessageContaining("integrity");
    assertThat(registry.readiness(TestModels.IRIS, "2").ready()).isFalse();
  }

  @Test
  void acquire_shouldFail503_whenOnlyAliasTargetFailsIntegrityCheck() {
    // given
    models.putIris("1", TestModels.irisOnnx());
    corrupt("1");
    models.promote(TestModels.IRIS, "1");
    registry(NO_AUTO_REFRESH);

    // when / then
    assertThatThrownBy(() -> registry.acquire(TestModels.IRIS, null))
        .isInstanceOfSatisfying(TriadError.class, e -> assertThat(e.status()).isEqualTo(503))
        .hasMessageContaining("integrity");
    assertThat(registry.readiness(TestModels.IRIS, null).reason()).contains("integrity");
  }

  @Test
  void acquire_shouldFail503_whenModelHasVersionsButNoAlias() {
    // given
    models.putIris("1", TestModels.irisOnnx());
    registry(NO_AUTO_REFRESH);

    // when / then
    assertThatThrownBy(() -> registry.acquire(TestModels.IRIS, null))
        .isInstanceOfSatisfying(TriadError.class, e -> assertThat(e.status()).isEqualTo(503))
        .hasMessageContaining("no production version");
  }

  @Test
  void acquire_shouldKeepServingLastGoodVersion_whenAliasMovesToCorruptVersion() {
    // given
    models.publishIris("1");
    registry(NO_AUTO_REFRESH);
    assertThat(servedVersion()).isEqualTo("1");
    models.putIris("2", TestModels.irisOnnx());
    corrupt("2");

    // when
    models.promote(TestModels.IRIS, "2");
    registry.refresh(TestModels.IRIS);

    // then
    assertThat(servedVersion()).isEqualTo("1");
    assertThatThrownBy(() -> registry.acquire(TestModels.IRIS, "2"))
        .hasMessageContaining("integrity");
  }

  @Test
  void acquire_shouldServeNewVersion_afterRefreshOnly() {
    // given
    models.publishIris("1");
    registry(NO_AUTO_REFRESH);
    assertThat(servedVersion()).isEqualTo("1");
    models.putIris("2", TestModels.irisOnnx());
    models.promote(TestModels.IRIS, "2");

    // when / then
    assertThat(servedVersion()).as("alias trusted until refreshed").isEqualTo("1");
    registry.refresh(TestModels.IRIS);
    assertThat(servedVersion()).isEqualTo("2");
  }

  @Test
  void acquire_shouldServeNewVersion_afterAliasRefreshInterval() {
    // given
    models.publishIris("1");
    registry(new RegistrySettings(Duration.ofMillis(100), 1, 4));
    assertThat(servedVersion()).isEqualTo("1");
    models.putIris("2", TestModels.irisOnnx());

    // when
    models.promote(TestModels.IRIS, "2");

    // then
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> servedVersion().equals("2"));
  }

  @Test
  void lease_shouldKeepOldSessionOpenUntilClosed_whenVersionSwitches() {
    // given
    models.publishIris("1");
    registry(NO_AUTO_REFRESH);
    Predictor predictor = new Predictor(registry, new TensorCodec(OrtEnvironment.getEnvironment()));
    ModelLease held = registry.acquire(TestModels.IRIS, null);
    OrtSession oldSession = held.session();

    // when
    models.putIris("2", TestModels.irisOnnx());
    models.promote(TestModels.IRIS, "2");
    registry.refresh(TestModels.IRIS);
    assertThat(servedVersion()).isEqualTo("2");

    // then
    InferenceResponse onOld = classify(predictor, held);
    assertThat(onOld.modelVersion()).isEqualTo("1");
    assertThat((float[]) onOld.output("probabilities").data()).hasSize(3);
    held.close();
    assertThatThrownBy(() -> oldSession.run(Map.of())).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void openCandidate_shouldRefuse_whenCandidateFileDoesNotMatchManifest() {
    // given
    byte[] good = TestModels.irisOnnx();
    models.candidateIris("5", TestModels.weakIrisOnnx(), TestModels.irisManifest("5", good));
    registry(NO_AUTO_REFRESH);

    // when / then
    assertThatThrownBy(() -> registry.openCandidate(TestModels.IRIS, "5"))
        .isInstanceOfSatisfying(TriadError.class, e -> assertThat(e.status()).isEqualTo(503))
        .hasMessageContaining("integrity");
  }
}
