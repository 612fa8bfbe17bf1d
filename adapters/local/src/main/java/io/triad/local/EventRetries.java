package io.triad.local;

import io.triad.functions.api.Failure;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When the local runtime delivers an event again after its function threw, as the clouds' platforms
 * redeliver (an upload's event in {@link BucketWatcher}, a schedule tick in {@link CronTicks}): not
 * ready (a model with nothing servable yet) is retried for as long as it takes, backing off to
 * {@code ceiling}; anything else up to {@code maxTransient} times. The caller's fault is never
 * retried: the function has set the upload aside itself.
 */
final class EventRetries {
  private final Duration first;
  private final Duration ceiling;
  private final int maxTransient;
  private final Map<String, Integer> attempts = new ConcurrentHashMap<>();
  private final Map<String, Integer> faults = new ConcurrentHashMap<>();

  EventRetries(Duration first, Duration ceiling, int maxTransient) {
    this.first = first;
    this.ceiling = ceiling;
    this.maxTransient = maxTransient;
  }

  /** How long to wait before delivering {@code key} again after {@code failure}; empty to stop. */
  Optional<Duration> after(String key, Failure failure) {
    if (failure instanceof Failure.CallerFault) {
      succeeded(key);
      return Optional.empty();
    }
    int attempt = attempts.merge(key, 1, Integer::sum);
    if (failure instanceof Failure.Transient && faults.merge(key, 1, Integer::sum) > maxTransient) {
      succeeded(key);
      return Optional.empty();
    }
    long millis = first.toMillis() << Math.min(attempt - 1, 20);
    return Optional.of(Duration.ofMillis(Math.min(millis, ceiling.toMillis())));
  }

  /**
   * Whether the next delivery of {@code key} is the last: after {@code maxTransient} faults in a
   * row, a fault of the machinery sets the upload aside instead of retrying it.
   */
  boolean isLast(String key) {
    return faults.getOrDefault(key, 0) >= maxTransient;
  }

  /** The event went through: its count starts again. */
  void succeeded(String key) {
    attempts.remove(key);
    faults.remove(key);
  }

  int attempts(String key) {
    return attempts.getOrDefault(key, 0);
  }
}
