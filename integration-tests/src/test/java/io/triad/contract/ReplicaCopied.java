package io.triad.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.triad.functions.api.TriadJson;
import io.triad.functions.replication.ReplicationStatus;
import io.triad.functions.replication.Replicator;
import io.triad.functions.store.BlobInfo;
import io.triad.functions.store.BlobStore;
import io.triad.layout.BucketLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/** What every route's destination shows once a promotion has reached it. */
final class ReplicaCopied {
  private ReplicaCopied() {}

  /**
   * Waits up to a minute for the destination's alias of {@code model} to name {@code version}; then
   * every file of the version's package there equals the source's, and the source's record says the
   * copy to {@code uri} is done with its alias moved.
   *
   * @param destination an object's bytes at the destination, or null where there is none
   * @param where the destination in words, for the failure message
   */
  static void assertCopied(
      BlobStore source,
      Function<String, byte[]> destination,
      String where,
      String uri,
      String model,
      String version)
      throws Exception {
    String alias = BucketLayout.alias(model, BucketLayout.PRODUCTION);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (!version.equals(text(destination.apply(alias))) && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
    }
    assertThat(text(destination.apply(alias)))
        .as("the %s's %s alias, copied", where, model)
        .isEqualTo(version);
    List<BlobInfo> files = source.list(BucketLayout.modelDir(model, version));
    assertThat(files).isNotEmpty();
    for (BlobInfo file : files) {
      assertThat(destination.apply(file.key())).as(file.key()).isEqualTo(source.read(file.key()));
    }
    ReplicationStatus status =
        TriadJson.mapper()
            .readValue(
                source.read(BucketLayout.replicationStatus(model, version)),
                ReplicationStatus.class);
    ReplicationStatus.Destination there = status.destinations().get(uri);
    assertThat(there.state()).as("%s", status).isEqualTo(Replicator.DONE);
    assertThat(there.aliasMoved()).isTrue();
  }

  /** An object's bytes in {@code store}, or null where there is none. */
  static Function<String, byte[]> readingFrom(BlobStore store) {
    return key -> store.exists(key) ? store.read(key) : null;
  }

  private static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }
}
