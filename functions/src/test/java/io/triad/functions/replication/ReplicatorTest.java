package io.triad.functions.replication;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triad.functions.api.TriadJson;
import io.triad.functions.config.ModelSettings;
import io.triad.functions.store.BlobInfo;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.FaultyStore;
import io.triad.functions.testing.TestModels;
import io.triad.layout.BucketLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replication between stores (directories here; the cloud stores implement the same interface and
 * are driven by the contract suite): every file verified by hash at the destination before its
 * alias moves, nothing copied twice, a destination that is down, that corrupts what it is given or
 * that fails half-way is pending with the reason and catches up when it answers again.
 */
class ReplicatorTest {
  private static final String EAST = "file:///replicas/east";
  private static final String WEST = "file:///replicas/west";

  @TempDir Path root;
  private FileSystemBlobStore source;
  private FaultyStore east;
  private FaultyStore west;

  @BeforeEach
  void stores() throws IOException {
    source = new FileSystemBlobStore(Files.createDirectories(root.resolve("source")));
    east = new FaultyStore(new FileSystemBlobStore(Files.createDirectories(root.resolve("east"))));
    west = new FaultyStore(new FileSystemBlobStore(Files.createDirectories(root.resolve("west"))));
    TestModels models = new TestModels(source);
    models.publishIris("1");
    models.putIris("2", TestModels.weakIrisOnnx());
  }

  private Replicator replicator() {
    return new Replicator(
        source,
        TriadJson.mapper(),
        model -> model.equals("iris") ? List.of(EAST, WEST) : List.of(),
        uri -> uri.equals(EAST) ? east : west,
        Clock.systemUTC());
  }

  private static String alias(BlobStore store) {
    return new String(store.read(BucketLayout.alias("iris", BucketLayout.PRODUCTION)), UTF_8);
  }

  private int packageFiles() {
    return source.list(BucketLayout.modelDir("iris", "1")).size();
  }

  @Test
  void replicate_should_copyVerifyAndMoveTheAlias_andCopyNothingTheSecondTime() {
    ReplicationStatus first = replicator().replicate("iris", "1");

    assertThat(first.complete()).isTrue();
    for (String replica : List.of(EAST, WEST)) {
      ReplicationStatus.Destination d = first.destinations().get(replica);
      assertThat(d.files()).isEqualTo(packageFiles()).isGreaterThanOrEqualTo(3);
      assertThat(d.copied()).isEqualTo(d.files());
      assertThat(d.aliasMoved()).isTrue();
      assertThat(d.verifiedAt()).isNotNull();
    }
    for (BlobInfo file : source.list(BucketLayout.modelDir("iris", "1"))) {
      assertThat(east.read(file.key())).isEqualTo(source.read(file.key()));
      assertThat(west.read(file.key())).isEqualTo(source.read(file.key()));
    }
    assertThat(alias(east)).isEqualTo("1");
    assertThat(alias(west)).isEqualTo("1");
    // the status is in the source store, per destination
    assertThat(new String(source.read(BucketLayout.replicationStatus("iris", "1")), UTF_8))
        .contains(EAST, WEST, "\"state\" : \"done\"");

    ReplicationStatus again = replicator().replicate("iris", "1");
    assertThat(again.destinations().values()).allSatisfy(d -> assertThat(d.copied()).isZero());
  }

  @Test
  void destinationDown_should_bePending_andCatchUpWhenItReturns() {
    east.failReads(key -> true);
    east.failWrites(key -> true);

    ReplicationStatus status = replicator().replicate("iris", "1");

    assertThat(status.destinations().get(WEST).state()).isEqualTo(Replicator.DONE);
    ReplicationStatus.Destination down = status.destinations().get(EAST);
    assertThat(down.state()).isEqualTo(Replicator.PENDING);
    assertThat(down.error()).contains("the store did not answer").doesNotContain("Exception");
    assertThat(down.aliasMoved()).isFalse();

    // while it is down, a catch-up leaves it pending and the other alone
    assertThat(replicator().catchUp("iris").orElseThrow().destinations().get(EAST).state())
        .isEqualTo(Replicator.PENDING);

    // when it answers again, the next catch-up brings it to production
    east.failReads(key -> false);
    east.failWrites(key -> false);
    ReplicationStatus caught = replicator().catchUp("iris").orElseThrow();
    assertThat(caught.complete()).isTrue();
    assertThat(alias(east)).isEqualTo("1");
    assertThat(east.read(BucketLayout.modelFile("iris", "1")))
        .isEqualTo(source.read(BucketLayout.modelFile("iris", "1")));
  }

