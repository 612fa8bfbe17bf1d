package io.triad.functions.training;

import io.triad.functions.config.PlacementSettings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The targets a model's training is tried on, in order, from its placement settings. */
public final class Placement {
  private Placement() {}

  /**
   * Each {@code cloud/region} of {@code settings}, on spot machines first where spot is allowed,
   * then on demand; a target written with {@code /spot} or {@code /on-demand} as written; for
   * {@code cheapest}, every target of {@code prices} (spot ones only where allowed) from the
   * cheapest up, ties in the table's order. A target named twice is tried once.
   */
  public static List<PlacementTarget> targets(
      PlacementSettings settings, Map<PlacementTarget, Double> prices) {
    Set<PlacementTarget> targets = new LinkedHashSet<>();
    if (settings.cheapest()) {
      List<Map.Entry<PlacementTarget, Double>> priced = new ArrayList<>(prices.entrySet());
      priced.sort(Map.Entry.comparingByValue(Comparator.naturalOrder()));
      priced.stream()
          .map(Map.Entry::getKey)
          .filter(t -> settings.spot() || !t.spot())
          .forEach(targets::add);
      return List.copyOf(targets);
    }
    for (String entry : settings.order()) {
      PlacementTarget target = PlacementTarget.parse(entry);
      boolean fixed = entry.trim().split("/").length == 3;
      if (!fixed && settings.spot()) {
        targets.add(target.withSpot(true));
      }
      targets.add(target);
    }
    return List.copyOf(targets);
  }
}
