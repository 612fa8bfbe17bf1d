package io.triad.functions.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.triad.functions.api.RequestId;
import io.triad.functions.api.TriadError;
import io.triad.functions.api.TriadJson;
import java.io.IOException;

/**
 * A version and a share of traffic, {@code weight} percent (0-100): what the canary alias ({@code
 * models/{m}/aliases/canary}: the share it answers) and the shadow alias ({@code .../shadow}: the
 * share it is shown a copy of) hold. Which requests are the share is decided from each request's id
 * (an upload's id for a file), so a client's retries, and every row of one file, stay on one
 * version.
 */
public record VersionShare(String version, int weight) {
  public VersionShare {
    ModelKeys.checkVersion(version);
    if (weight < 0 || weight > 100) {
      throw TriadError.unprocessable("a weight is 0 to 100, not " + weight);
    }
  }

  /** An alias file's content: {@code {"version": "2", "weight": 10}}. */
  public static VersionShare parse(byte[] alias) {
    return parse(alias, "canary");
  }

  /** As {@link #parse(byte[])}, naming the {@code alias} in what it refuses. */
  public static VersionShare parse(byte[] alias, String name) {
    JsonNode node;
    try {
      node = TriadJson.mapper().readTree(alias);
    } catch (IOException e) {
      throw TriadError.unprocessable("the " + name + " alias is not JSON: " + e.getMessage());
    }
    if (node == null
        || !node.path("version").isTextual()
        || !node.path("weight").canConvertToInt()
        || !node.path("weight").isIntegralNumber()) {
      throw TriadError.unprocessable(
          "the " + name + " alias must be {\"version\": \"2\", \"weight\": 10}, not " + node);
    }
    return new VersionShare(node.get("version").asText(), node.get("weight").asInt());
  }

  /** Whether the request or upload whose id is {@code key} is in a canary's share. */
  public boolean takes(String key) {
    return key != null && weight > 0 && share("canary:" + key) < weight;
  }

  /**
   * Whether the request whose id is {@code key} is in a shadow's share: drawn apart from a canary's
   * ({@link #takes}), so the two shares are independent.
   */
  public boolean shadows(String key) {
    return key != null && weight > 0 && share("shadow:" + key) < weight;
  }

  /** Where {@code salted} falls, 0 (inclusive) to 100 (exclusive): {@link RequestId#share}. */
  static double share(String salted) {
    return RequestId.share(salted) * 100;
  }
}
