package io.triad.functions.config;

import io.triad.layout.BucketLayout;
import java.util.Map;

/**
 * What the suite knows of one model beyond its packages: where its training data lives, when to
 * retrain it, the promotion gate, and extra trainer options.
 *
 * @param trainingData the data object the trainer reads ({@code data/{model}/train.csv} if unset)
 * @param schedule a cron expression for retraining, or null for none
 * @param payloads what of its requests and responses is logged (nothing by default)
 * @param retrain when a schedule tick retrains it: {@code always} (the default), or {@code
 *     on-drift}, only when the tick's check of its payload log finds drift ({@link
 *     io.triad.functions.monitoring.ServedDrift})
 * @param rollout how its canaries are promoted or rolled back, and fresh promotions watched, from
 *     live figures
 * @param replicas the other stores every promoted version is copied to, verified, before their
 *     production alias moves: {@code s3://bucket}, {@code azblob://account/container}, {@code
 *     gs://bucket} or {@code file:///path} (none by default)
 * @param placement where its training may run, in the order to try (the runtime's own batch service
 *     by default)
 */
public record ModelSettings(
    String trainingData,
    String schedule,
    GateSettings gate,
    Map<String, String> trainer,
    PayloadSettings payloads,
    Retrain retrain,
    RolloutSettings rollout,
    java.util.List<String> replicas,
    PlacementSettings placement) {

  /** The schemes a replica may name. */
  public static final java.util.Set<String> REPLICA_SCHEMES =
      java.util.Set.of("s3", "azblob", "gs", "file");

  /** When a schedule tick retrains a model. */
  public enum Retrain {
    /** At every tick of its schedule. */
    ALWAYS,
    /** At a tick whose check of the payload log finds drift. */
    ON_DRIFT
  }

  public ModelSettings {
    retrain = retrain == null ? Retrain.ALWAYS : retrain;
    gate = gate == null ? GateSettings.defaults() : gate;
    trainer = trainer == null ? Map.of() : Map.copyOf(trainer);
    payloads = payloads == null ? PayloadSettings.off() : payloads;
    rollout = rollout == null ? RolloutSettings.defaults() : rollout;
    placement = placement == null ? PlacementSettings.none() : placement;
    replicas =
        replicas == null
            ? java.util.List.of()
            : replicas.stream().map(String::trim).filter(r -> !r.isEmpty()).toList();
    for (String replica : replicas) {
      String scheme;
      try {
        scheme = java.net.URI.create(replica).getScheme();
      } catch (IllegalArgumentException e) {
        scheme = null;
      }
      if (scheme == null || !REPLICA_SCHEMES.contains(scheme)) {
        throw new IllegalArgumentException(
            "a replica is s3://, azblob://, gs:// or file:// followed by its store, not "
                + replica);
      }
    }
  }

  public String trainingDataOr(String model) {
    return trainingData != null ? trainingData : BucketLayout.trainingData(model);
  }
}
