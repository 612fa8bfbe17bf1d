package io.triad.functions.config;

import io.triad.functions.training.PlacementTarget;
import java.util.List;

/**
 * Where a model's training may run, in the order to try ({@code triad.models.{m}.placement.*}).
 *
 * @param order {@code cloud/region} targets, tried in turn until a batch service takes the job
 *     (each may end in {@code /spot} or {@code /on-demand} to fix its machines); or the one word
 *     {@code cheapest}, every target of the price table ({@code triad.cost.prices}) from the
 *     cheapest up. Empty (the default): this runtime's own batch service, as it is configured.
 * @param spot whether spot machines may be used: each target without a suffix is tried on spot
 *     machines first, then on demand (off by default: on demand only)
 * @param maxWait how long a job the service accepted may wait for machines (30 minutes): a schedule
 *     tick that finds it still waiting after that withdraws it and submits it to the next target,
 *     as a refusal for capacity
 */
public record PlacementSettings(List<String> order, Boolean spot, java.time.Duration maxWait) {
  public static final String CHEAPEST = "cheapest";

  public PlacementSettings {
    order =
        order == null
            ? List.of()
            : order.stream().map(String::trim).filter(t -> !t.isEmpty()).toList();
    spot = spot != null && spot;
    maxWait = maxWait == null ? java.time.Duration.ofMinutes(30) : maxWait;
    if (order.contains(CHEAPEST) && order.size() > 1) {
      throw new IllegalArgumentException(
          "placement.order is either 'cheapest' or a list of targets, not both: " + order);
    }
    for (String target : order) {
      if (!target.equals(CHEAPEST)) {
        PlacementTarget.parse(target); // refused at start, not at the first tick
      }
    }
  }

  public static PlacementSettings none() {
    return new PlacementSettings(null, null, null);
  }

  /** Whether the model names where to train; otherwise the runtime's own service is used. */
  public boolean placed() {
    return !order.isEmpty();
  }

  public boolean cheapest() {
    return order.equals(List.of(CHEAPEST));
  }
}
