package io.triad.functions.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.triad.functions.api.ObjectCreated;
import io.triad.functions.api.Outcome;
import io.triad.functions.api.ScheduledTick;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import io.triad.functions.training.RetrainingReport;
import io.triad.layout.BucketLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Replication through the functions, with the replica named in the settings as a user names it
 * ({@code triad.models.iris.replicas=file:///…}): a promotion by the gate is copied, verified and
 * aliased there at once; one made while the replica could not be written is brought there by the
 * next schedule tick.
 */
class ReplicationFunctionsTest {
  @TempDir Path root;

  @Test
  void promotion_should_reachTheReplica_andATickCatchesUpWhatWasMissed() throws Exception {
    Path bucket = Files.createDirectories(root.resolve("bucket"));
    Path replicaDir = root.resolve("replica");
    FileSystemBlobStore store = new FileSystemBlobStore(bucket);
    TestModels models = new TestModels(store);
    models.publishIris("1");
    try (ConfigurableApplicationContext app =
        TriadTestApp.start(
            bucket,
            new RecordingTrainingLauncher(),
            "triad.catalog=iris",
            "triad.models.iris.replicas=" + replicaDir.toUri())) {
      FunctionCatalog catalog = app.getBean(FunctionCatalog.class);
      Function<ObjectCreated, Outcome> onObjectCreated = catalog.lookup("onObjectCreated");
      Function<ScheduledTick, RetrainingReport> onSchedule = catalog.lookup("onSchedule");

      // a promotion while the replica's folder cannot be made (a file stands in its place)
      Files.writeString(replicaDir, "in the way");
      Outcome first =
          onObjectCreated.apply(ObjectCreated.of(models.candidateIris("2", TestModels.irisOnnx())));
      assertThat(first).isInstanceOf(Outcome.Promoted.class);
      assertThat(new String(store.read(BucketLayout.replicationStatus("iris", "2"))))
          .contains("\"state\" : \"pending\"");

      // the replica comes back: the next tick brings it to production
      Files.delete(replicaDir);
      onSchedule.apply(new ScheduledTick(List.of("iris"), Instant.now()));
      FileSystemBlobStore replica = new FileSystemBlobStore(replicaDir);
      assertThat(new String(replica.read(BucketLayout.alias("iris", BucketLayout.PRODUCTION))))
          .isEqualTo("2");
      assertThat(replica.read(BucketLayout.modelFile("iris", "2")))
          .isEqualTo(store.read(BucketLayout.modelFile("iris", "2")));
      assertThat(replica.exists(BucketLayout.signature("iris", "2"))).isTrue();

      // a promotion with the replica there reaches it at once
      Outcome second =
          onObjectCreated.apply(ObjectCreated.of(models.candidateIris("3", TestModels.irisOnnx())));
      assertThat(second).isInstanceOf(Outcome.Promoted.class);
      assertThat(new String(replica.read(BucketLayout.alias("iris", BucketLayout.PRODUCTION))))
          .isEqualTo("3");
      assertThat(new String(store.read(BucketLayout.replicationStatus("iris", "3"))))
          .contains("\"state\" : \"done\"", "\"aliasMoved\" : true");
    }
  }
}
