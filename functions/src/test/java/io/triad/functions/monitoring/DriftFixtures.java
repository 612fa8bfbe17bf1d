package io.triad.functions.monitoring;

import com.fasterxml.jackson.databind.JsonNode;

/** What the drift tests share: a shift of iris flowers, and a feature's verdict in a report. */
final class DriftFixtures {
  private DriftFixtures() {}

  /** An iris CSV line grown: petals 2 cm longer and 50% wider, sepals 1.5 cm longer; label kept. */
  static String grow(String line) {
    String[] cells = line.split(",");
    cells[0] = Double.toString(Double.parseDouble(cells[0]) + 1.5);
    cells[2] = Double.toString(Double.parseDouble(cells[2]) + 2.0);
    cells[3] = Double.toString(Double.parseDouble(cells[3]) * 1.5);
    return String.join(",", cells);
  }

  /** Whether {@code report} says {@code feature} drifted. */
  static boolean verdict(JsonNode report, String feature) {
    for (JsonNode f : report.get("features")) {
      if (f.get("feature").asText().equals(feature)) {
        return f.get("drifted").asBoolean();
      }
    }
    throw new AssertionError("no feature " + feature + " in " + report);
  }
}
