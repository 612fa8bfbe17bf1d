package io.triad.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.triad.functions.api.ObjectCreated;
import io.triad.functions.api.Outcome;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.FaultyStore;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The full-disk drill through the real watcher and functions. The disk is a test double ({@link
 * FaultyStore} fails writes as a full disk does: a real full disk needs a file system of its own,
 * which a test here cannot mount): an upload scored while the disk is full is retried with backoff
 * and scored once space returns; one that never gets space is set aside with the reason after the
 * retry limit, copy and reason together.
 */
class FullDiskTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path bucket;

  @Test
  void watcher_should_retryUntilSpaceReturnsThenSetAsideAtTheLimit_when_theDiskIsFull()
      throws Exception {
    new TestModels(new FileSystemBlobStore(bucket)).publishIris("1");
    FaultyStore disk = new FaultyStore(new FileSystemBlobStore(bucket));
    try (ConfigurableApplicationContext app =
        TriadTestApp.start(disk, new RecordingTrainingLauncher(), "triad.catalog=iris")) {
      Function<ObjectCreated, Outcome> onObjectCreated =
          app.getBean(FunctionCatalog.class).lookup("onObjectCreated");
      List<Outcome> outcomes = new CopyOnWriteArrayList<>();
      EventRetries retries = new EventRetries(Duration.ofMillis(50), Duration.ofMillis(200), 4);
      BucketWatcher watcher =
          new BucketWatcher(
              new FileSystemBlobStore(bucket),
              onObjectCreated,
              outcomes::add,
              Duration.ofMillis(50),
              retries);
      watcher.start();
      try {
        // given a full disk for predictions
        disk.failWrites(key -> key.startsWith("predictions/"));
        Path incoming = Files.createDirectories(bucket.resolve("incoming/iris"));

        // when an upload lands, then it is retried, and nothing is set aside meanwhile
        Files.writeString(incoming.resolve("a.csv"), TestModels.incomingCsv(3, 1));
        LocalClient.await("two faults", () -> retries.attempts("incoming/iris/a.csv") >= 2, WAIT);
        assertThat(bucket.resolve("failed/incoming/iris/a.csv.error.json")).doesNotExist();

        // and once space returns it is scored
        disk.failWrites(key -> false);
        LocalClient.await(
            "a.csv scored",
            () -> Files.exists(bucket.resolve("predictions/iris/a.csv.jsonl")),
            WAIT);
        assertThat(bucket.resolve("failed/incoming/iris/a.csv.error.json")).doesNotExist();

        // given the disk full for predictions for good
        disk.failWrites(key -> key.startsWith("predictions/"));
        Files.writeString(incoming.resolve("b.csv"), TestModels.incomingCsv(3, 2));

        // then after the retry limit it is set aside with the reason, copy and reason together
        Path reason = bucket.resolve("failed/incoming/iris/b.csv.error.json");
        LocalClient.await("b.csv set aside", () -> Files.exists(reason), WAIT);
        assertThat(Files.readString(reason, UTF_8))
            .contains("given up after repeated faults")
            .doesNotContain("Exception");
        assertThat(bucket.resolve("failed/incoming/iris/b.csv")).exists();
        assertThat(bucket.resolve("predictions/iris/b.csv.jsonl")).doesNotExist();
      } finally {
        watcher.stop();
      }
    }
  }
}
