package io.triad.functions.replication;

import java.time.Instant;
import java.util.Map;

/**
 * What {@code replication/{m}/{v}.json} holds: each destination's state for one version.
 *
 * @param destinations by the replica's URI
 */
public record ReplicationStatus(
    String model, String version, Instant updated, Map<String, Destination> destinations) {

  public ReplicationStatus {
    // by the replica's URI, so the status file reads the same way each time it is written
    destinations =
        destinations == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(destinations));
  }

  /**
   * One destination.
   *
   * @param state {@link Replicator#DONE} or {@link Replicator#PENDING}
   * @param files the package's files
   * @param copied of them, those copied this time (the rest were there with the same hash)
   * @param verifiedAt when every file was last found equal there
   * @param aliasMoved whether its production alias was moved to the version
   * @param error why it is pending
   */
  public record Destination(
      String state,
      int files,
      int copied,
      long bytes,
      Instant verifiedAt,
      boolean aliasMoved,
      String error) {}

  ReplicationStatus with(String replica, Destination destination) {
    Map<String, Destination> next = new java.util.HashMap<>(destinations);
    next.put(replica, destination);
    return new ReplicationStatus(model, version, updated, next);
  }

  ReplicationStatus updated(Instant when) {
    return new ReplicationStatus(model, version, when, destinations);
  }

  /** Whether every destination is done. */
  public boolean complete() {
    return destinations.values().stream().allMatch(d -> d.state().equals(Replicator.DONE));
  }
}
