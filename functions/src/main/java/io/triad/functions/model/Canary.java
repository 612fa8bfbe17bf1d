package io.triad.functions.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.triad.functions.api.TriadError;
import io.triad.functions.api.TriadJson;
import java.io.IOException;

/**
 * A canary: the version {@code models/{m}/aliases/canary} names and the share of traffic it
 * answers, {@code weight} percent (0-100). Which requests are its share is decided from each
 * request's id (an upload's id for a file), so a client's retries, and every row of one file, stay
 * on one version.
 */
public record Canary(String version, int weight) {
  public Canary {
    ModelKeys.checkVersion(version);
    if (weight < 0 || weight > 100) {
      throw TriadError.unprocessable("a canary's weight is 0 to 100, not " + weight);
    }
  }

  /** The alias file's content: {@code {"version": "2", "weight": 10}}. */
  public static Canary parse(byte[] alias) {
    JsonNode node;
    try {
      node = TriadJson.mapper().readTree(alias);
    } catch (IOException e) {
      throw TriadError.unprocessable("the canary alias is not JSON: " + e.getMessage());
    }
    if (node == null
        || !node.path("version").isTextual()
        || !node.path("weight").canConvertToInt()
        || !node.path("weight").isIntegralNumber()) {
      throw TriadError.unprocessable(
          "the canary alias must be {\"version\": \"2\", \"weight\": 10}, not " + node);
    }
    return new Canary(node.get("version").asText(), node.get("weight").asInt());
  }

  /** Whether the request or upload whose id is {@code key} is in the canary's share. */
  public boolean takes(String key) {
    return key != null && weight > 0 && share(key) < weight;
  }

  /**
   * Where {@code key} falls, 0 (inclusive) to 100 (exclusive), the same on every runtime and
   * instance; salted, so the canary's share is independent of the payload log's sample.
   */
  static double share(String key) {
    long hash = 0x9E3779B97F4A7C15L;
    String salted = "canary:" + key;
    for (int i = 0; i < salted.length(); i++) {
      hash = 31 * hash + salted.charAt(i);
    }
    hash ^= hash >>> 33;
    hash *= 0xff51afd7ed558ccdL;
    hash ^= hash >>> 33;
    hash *= 0xc4ceb9fe1a85ec53L;
    hash ^= hash >>> 33;
    return (hash >>> 11) * 0x1.0p-53 * 100;
  }
}
