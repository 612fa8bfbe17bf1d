package io.triad.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.TriadJson;
import io.triad.functions.testing.PackageTampering;
import io.triad.functions.testing.TestModels;
import io.triad.layout.BucketLayout;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The alias drill, the same on every runtime: model {@code drill} serves version 1; then its alias
 * moves to a version whose file does not match its manifest's sha256, then to a version that does
 * not exist. Serving must stay on version 1 throughout, and each bad version must report not ready.
 * A model of its own, so the contract's iris is never disturbed.
 */
final class ServingDrill {
  static final String MODEL = "drill";
  private static final ObjectMapper JSON = TriadJson.mapper();

  private ServingDrill() {}

  static void run(RuntimeUnderTest runtime, long aliasRefreshMillis) throws Exception {
    // given version 1 served
    TestModels models = new TestModels(runtime.bucket());
    models.publish(MODEL, "1", TestModels.irisOnnx());
    assertServedVersion(runtime, "1", "good version 1");

    // when the alias moves to a version whose model file was swapped after its manifest was written
    models.publish(MODEL, "2", TestModels.irisOnnx());
    runtime
        .bucket()
        .put(
            BucketLayout.MODELS + MODEL + "/2/" + BucketLayout.MODEL_FILE,
            TestModels.weakIrisOnnx());
    Thread.sleep(aliasRefreshMillis * 5);

    // then version 1 still answers and version 2 is not ready
    assertServedVersion(runtime, "1", "alias on corrupt version 2");
    assertNotReady(runtime, "2", 503);

    // when the alias names a version that was never written
    models.promote(MODEL, "3");
    Thread.sleep(aliasRefreshMillis * 5);

    // then the same
    assertServedVersion(runtime, "1", "alias on missing version 3");
    assertNotReady(runtime, "3", 404);
  }

  /**
   * Someone who can write the bucket but holds no trusted key tampers with a signed version in each
   * of five ways ({@link PackageTampering}: model and sha256 rewritten, labels swapped, manifest
   * alone changed, signature removed, signed by an unknown key) and moves the alias to it: each
   * time the runtime keeps serving version 1, and the tampered version's readiness says why.
   */
  static void tamperedPackages(RuntimeUnderTest runtime, long aliasRefreshMillis) throws Exception {
    // given
    String model = "signed";
    TestModels models = new TestModels(runtime.bucket());
    models.putIrisAs(model, "1", TestModels.irisOnnx());
    models.promote(model, "1");
    assertThat(ServedVersion.of(runtime, model, "signed version 1"))
        .as("%s: signed version 1 served", runtime.name())
        .isEqualTo("1");
    int version = 2;
    for (PackageTampering tampering : PackageTampering.values()) {
      String tampered = String.valueOf(version++);
      models.putIrisAs(model, tampered, TestModels.irisOnnx());
      tampering.tamper(runtime.bucket(), model, tampered);

      // when the alias moves to it
      models.promote(model, tampered);
      Thread.sleep(aliasRefreshMillis * 5);

      // then
      assertThat(ServedVersion.of(runtime, model, tampering.name()))
          .as("%s, %s: served version", runtime.name(), tampering)
          .isEqualTo("1");
      Answer ready =
          runtime.send(
              new ContractRequest(
                  "tampered-ready",
                  "GET",
                  "/v2/models/" + model + "/versions/" + tampered + "/ready",
                  Map.of(),
                  new byte[0]));
      assertThat(ready.status())
          .as("%s, %s: readiness; body %s", runtime.name(), tampering, ready.text())
          .isEqualTo(503);
      assertThat(JSON.readTree(ready.body()).path("error").asText())
          .as("%s, %s: reason", runtime.name(), tampering)
          .contains(tampering.reason());
      // and the model's metadata says which version serves and why the alias's does not
      Answer metadata =
          runtime.send(
              new ContractRequest(
                  "tampered-metadata", "GET", "/v2/models/" + model, Map.of(), new byte[0]));
      JsonNode meta = JSON.readTree(metadata.body());
      assertThat(meta.path("version").asText())
          .as("%s, %s: metadata %s", runtime.name(), tampering, metadata.text())
          .isEqualTo("1");
      assertThat(meta.path("refused").asText())
          .as("%s, %s: metadata says why", runtime.name(), tampering)
          .contains(tampering.reason(), "keeps serving");
    }
  }

  /**
   * A candidate whose model file is not the one its manifest's sha256 names (a corrupt or tampered
   * upload) is announced: the gate must reject it for integrity, write nothing under {@code
   * models/}, and iris must keep serving version 1.
   */
  static void corruptCandidate(RuntimeUnderTest runtime) throws Exception {
    // given
    String version = "corrupt-candidate";
    String manifestKey =
        new TestModels(runtime.bucket())
            .candidateIris(
                version,
                TestModels.irisOnnx(),
                TestModels.irisManifest(version, TestModels.weakIrisOnnx()));

    // when
    runtime.announce(manifestKey);
    String rejectedKey = BucketLayout.candidateDir(TestModels.IRIS, version) + "rejected.json";
    java.time.Instant deadline = java.time.Instant.now().plusSeconds(30);
    while (!runtime.bucket().exists(rejectedKey) && java.time.Instant.now().isBefore(deadline)) {
      Thread.sleep(50);
    }

    // then
    assertThat(runtime.bucket().exists(rejectedKey))
        .as("%s: %s", runtime.name(), rejectedKey)
        .isTrue();
    assertThat(JSON.readTree(runtime.bucket().read(rejectedKey)).path("reason").asText())
        .as("%s: reason", runtime.name())
        .contains("integrity");
    assertThat(runtime.bucket().list(BucketLayout.MODELS + TestModels.IRIS + "/" + version + "/"))
        .as("%s: published", runtime.name())
        .isEmpty();
    assertThat(
            new String(
                runtime.bucket().read(BucketLayout.alias(TestModels.IRIS, BucketLayout.PRODUCTION)),
                StandardCharsets.UTF_8))
        .as("%s: iris alias", runtime.name())
        .isEqualTo("1");
    assertThat(ServedVersion.of(runtime, TestModels.IRIS, "after a corrupt candidate"))
        .as("%s: served iris version", runtime.name())
        .isEqualTo("1");
    Answer ready =
        runtime.send(
            new ContractRequest(
                "corrupt-candidate-ready",
                "GET",
                "/v2/models/iris/versions/" + version + "/ready",
                Map.of(),
                new byte[0]));
    assertThat(ready.status())
        .as("%s: candidate version ready; body %s", runtime.name(), ready.text())
        .isEqualTo(404);
  }

  private static void assertServedVersion(RuntimeUnderTest runtime, String version, String when)
      throws Exception {
    assertThat(ServedVersion.of(runtime, MODEL, when))
        .as("%s, %s: served version", runtime.name(), when)
        .isEqualTo(version);
  }

  private static void assertNotReady(RuntimeUnderTest runtime, String version, int status)
      throws Exception {
    Answer answer =
        runtime.send(
            new ContractRequest(
                "drill-ready",
                "GET",
                "/v2/models/" + MODEL + "/versions/" + version + "/ready",
                Map.of(),
                new byte[0]));
    JsonNode body = JSON.readTree(answer.body());
    assertThat(answer.status())
        .as("%s: version %s ready; body %s", runtime.name(), version, answer.text())
        .isEqualTo(status);
    assertThat(body.path("ready").asBoolean(false))
        .as("%s: version %s ready", runtime.name(), version)
        .isFalse();
  }
}
