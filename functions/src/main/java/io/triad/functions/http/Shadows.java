package io.triad.functions.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.triad.functions.api.PredictCall;
import io.triad.functions.api.Predictions;
import io.triad.functions.metrics.TriadMetrics;
import io.triad.functions.model.ModelLease;
import io.triad.functions.model.ModelRegistry;
import io.triad.functions.rollout.LiveFigures;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shadow traffic: when {@code models/{m}/aliases/shadow} names a version and a share, each {@code
 * :predict} in the share is run again on that version on a thread of its own, after production has
 * answered, and only compared: the client's answer is never touched or delayed by it. Each copy is
 * counted ({@code triad.shadow.requests}) as {@code agree} (every row the same class, or the same
 * values within 1e-6 for a regression), {@code disagree}, {@code error}, or {@code dropped} when
 * {@value #QUEUE} copies already wait.
 */
public final class Shadows implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Shadows.class);

  /** The most copies waiting; a copy beyond them is dropped, not queued. */
  public static final int QUEUE = 64;

  private final Function<PredictCall, Predictions> predictRecords;
  private final ModelRegistry registry;
  private final TriadMetrics metrics;
  private final ThreadPoolExecutor executor;
  private final LiveFigures figures;

  public Shadows(
      Function<PredictCall, Predictions> predictRecords,
      ModelRegistry registry,
      TriadMetrics metrics,
      LiveFigures figures) {
    this.figures = figures;
    this.predictRecords = predictRecords;
    this.registry = registry;
    this.metrics = metrics;
    this.executor =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUE),
            work -> {
              Thread thread = new Thread(work, "triad-shadow");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** After a {@code :predict} of production traffic was answered with {@code answered}. */
  void afterPredict(String requestId, List<JsonNode> instances, Predictions answered) {
    Optional<ModelLease> held = registry.acquireShadow(answered.modelName(), requestId);
    if (held.isEmpty()) {
      return;
    }
    ModelLease shadow = held.get();
    if (shadow.version().equals(answered.modelVersion())) {
      // the canary answered, and it is the shadow too: nothing to compare it with
      shadow.close();
      return;
    }
    try {
      executor.execute(() -> compare(shadow, instances, answered));
    } catch (RejectedExecutionException e) {
      shadow.close();
      outcome(answered.modelName(), shadow.version(), "dropped", 0);
    }
  }

  private void compare(ModelLease shadow, List<JsonNode> instances, Predictions answered) {
    String model = answered.modelName();
    long start = System.nanoTime();
    try (shadow) {
      Predictions copy = predictRecords.apply(PredictCall.json(model, shadow.version(), instances));
      outcome(
          model,
          shadow.version(),
          agree(answered.predictions(), copy.predictions()) ? "agree" : "disagree",
          System.nanoTime() - start);
    } catch (RuntimeException e) {
      log.warn("model {}: shadow version {} failed: {}", model, shadow.version(), e.getMessage());
      outcome(model, shadow.version(), "error", System.nanoTime() - start);
    }
  }

  private void outcome(String model, String version, String outcome, long nanos) {
    metrics.shadow(model, version, outcome, nanos);
    if (figures != null) {
      figures.shadowed(model, version, outcome);
    }
  }

  /** The same class for every row, or, with no class, the same values within 1e-6. */
  static boolean agree(List<Map<String, Object>> answered, List<Map<String, Object>> shadow) {
    if (answered.size() != shadow.size()) {
      return false;
    }
    for (int i = 0; i < answered.size(); i++) {
      Map<String, Object> a = answered.get(i);
      Map<String, Object> b = shadow.get(i);
      if (a.containsKey("label") || b.containsKey("label")) {
        if (!Objects.equals(a.get("label"), b.get("label"))) {
          return false;
        }
      } else if (!close(a, b)) {
        return false;
      }
    }
    return true;
  }

  /** Numbers within 1e-6, lists, arrays and maps element by element, anything else equal. */
  private static boolean close(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return Math.abs(x.doubleValue() - y.doubleValue()) <= 1e-6;
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      if (!x.keySet().equals(y.keySet())) {
        return false;
      }
      for (Object key : x.keySet()) {
        if (!close(x.get(key), y.get(key))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof float[] x && b instanceof float[] y) {
      if (x.length != y.length) {
        return false;
      }
      for (int i = 0; i < x.length; i++) {
        if (Math.abs(x[i] - y[i]) > 1e-6) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!close(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    return Objects.equals(a, b);
  }

  /** Waits up to {@code millis} for the copies queued now to finish (tests, shutdown). */
  public boolean drain(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (executor.getActiveCount() > 0 || !executor.getQueue().isEmpty()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
