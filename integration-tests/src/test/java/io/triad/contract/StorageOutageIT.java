package io.triad.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.TriadJson;
import io.triad.functions.store.BlobInfo;
import io.triad.functions.testing.TestModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage emulator taken down and restarted in the middle of a run of uploads, on the two
 * runtimes whose storage is an emulator process (s3rver, killed at once; Azurite on disk, stopped,
 * since a killed Azurite loses metadata Blob storage would keep; the local runtime's storage is its
 * own file system and GCP's is an in-memory fake, neither of which can go down on its own). The
 * test plays the platform: it delivers each upload's event, and where the function fails it
 * delivers the event again later, as S3's asynchronous invocation and Event Grid retry. Every
 * upload must end with its whole output, nothing set aside under {@code failed/} (an outage is not
 * a bad upload), no upload lost or changed, and no object in the bucket that is not an upload, a
 * whole output or the model.
 */
class StorageOutageIT {
  private static final int UPLOADS = 24;
  private static final int ROWS = 100;
  private static final int BIG_ROWS = 300_000;
  private static final long SCORING_MILLIS = 300;
  private static final int REDELIVERIES = 5;
  private static final ObjectMapper JSON = TriadJson.mapper();

  @TempDir Path work;

  @Test
  void upload_should_writeEveryOutputWholeAndLoseNothing_when_s3rverIsKilledDuring25Uploads()
      throws Exception {
    try (AwsUnderTest aws = new AwsUnderTest(work.resolve("aws"), "triad")) {
      drill(aws, aws);
    }
  }

  @Test
  void upload_should_writeEveryOutputWholeAndLoseNothing_when_azuriteIsStoppedDuring25Uploads()
      throws Exception {
    try (AzureUnderTest azure = new AzureUnderTest(work.resolve("azure"), "triad", true)) {
      drill(azure, azure);
    }
  }

  private static void drill(RuntimeUnderTest runtime, StoppableStorage storage) throws Exception {
    // given 24 small uploads and one big one, all in the bucket before anything is announced
    Map<String, byte[]> uploads = new LinkedHashMap<>();
    for (int i = 0; i < UPLOADS; i++) {
      uploads.put(
          "incoming/iris/outage-" + i + ".csv",
          TestModels.incomingCsv(ROWS, i).getBytes(StandardCharsets.UTF_8));
    }
    String big = "incoming/iris/outage-big.csv";
    uploads.put(big, TestModels.incomingCsv(BIG_ROWS, 99).getBytes(StandardCharsets.UTF_8));
    uploads.forEach(runtime.bucket()::put);
    List<String> small = uploads.keySet().stream().filter(k -> !k.equals(big)).toList();
    List<String> undelivered = new ArrayList<>();

    // when the first third is delivered with the storage up
    for (String key : small.subList(0, UPLOADS / 3)) {
      assertThat(deliver(runtime, key))
          .as("%s: %s delivered while the storage is up", runtime.name(), key)
          .isTrue();
    }
    // and the storage goes down while the big upload is being scored
    CompletableFuture<Boolean> bigDelivery =
        CompletableFuture.supplyAsync(() -> deliver(runtime, big));
    awaitScoring(runtime, bigDelivery);
    storage.stopStorage();
    assertThat(bigDelivery.get(120, TimeUnit.SECONDS))
        .as(
            "%s: the big upload, cut off by the outage, must fail so the platform redelivers it",
            runtime.name())
        .isFalse();
    undelivered.add(big);
    // and the second third arrives while it is down: each must fail, so the platform delivers it
    // again
    for (String key : small.subList(UPLOADS / 3, 2 * UPLOADS / 3)) {
      assertThat(deliver(runtime, key))
          .as("%s: %s must fail while the storage is down", runtime.name(), key)
          .isFalse();
      undelivered.add(key);
    }
    storage.restartStorage();
    // and the platform redelivers what failed, and the last third arrives
    for (String key : undelivered) {
      redeliver(runtime, key);
    }
    for (String key : small.subList(2 * UPLOADS / 3, UPLOADS)) {
      redeliver(runtime, key);
    }

    // then every upload is still there, unchanged, with its whole output, and nothing else is
    System.out.printf(
        "%s outage drill: %d uploads, storage went down during the big one; %d deliveries failed and were redelivered%n",
        runtime.name(), uploads.size(), undelivered.size());
    assertThat(runtime.bucket().list("failed/"))
        .as("%s: an outage sets nothing aside", runtime.name())
        .isEmpty();
    for (Map.Entry<String, byte[]> upload : uploads.entrySet()) {
      String key = upload.getKey();
      assertThat(runtime.bucket().read(key))
          .as("%s: upload %s kept byte for byte", runtime.name(), key)
          .isEqualTo(upload.getValue());
      assertWhole(
          runtime,
          key.replace("incoming/", "predictions/") + ".jsonl",
          key.equals(big) ? BIG_ROWS : ROWS);
    }
    List<String> others =
        runtime.bucket().list("").stream()
            .map(BlobInfo::key)
            .filter(
                k ->
                    !uploads.containsKey(k)
                        && !k.startsWith("predictions/iris/outage-")
                        && !k.startsWith("models/"))
            .toList();
    assertThat(others)
        .as(
            "%s: objects that are neither an upload, an output nor the model (partial writes)",
            runtime.name())
        .isEmpty();
  }

  /**
   * Waits until the big upload's delivery has been under way for {@value #SCORING_MILLIS} ms, and
   * checks it still is: scoring {@value #BIG_ROWS} rows through an emulator takes seconds, so the
   * storage goes down in the middle of it (the test fails, rather than passing vacuously, if it
   * ever finished first).
   */
  private static void awaitScoring(RuntimeUnderTest runtime, CompletableFuture<Boolean> delivery)
      throws Exception {
    try {
      delivery.get(SCORING_MILLIS, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException stillScoring) {
      return;
    }
    throw new AssertionError(
        runtime.name() + ": the big upload finished before the storage went down; make it bigger");
  }

  /** One delivery of the upload's event: true if the function succeeded. */
  private static boolean deliver(RuntimeUnderTest runtime, String key) {
    try {
      runtime.announce(key);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  /** Delivers until the function succeeds, as the platform's retries do, a few times at most. */
  private static void redeliver(RuntimeUnderTest runtime, String key) throws InterruptedException {
    for (int attempt = 1; attempt <= REDELIVERIES; attempt++) {
      if (deliver(runtime, key)) {
        return;
      }
      Thread.sleep(500L * attempt);
    }
    throw new AssertionError(
        runtime.name()
            + ": "
            + key
            + " still failed after "
            + REDELIVERIES
            + " redeliveries with the storage up");
  }

  private static void assertWhole(RuntimeUnderTest runtime, String output, int rows)
      throws IOException {
    List<String> lines =
        new String(runtime.bucket().read(output), StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).as("%s: %s has one line per row", runtime.name(), output).hasSize(rows);
    for (String line : lines) {
      assertThat(JSON.readTree(line).path("label").asText())
          .as("%s: %s: every line is a prediction", runtime.name(), output)
          .isNotEmpty();
    }
  }
}
