package io.triad.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.triad.functions.api.ObjectCreated;
import io.triad.functions.api.Outcome;
import io.triad.functions.store.FileSystemBlobStore;
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
 * The output reflects the whole file, through the real watcher and the real functions: a {@code
 * .part} file is never scored before its rename, and a file scored too soon (written in two parts)
 * is scored again when it changes, its output replaced and the earlier failure record removed.
 */
class UploadLifecycleTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path bucket;

  @Test
  void watcher_should_scoreOnlyTheWholeFile_when_itIsWrittenInPartsOrAsAPartFile()
      throws Exception {
    new TestModels(new FileSystemBlobStore(bucket)).publishIris("1");
    try (ConfigurableApplicationContext app =
        TriadTestApp.start(bucket, new RecordingTrainingLauncher(), "triad.catalog=iris")) {
      Function<ObjectCreated, Outcome> onObjectCreated =
          app.getBean(FunctionCatalog.class).lookup("onObjectCreated");
      List<Outcome> outcomes = new CopyOnWriteArrayList<>();
      BucketWatcher watcher =
          new BucketWatcher(
              new FileSystemBlobStore(bucket),
              onObjectCreated,
              outcomes::add,
              Duration.ofMillis(100));
      watcher.start();
      try {
        Path incoming = Files.createDirectories(bucket.resolve("incoming/iris"));

        // given a local writer that writes name.part, then renames it
        Path part = Files.writeString(incoming.resolve("p.csv.part"), TestModels.incomingCsv(6, 1));
        Thread.sleep(800);
        // then nothing is scored or set aside before the rename
        assertThat(outcomes).isEmpty();
        Files.move(part, incoming.resolve("p.csv"));
        Path output = bucket.resolve("predictions/iris/p.csv.jsonl");
        LocalClient.await("p.csv scored", () -> lines(output) == 6, WAIT);

        // given a file whose first part is scored before the rest arrives
        String whole = TestModels.incomingCsv(5, 2);
        Path slow = incoming.resolve("slow.csv");
        Files.writeString(slow, whole.substring(0, whole.indexOf('\n') + 12));
        Path failure = bucket.resolve("failed/incoming/iris/slow.csv.error.json");
        LocalClient.await("the half file set aside", () -> Files.exists(failure), WAIT);

        // when the rest arrives
        Files.writeString(slow, whole);

        // then the output reflects the whole file and the stale failure is gone
        Path slowOutput = bucket.resolve("predictions/iris/slow.csv.jsonl");
        LocalClient.await("slow.csv scored whole", () -> lines(slowOutput) == 5, WAIT);
        LocalClient.await("the stale failure removed", () -> !Files.exists(failure), WAIT);
        assertThat(bucket.resolve("failed/incoming/iris/slow.csv")).doesNotExist();
      } finally {
        watcher.stop();
      }
    }
  }

  private static long lines(Path file) {
    try (var lines = Files.lines(file)) {
      return lines.count();
    } catch (java.io.IOException e) {
      return -1;
    }
  }
}
