package io.triad.local;

import io.triad.functions.api.Outcome;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.UploadRetryFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A storage fault while the alias is read, through the local runtime's file watcher: the event is
 * delivered again with backoff until the store answers ({@link UploadRetryFixture}, the same drill
 * on every runtime; here the runtime itself plays the platform that redelivers).
 */
class UploadRetryTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path bucket;

  @Test
  void watcher_should_redeliverWithBackoffAndSetNothingAside_when_theStoreFailsWhileTheAliasIsRead()
      throws Exception {
    try (UploadRetryFixture fixture = new UploadRetryFixture(bucket)) {
      List<Outcome> outcomes = new CopyOnWriteArrayList<>();
      EventRetries retries = new EventRetries(Duration.ofMillis(50), Duration.ofMillis(200), 100);
      BucketWatcher watcher =
          new BucketWatcher(
              new FileSystemBlobStore(bucket),
              fixture.onObjectCreated(),
              outcomes::add,
              Duration.ofMillis(50),
              retries);
      watcher.start();
      try {
        // when the upload is written while the store fails on the alias
        Path upload = bucket.resolve(UploadRetryFixture.UPLOAD);
        Files.write(upload, Files.readAllBytes(upload));

        // then it is delivered again and again, and nothing is set aside meanwhile
        LocalClient.await(
            "three failed deliveries",
            () -> retries.attempts(UploadRetryFixture.UPLOAD) >= 3,
            WAIT);
        fixture.assertRetriedNotSetAside();

        // and once the store heals, a redelivery scores it
        fixture.heal();
        LocalClient.await(
            "the upload scored",
            () -> outcomes.stream().anyMatch(Outcome.Written.class::isInstance),
            WAIT);
        fixture.assertScored();
      } finally {
        watcher.stop();
      }
    }
  }
}
