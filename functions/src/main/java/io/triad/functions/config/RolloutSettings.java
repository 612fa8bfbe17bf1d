package io.triad.functions.config;

import java.time.Duration;

/**
 * How a model's rollouts are decided from live figures ({@code triad.models.{m}.rollout.*}).
 *
 * @param enabled whether serving instances decide at all (on by default); off, canaries and
 *     promotions are only watched
 * @param minRequests requests a canary must answer before it is promoted (200)
 * @param minDuration how long a canary must have been named before it is promoted (10 minutes)
 * @param maxErrorRate the share of its requests a version may fail (0.01): a canary whose rate is
 *     above it with 95% confidence is rolled back at once, one at or under it may be promoted
 * @param maxP99 the slowest a version's 99th percentile may be (1 s), judged once it has answered
 *     100 requests
 * @param minAgreement the least share of shadow copies that agree with production (0.9), judged
 *     where the shadow alias names the same version as the canary and 20 copies were compared
 * @param watch how long a fresh promotion is watched and rolled back to its parent on errors or
 *     drift (1 hour)
 */
public record RolloutSettings(
    Boolean enabled,
    Integer minRequests,
    Duration minDuration,
    Double maxErrorRate,
    Duration maxP99,
    Double minAgreement,
    Duration watch) {

  public RolloutSettings {
    enabled = enabled == null || enabled;
    minRequests = minRequests == null ? 200 : Math.max(1, minRequests);
    minDuration = minDuration == null ? Duration.ofMinutes(10) : minDuration;
    maxErrorRate = maxErrorRate == null ? 0.01 : maxErrorRate;
    maxP99 = maxP99 == null ? Duration.ofSeconds(1) : maxP99;
    minAgreement = minAgreement == null ? 0.9 : minAgreement;
    watch = watch == null ? Duration.ofHours(1) : watch;
    if (maxErrorRate < 0 || maxErrorRate > 1 || minAgreement < 0 || minAgreement > 1) {
      throw new IllegalArgumentException(
          "rollout: max-error-rate and min-agreement are shares, 0 to 1");
    }
  }

  public static RolloutSettings defaults() {
    return new RolloutSettings(null, null, null, null, null, null, null);
  }
}
