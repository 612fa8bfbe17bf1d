package io.triad.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.TriadJson;
import io.triad.functions.replication.ReplicationStatus;
import io.triad.functions.replication.Replicator;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.TestModels;
import io.triad.layout.BucketLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A promotion replicated from one store to the three clouds' stores (s3rver, Azurite, the GCS
 * emulator, through the real SDK clients) while Azure's storage is stopped: AWS and GCP serve the
 * new version through their own entry points, Azure's destination is pending with the reason, and
 * once Azurite is back a catch-up brings it there and the Azure runtime serves it too. Then Azure's
 * store goes for good: the next promotion reaches AWS and GCP, which serve it, and Azure's
 * destination stays pending without failing anything. The replicator runs in the test's JVM, which
 * carries every cloud's store (a deployed function carries its own cloud's only).
 */
class ReplicationIT {
  private static final ObjectMapper JSON = TriadJson.mapper();
  private static final String MODEL = "replicated";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path work;

  @Test
  void promotion_should_reachEveryCloud_andAStoreThatWasDownCatchesUp() throws Exception {
    try (AwsUnderTest aws = new AwsUnderTest(work.resolve("aws"), "triad");
        AzureUnderTest azure = new AzureUnderTest(work.resolve("azure"), "triad", true);
        GcpUnderTest gcp = new GcpUnderTest("triad")) {
      run(
          new FileSystemBlobStore(Files.createDirectories(work.resolve("source"))),
          aws,
          azure,
          gcp,
          azure);
    }
  }

  private static void run(
      BlobStore source,
      RuntimeUnderTest aws,
      RuntimeUnderTest azure,
      RuntimeUnderTest gcp,
      StoppableStorage azureStorage)
      throws Exception {
    // given a version promoted in the source store
    TestModels models = new TestModels(source);
    models.putIrisAs(MODEL, "1", TestModels.irisOnnx());
    models.promote(MODEL, "1");
    Map<String, BlobStore> destinations = new LinkedHashMap<>();
    destinations.put("s3://triad", aws.bucket());
    destinations.put("azblob://devstoreaccount1/triad", azure.bucket());
    destinations.put("gs://triad", gcp.bucket());
    Replicator replicator =
        new Replicator(
            source,
            JSON,
            model -> List.copyOf(destinations.keySet()),
            destinations::get,
            Clock.systemUTC());

    // when it is replicated while Azure's storage is down
    azureStorage.stopStorage();
    ReplicationStatus status;
    try {
      status = replicator.replicate(MODEL, "1");
    } finally {
      azureStorage.restartStorage();
    }

    // then AWS and GCP have it verified and serve it; Azure is pending with the reason
    assertThat(status.destinations().get("s3://triad").state()).isEqualTo(Replicator.DONE);
    assertThat(status.destinations().get("gs://triad").state()).isEqualTo(Replicator.DONE);
    ReplicationStatus.Destination down =
        status.destinations().get("azblob://devstoreaccount1/triad");
    assertThat(down.state()).isEqualTo(Replicator.PENDING);
    assertThat(down.error()).isNotBlank();
    assertThat(azure.bucket().exists(BucketLayout.alias(MODEL, BucketLayout.PRODUCTION))).isFalse();
    awaitServed(aws, "1");
    awaitServed(gcp, "1");

    // and once Azure's storage is back, a catch-up (each schedule tick's) brings it there
    ReplicationStatus caught = replicator.catchUp(MODEL).orElseThrow();
    assertThat(caught.complete()).as("%s", caught).isTrue();
    awaitServed(azure, "1");
    // what each destination holds is what the source holds, byte for byte
    for (BlobStore destination : destinations.values()) {
      assertThat(destination.read(BucketLayout.modelFile(MODEL, "1")))
          .isEqualTo(source.read(BucketLayout.modelFile(MODEL, "1")));
    }

    // when Azure's store is gone for good, the next promotion still reaches the others
    azureStorage.stopStorage();
    ReplicationStatus second;
    try {
      models.putIrisAs(MODEL, "2", TestModels.weakIrisOnnx());
      models.promote(MODEL, "2");
      long start = System.nanoTime();
      second = replicator.replicate(MODEL, "2");
      System.out.printf(
          "replication with one store gone took %d ms%n", (System.nanoTime() - start) / 1_000_000);
    } finally {
      // back only so the Azure runtime can be stopped as the suite stops it
      azureStorage.restartStorage();
    }
    assertThat(second.destinations().get("s3://triad").state()).isEqualTo(Replicator.DONE);
    assertThat(second.destinations().get("gs://triad").state()).isEqualTo(Replicator.DONE);
    assertThat(second.destinations().get("azblob://devstoreaccount1/triad").state())
        .isEqualTo(Replicator.PENDING);
    awaitServed(aws, "2");
    awaitServed(gcp, "2");
  }

  /** Waits until {@code runtime} answers a {@code :predict} of the model with {@code version}. */
  private static void awaitServed(RuntimeUnderTest runtime, String version) throws Exception {
    Instant deadline = Instant.now().plus(WAIT);
    Answer answer = null;
    while (Instant.now().isBefore(deadline)) {
      answer =
          runtime.send(
              new ContractRequest(
                  "replication drill",
                  "POST",
                  "/v1/models/" + MODEL + ":predict",
                  Map.of("Content-Type", "application/json"),
                  TestModels.oneFlower()));
      if (answer.status() == 200
          && JSON.readTree(answer.body()).path("model_version").asText().equals(version)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        runtime.name()
            + " never served the replicated version: "
            + (answer == null ? "no answer" : new String(answer.body(), StandardCharsets.UTF_8))
            + runtime.logTail());
  }
}
