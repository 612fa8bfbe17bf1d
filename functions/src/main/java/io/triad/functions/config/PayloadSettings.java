package io.triad.functions.config;

import java.util.List;

/**
 * A model's payload logging ({@code triad.models.{m}.payloads.*}): off unless {@code rate} is set.
 *
 * @param rate the share of {@code :predict} requests written, 0 (the default: none) to 1 (all),
 *     chosen from the request id so one request is either wholly in or wholly out
 * @param fields the input fields written: every other field of a request stays out of the log (none
 *     by default: only the predictions are written)
 * @param parquet each batch also as a Parquet file beside its JSON Lines (off by default)
 */
public record PayloadSettings(Double rate, List<String> fields, Boolean parquet) {
  public PayloadSettings {
    parquet = parquet != null && parquet;
    rate = rate == null ? 0.0 : rate;
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("payloads.rate must be between 0 and 1, got " + rate);
    }
    fields = fields == null ? List.of() : List.copyOf(fields);
  }

  public static PayloadSettings off() {
    return new PayloadSettings(0.0, List.of(), false);
  }

  public boolean on() {
    return rate > 0;
  }
}
