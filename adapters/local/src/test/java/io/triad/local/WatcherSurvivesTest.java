package io.triad.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.triad.functions.api.ObjectCreated;
import io.triad.functions.api.Outcome;
import io.triad.functions.store.FileSystemBlobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watcher keeps watching whatever comes and goes beside an upload: folders removed as soon as
 * they appear, trees whose files vanish while they are walked. Before, one folder gone between its
 * event and its walk ended the watch thread, and every later upload waited forever.
 */
class WatcherSurvivesTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path bucket;

  @Test
  void watcher_should_stillDeliverUploads_when_foldersVanishAsTheyAreWatched() throws Exception {
    // given a watcher whose function records what it was given
    List<String> delivered = new CopyOnWriteArrayList<>();
    Function<ObjectCreated, Outcome> record =
        event -> {
          delivered.add(event.key());
          return new Outcome.Ignored(event.key(), "recorded");
        };
    BucketWatcher watcher =
        new BucketWatcher(new FileSystemBlobStore(bucket), record, o -> {}, Duration.ofMillis(50));
    watcher.start();
    try {
      Path incoming = Files.createDirectories(bucket.resolve("incoming/iris"));

      // when folders, some with files, appear and are removed at once, many times over
      for (int i = 0; i < 300; i++) {
        Path dir = Files.createDirectories(incoming.resolve("gone-" + i + "/deeper"));
        Path file = Files.writeString(dir.resolve("x.csv"), "a\n");
        Files.delete(file);
        Files.delete(dir);
        Files.delete(dir.getParent());
      }
      Files.writeString(incoming.resolve("after.csv"), "sepal_length\n1\n");

      // then the upload after them is still delivered
      LocalClient.await(
          "the upload after the vanished folders delivered",
          () -> delivered.contains("incoming/iris/after.csv"),
          WAIT);
      assertThat(delivered).noneMatch(key -> key.contains("gone-"));
    } finally {
      watcher.stop();
    }
  }
}
