package io.triad.functions.rollout;

import io.triad.functions.api.TriadError;
import io.triad.functions.model.ModelKeys;
import java.time.Instant;
import java.util.Map;

/**
 * One decision of a rollout, as written to {@code rollouts/{m}/{time}.json} and to its claim: what
 * was decided about which version, why, from which figures, and what production became.
 *
 * @param kind {@code canary} or {@code promotion} (a fresh promotion watched)
 * @param action {@code promote} or {@code roll-back}
 * @param productionBefore the version production served when it was decided
 * @param productionAfter the version production serves once it is carried out
 * @param since when the alias watched was written: the figures are from then on
 * @param record where the decision is written
 */
public record RolloutDecision(
    String model,
    String kind,
    String action,
    String version,
    String productionBefore,
    String productionAfter,
    String reason,
    Instant since,
    Instant decidedAt,
    String decidedBy,
    Map<String, Object> figures,
    Map<String, Object> bounds,
    String record) {

  public static final String CANARY = "canary";
  public static final String PROMOTION = "promotion";
  public static final String PROMOTE = "promote";
  public static final String ROLL_BACK = "roll-back";

  public RolloutDecision {
    ModelKeys.checkName(model);
    ModelKeys.checkVersion(version);
    ModelKeys.checkVersion(productionAfter);
    if (!(kind.equals(CANARY) || kind.equals(PROMOTION))
        || !(action.equals(PROMOTE) || action.equals(ROLL_BACK))
        || (kind.equals(PROMOTION) && action.equals(PROMOTE))) {
      throw TriadError.unprocessable("not a rollout decision: " + kind + " " + action);
    }
    if (record == null || !record.startsWith(io.triad.layout.BucketLayout.ROLLOUTS + model + "/")) {
      throw TriadError.unprocessable("a rollout decision is recorded under its model's rollouts/");
    }
    figures = figures == null ? Map.of() : figures;
    bounds = bounds == null ? Map.of() : bounds;
  }
}
