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
 */
public record ModelSettings(
    String trainingData,
    String schedule,
    GateSettings gate,
    Map<String, String> trainer,
    PayloadSettings payloads) {
  public ModelSettings {
    gate = gate == null ? GateSettings.defaults() : gate;
    trainer = trainer == null ? Map.of() : Map.copyOf(trainer);
    payloads = payloads == null ? PayloadSettings.off() : payloads;
  }

  public String trainingDataOr(String model) {
    return trainingData != null ? trainingData : BucketLayout.trainingData(model);
  }
}
