package io.triad.functions.signing;

import static org.assertj.core.api.Assertions.assertThat;

import io.triad.functions.api.TriadJson;
import io.triad.functions.model.ModelLease;
import io.triad.functions.model.ModelLoader;
import io.triad.functions.model.ModelRegistry;
import io.triad.functions.model.RegistrySettings;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.TestModels;
import io.triad.layout.BucketLayout;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageToolTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    out.reset();
    err.reset();
    return PackageTool.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8).strip();
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void keygen_shouldWriteAnOwnerOnlyKeyAndPrintItsPublicKey_andNeverOverwrite() throws Exception {
    Path key = dir.resolve("signing-key.pem");

    assertThat(run("keygen", key.toString())).isZero();
    String publicKey = out();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    assertThat(run("public-key", key.toString())).isZero();
    assertThat(out()).isEqualTo(publicKey);
    byte[] before = Files.readAllBytes(key);
    assertThat(run("keygen", key.toString())).isEqualTo(1);
    assertThat(err()).contains("never overwritten");
    assertThat(Files.readAllBytes(key)).isEqualTo(before);
  }

  @Test
  void publish_shouldPlaceASignedVersionThatARuntimeTrustingTheKeyServes() throws Exception {
    // given a key, a foreign model file and a bucket
    Path key = dir.resolve("key.pem");
    run("keygen", key.toString());
    String publicKey = out();
    Path model = Files.write(dir.resolve("model.onnx"), TestModels.irisOnnx());
    Path bucket = Files.createDirectories(dir.resolve("bucket"));

    // when published with a drafted manifest
    int code =
        run(
            "publish",
            "--store",
            bucket.toUri().toString(),
            "--key",
            key.toString(),
            model.toString(),
            "flowers",
            "1");

    // then it is signed, aliased and served by a registry that trusts the key, and only by one
    assertThat(code).as(err()).isZero();
    assertThat(out()).contains("flowers version 1", "production alias");
    FileSystemBlobStore store = new FileSystemBlobStore(bucket);
    assertThat(store.exists(BucketLayout.signature("flowers", "1"))).isTrue();
    try (ModelRegistry trusting = registry(store, TrustedKeys.of(List.of(publicKey)));
        ModelLease lease = trusting.acquire("flowers", null)) {
      assertThat(lease.version()).isEqualTo("1");
    }
    try (ModelRegistry other = registry(store, TestModels.trustedKeys())) {
      assertThat(other.readiness("flowers", null).reason()).contains("not among the trusted keys");
    }
  }

  @Test
  void publish_shouldRefuseAndWriteNothing_whenTheManifestIsForAnotherFile() throws Exception {
    Path key = dir.resolve("key.pem");
    run("keygen", key.toString());
    Path model = Files.write(dir.resolve("model.onnx"), TestModels.irisOnnx());
    Path manifest =
        Files.write(
            dir.resolve("manifest.json"),
            TriadJson.pretty(
                TriadJson.mapper(),
                TestModels.irisManifest("iris", "2", TestModels.weakIrisOnnx())));
    Path bucket = Files.createDirectories(dir.resolve("bucket"));

    int code =
        run(
            "publish",
            "--store",
            bucket.toUri().toString(),
            "--key",
            key.toString(),
            "--manifest",
            manifest.toString(),
            model.toString(),
            "iris",
            "2");

    assertThat(code).isEqualTo(1);
    assertThat(err()).contains("sha256");
    try (var files = Files.list(bucket)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void publish_shouldSayWhatIsWrongInPlainWords_whenAFileIsMissingOrTheManifestIsNotJson()
      throws Exception {
    Path key = dir.resolve("key.pem");
    run("keygen", key.toString());
    Path model = Files.write(dir.resolve("model.onnx"), TestModels.irisOnnx());
    Path manifest = Files.writeString(dir.resolve("manifest.json"), "{\"name\": [1, 2");
    String store = Files.createDirectories(dir.resolve("bucket")).toUri().toString();

    int missing =
        run("publish", "--store", store, "--key", key.toString(), "nowhere.onnx", "iris", "2");
    String missingError = err();
    int broken =
        run(
            "publish",
            "--store",
            store,
            "--key",
            key.toString(),
            "--manifest",
            manifest.toString(),
            model.toString(),
            "iris",
            "2");

    assertThat(missing).isEqualTo(1);
    assertThat(missingError).contains("no file nowhere.onnx");
    assertThat(broken).isEqualTo(1);
    assertThat(err()).contains("the manifest cannot be read");
    io.triad.functions.testing.PlainText.assertPlain("publish errors", missingError + err());
  }

  @Test
  void run_shouldPrintUsage_whenTheCommandIsUnknown() {
    assertThat(run("sign-everything")).isEqualTo(2);
    assertThat(err()).contains("usage:", "keygen", "publish");
  }

  private static ModelRegistry registry(FileSystemBlobStore store, TrustedKeys keys) {
    return new ModelRegistry(
        store,
        new ModelLoader(
            store, TriadJson.mapper(), ai.onnxruntime.OrtEnvironment.getEnvironment(), 1, keys),
        new RegistrySettings(Duration.ofHours(1), 1, 4));
  }
}
