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

  EventRetries(Duration first, Duration ceiling, int maxTransient) {
    this.first = first;
    this.ceiling = ceiling;
    this.maxTransient = maxTransient;
  }

  /** How long to wait before delivering {@code key} again after {@code failure}; empty to stop. */
  Optional<Duration> after(String key, Failure failure) {
    if (failure instanceof Failure.CallerFault) {
      attempts.remove(key);
      return Optional.empty();
    }
    int attempt = attempts.merge(key, 1, Integer::sum);
    if (failure instanceof Failure.Transient && attempt > maxTransient) {
      attempts.remove(key);
      return Optional.empty();
    }
    long millis = first.toMillis() << Math.min(attempt - 1, 20);
    return Optional.of(Duration.ofMillis(Math.min(millis, ceiling.toMillis())));
  }

  /** The event went through: its count starts again. */
  void succeeded(String key) {
    attempts.remove(key);
  }

  int attempts(String key) {
    return attempts.getOrDefault(key, 0);
  }
}
