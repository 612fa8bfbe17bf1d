package io.triad.functions.training;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a training job may run: a cloud's batch service in one region, on spot (preemptible)
 * machines or on demand. Written {@code cloud/region/spot} or {@code cloud/region/on-demand}, the
 * form settings, {@code launch.json} and the trainer's {@code --placement} use.
 *
 * @param cloud {@code aws}, {@code azure}, {@code gcp} or {@code local}
 * @param region the cloud's region name ({@code us-east-1}, {@code northeurope}, {@code
 *     us-central1}; {@code local} for a child process)
 * @param spot spot machines rather than on-demand ones
 */
public record PlacementTarget(String cloud, String region, boolean spot) {
  /** The clouds a target may name. */
  public static final Set<String> CLOUDS = Set.of("aws", "azure", "gcp", "local");

  private static final Pattern REGION = Pattern.compile("[a-z][a-z0-9-]{0,39}");

  public PlacementTarget {
    if (cloud == null || !CLOUDS.contains(cloud)) {
      throw new IllegalArgumentException(
          "a placement names aws, azure, gcp or local, not " + cloud);
    }
    if (region == null || !REGION.matcher(region).matches()) {
      throw new IllegalArgumentException(
          "a placement's region is lower-case letters, digits and hyphens, not " + region);
    }
  }

  /**
   * Reads {@code cloud/region}, {@code cloud/region/spot} or {@code cloud/region/on-demand}; with
   * no third part the target is on demand.
   *
   * @throws IllegalArgumentException naming what was wrong
   */
  public static PlacementTarget parse(String text) {
    String[] parts = text.trim().split("/", -1);
    if (parts.length < 2 || parts.length > 3) {
      throw new IllegalArgumentException(
          "a placement is cloud/region, cloud/region/spot or cloud/region/on-demand, not " + text);
    }
    boolean spot = false;
    if (parts.length == 3) {
      spot =
          switch (parts[2]) {
            case "spot" -> true;
            case "on-demand" -> false;
            default ->
                throw new IllegalArgumentException(
                    "a placement ends in /spot or /on-demand, not " + text);
          };
    }
    return new PlacementTarget(parts[0], parts[1], spot);
  }

  /** This target with {@code spot} machines or not. */
  public PlacementTarget withSpot(boolean spot) {
    return new PlacementTarget(cloud, region, spot);
  }

  @Override
  public String toString() {
    return cloud + "/" + region + (spot ? "/spot" : "/on-demand");
  }
}