  @Test
  void destinationThatCorrupts_should_neverGetTheAlias() {
    west.corruptWrites(key -> true);

    ReplicationStatus status = replicator().replicate("iris", "1");

    ReplicationStatus.Destination corrupted = status.destinations().get(WEST);
    assertThat(corrupted.state()).isEqualTo(Replicator.PENDING);
    assertThat(corrupted.error()).contains("reads back with SHA-256");
    assertThat(west.exists(BucketLayout.alias("iris", BucketLayout.PRODUCTION))).isFalse();
    assertThat(status.destinations().get(EAST).state()).isEqualTo(Replicator.DONE);
  }

  @Test
  void interruptedCopy_should_resumeWithWhatIsMissing() {
    // the destination fills up when the manifest (written last) arrives
    east.failWrites(key -> key.endsWith(BucketLayout.MANIFEST_FILE));
    ReplicationStatus.Destination stopped =
        replicator().replicate("iris", "1").destinations().get(EAST);
    assertThat(stopped.state()).isEqualTo(Replicator.PENDING);
    assertThat(east.exists(BucketLayout.manifest("iris", "1"))).isFalse();

    east.failWrites(key -> false);
    ReplicationStatus.Destination resumed =
        replicator().catchUp("iris").orElseThrow().destinations().get(EAST);
    assertThat(resumed.state()).isEqualTo(Replicator.DONE);
    assertThat(resumed.copied()).isEqualTo(1).isLessThan(resumed.files());
  }

  @Test
  void tamperedCopy_should_beCopiedAgain() {
    replicator().replicate("iris", "1");
    east.put(BucketLayout.modelFile("iris", "1"), "not a model".getBytes(UTF_8));

    ReplicationStatus.Destination again =
        replicator().replicate("iris", "1").destinations().get(EAST);

    assertThat(again.copied()).isEqualTo(1);
    assertThat(east.read(BucketLayout.modelFile("iris", "1")))
        .isEqualTo(source.read(BucketLayout.modelFile("iris", "1")));
  }

  @Test
  void versionNotInProduction_should_beCopiedWithoutMovingTheAlias() {
    replicator().replicate("iris", "1");
    ReplicationStatus.Destination d = replicator().replicate("iris", "2").destinations().get(EAST);
    assertThat(d.state()).isEqualTo(Replicator.DONE);
    assertThat(d.aliasMoved()).isFalse();
    assertThat(alias(east)).isEqualTo("1");
    assertThat(east.exists(BucketLayout.manifest("iris", "2"))).isTrue();
  }

  @Test
  void storeThisRuntimeCannotOpen_should_bePendingWithTheReason() {
    Replicator replicator =
        new Replicator(
            source,
            TriadJson.mapper(),
            model -> List.of("azblob://account/container", EAST),
            uri -> {
              if (uri.startsWith("azblob:")) {
                throw new IllegalArgumentException("no provider for azblob");
              }
              return east;
            },
            Clock.systemUTC());

    ReplicationStatus status = replicator.replicate("iris", "1");

    assertThat(status.destinations().get("azblob://account/container").error())
        .startsWith("this runtime cannot open azblob:// stores");
    assertThat(status.destinations().get(EAST).state()).isEqualTo(Replicator.DONE);
  }

  @Test
  void settings_should_refuseAReplicaThatIsNoStore() {
    assertThatThrownBy(
            () ->
                new ModelSettings(
                    null, null, null, null, null, null, null, List.of("ftp://host/bucket"), null))
        .hasMessageContaining("s3://, azblob://, gs:// or file://");
    assertThat(
            new ModelSettings(
                    null, null, null, null, null, null, null, List.of(" gs://b ", ""), null)
                .replicas())
        .containsExactly("gs://b");
  }
}
