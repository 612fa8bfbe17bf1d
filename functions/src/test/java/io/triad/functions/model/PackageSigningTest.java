package io.triad.functions.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triad.functions.api.TriadError;
import io.triad.functions.config.SigningSettings;
import io.triad.functions.signing.FileKeySource;
import io.triad.functions.signing.PackageSigner;
import io.triad.functions.signing.PromotionKeys;
import io.triad.functions.signing.SigningKeys;
import io.triad.functions.signing.TrustedKeys;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.PackageTampering;
import io.triad.functions.testing.TestModels;
import io.triad.layout.BucketLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PackageSigningTest {
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
    registry = TestModels.registry(store, NO_AUTO_REFRESH);
  }

  @AfterEach
  void tearDown() {
    registry.close();
  }

  @Test
  void publicKeyOf_shouldMatchOpenssl_whenKeyWasMadeByOpenssl() {
    // given: TestModels' key pair was made by openssl genpkey / pkey -pubout, the oracle
    PackageSigner signer = PackageSigner.fromText(TestModels.SIGNING_KEY);

    // when / then
    assertThat(SigningKeys.publicKeyText(signer.publicKey())).isEqualTo(TestModels.TRUSTED_KEY);
    assertThat(signer.keyId()).hasSize(16);
  }

  @ParameterizedTest
  @EnumSource(PackageTampering.class)
  void acquire_shouldRefuseTamperedVersionAndKeepServingLastGood(PackageTampering tampering) {
    // given version 1 served, version 2 signed and then tampered with
    models.publishIris("1");
    assertThat(served()).isEqualTo("1");
    models.putIris("2", TestModels.irisOnnx());
    tampering.tamper(store, TestModels.IRIS, "2");

    // when the alias moves to it
    models.promote(TestModels.IRIS, "2");
    registry.refresh(TestModels.IRIS);

    // then version 1 still answers, and version 2 is refused with the reason
    assertThat(served()).isEqualTo("1");
    assertThatThrownBy(() -> registry.acquire(TestModels.IRIS, "2"))
        .isInstanceOfSatisfying(TriadError.class, e -> assertThat(e.status()).isEqualTo(503))
        .hasMessageContaining(tampering.reason());
  }

  @ParameterizedTest
  @EnumSource(PackageTampering.class)
  void acquire_shouldRefuseTamperedVersion_whenItIsTheOnlyOneAfterRestart(
      PackageTampering tampering) {
    // given the served version tampered with while the runtime was down
    models.publishIris("1");
    tampering.tamper(store, TestModels.IRIS, "1");

    // when a fresh registry starts / then it serves nothing and says why
    assertThatThrownBy(() -> registry.acquire(TestModels.IRIS, null))
        .hasMessageContaining(tampering.reason());
    assertThat(registry.readiness(TestModels.IRIS, null).reason()).contains(tampering.reason());
  }

  @Test
  void acquire_shouldRefuseSignature_whenCopiedToAnotherVersion() {
    // given version 1's whole package, signature included, copied as version 2 (manifest renamed)
    models.publishIris("1");
    models.putIris("2", TestModels.irisOnnx());
    store.copy(BucketLayout.signature("iris", "1"), BucketLayout.signature("iris", "2"));

    // when / then
    assertThatThrownBy(() -> registry.acquire(TestModels.IRIS, "2"))
        .hasMessageContaining("integrity check");
  }

  @Test
  void acquire_shouldRefuseASignatureFile_whenItIsFarLargerThanAnySignature() {
    models.putIris("1", TestModels.irisOnnx());
    store.put(BucketLayout.signature("iris", "1"), new byte[ModelLoader.MAX_SIGNATURE_BYTES + 1]);

    assertThatThrownBy(() -> registry.acquire(TestModels.IRIS, "1"))
        .hasMessageContaining("unreadable signature");
  }

  @Test
  void acquire_shouldServeBothKeys_whenTwoKeysAreTrustedDuringRotation() {
    // given version 1 signed by the old key, version 2 by the new one, both trusted
    PackageSigner newKey = PackageSigner.fromText(TestModels.UNTRUSTED_SIGNING_KEY);
    models.putIris("1", TestModels.irisOnnx());
    new TestModels(store, newKey).putIris("2", TestModels.irisOnnx());
    TrustedKeys both =
        TrustedKeys.of(
            List.of(TestModels.TRUSTED_KEY, SigningKeys.publicKeyText(newKey.publicKey())));
    ModelRegistry rotating =
        new ModelRegistry(
            store,
            new ModelLoader(
                store,
                io.triad.functions.api.TriadJson.mapper(),
                ai.onnxruntime.OrtEnvironment.getEnvironment(),
                1,
                both),
            NO_AUTO_REFRESH);

    // when / then
    try (rotating;
        ModelLease one = rotating.acquire("iris", "1");
        ModelLease two = rotating.acquire("iris", "2")) {
      assertThat(one.version()).isEqualTo("1");
      assertThat(two.version()).isEqualTo("2");
    }
  }

  @Test
  void trustedKeys_shouldRefuseSetting_whenKeyIsNotAnEd25519PublicKey() {
    assertThatThrownBy(() -> TrustedKeys.of(List.of("not-a-key!")))
        .hasMessageContaining("not valid Base64");
    assertThatThrownBy(() -> TrustedKeys.of(List.of("AAAA")))
        .hasMessageContaining("not an Ed25519 public key");
  }

  @Test
  void signer_shouldWaitWithReason_whenNoKeyIsConfigured() {
    PromotionKeys keys =
        new PromotionKeys(SigningSettings.defaults(), TestModels.trustedKeys(), List.of());

    assertThatThrownBy(keys::signer)
        .isInstanceOfSatisfying(
            TriadError.class, e -> assertThat(e.kind()).isEqualTo(TriadError.Kind.NOT_READY))
        .hasMessageContaining("triad.signing.key");
  }

  @Test
  void signer_shouldRefuse_whenKeyIsNotTrustedByTheRuntimes(@TempDir Path dir) throws Exception {
    // given a key file that is fine, but whose public key nobody trusts
    Path file = dir.resolve("signing.pem");
    PackageSigner created = FileKeySource.createIfAbsent(file);
    PromotionKeys keys =
        new PromotionKeys(
            new SigningSettings(null, "file:" + file), TestModels.trustedKeys(), List.of());

    // when / then: the message gives the public key to trust
    assertThatThrownBy(keys::signer)
        .hasMessageContaining("not among triad.signing.trusted-keys")
        .hasMessageContaining(SigningKeys.publicKeyText(created.publicKey()));
  }

  @Test
  void createIfAbsent_shouldWriteOwnerOnlyKeyOnceAndReuseIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("keys/signing.pem");

    PackageSigner first = FileKeySource.createIfAbsent(file);
    PackageSigner second = FileKeySource.createIfAbsent(file);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(second.keyId()).isEqualTo(first.keyId());
    assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----");
  }

  @Test
  void signer_shouldRefuseKeyFile_whenOthersMayReadIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("signing.pem");
    PackageSigner created = FileKeySource.createIfAbsent(file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    PromotionKeys keys =
        new PromotionKeys(
            new SigningSettings(
                List.of(SigningKeys.publicKeyText(created.publicKey())), "file:" + file),
            TrustedKeys.of(created.publicKey()),
            List.of());

    assertThatThrownBy(keys::signer).hasMessageContaining("chmod 600");
  }

  private String served() {
    try (ModelLease lease = registry.acquire(TestModels.IRIS, null)) {
      return lease.version();
    }
  }
}
