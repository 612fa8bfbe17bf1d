package io.triad.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs every start once per round, in the same order each round, so each Triad start sits beside
 * its baseline in time; a start that fails is reported and dropped from later rounds.
 */
final class Rounds {
  private final Map<String, List<Sample>> samples = new LinkedHashMap<>();
  private final Map<String, String> failures = new LinkedHashMap<>();

  Rounds run(List<ColdStart> starts, int rounds) {
    for (int round = 0; round < rounds; round++) {
      for (ColdStart start : starts) {
        if (failures.containsKey(start.name())) {
          continue;
        }
        long t0 = System.nanoTime();
        try {
          Sample sample = start.start();
          samples.computeIfAbsent(start.name(), n -> new ArrayList<>()).add(sample);
          StringBuilder warm = new StringBuilder();
          sample
              .warm()
              .forEach(
                  (model, p) ->
                      warm.append(
                          String.format(
                              java.util.Locale.ROOT, ", warm %s p50 %.0f µs", model, p.p50Us())));
          System.out.printf(
              "round %d: %s: first answer %d ms, peak RSS %d MiB%s (%.1f s)%n",
              round + 1,
              start.name(),
              sample.firstAnswerMs(),
              sample.peakRssKib() / 1024,
              warm,
              (System.nanoTime() - t0) / 1e9);
        } catch (Exception e) {
          failures.put(
              start.name(),
              e.getMessage() == null
                  ? e.toString()
                  : e.getMessage().lines().findFirst().orElse(e.toString()));
          System.out.printf("round %d: %s FAILED: %s%n", round + 1, start.name(), e);
        }
      }
    }
    return this;
  }

  List<Sample> samples(String name) {
    return samples.getOrDefault(name, List.of());
  }

  /** Why a start failed, or null. */
  String failure(String name) {
    return failures.get(name);
  }
}
