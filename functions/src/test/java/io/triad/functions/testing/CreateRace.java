package io.triad.functions.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.triad.functions.store.BlobStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Writers released together, each creating one key with {@link BlobStore#putIfAbsent} and content
 * of its own: what every store's conditional create must survive (the retraining claim relies on
 * it). Shared by the stores' tests against their emulators.
 */
public final class CreateRace {
  private CreateRace() {}

  /**
   * Runs the race and checks that exactly one writer created {@code key}, that the object holds
   * that writer's content, and that a later create is refused; returns the winner's index.
   */
  public static int run(BlobStore store, String key, int writers) throws Exception {
    CyclicBarrier together = new CyclicBarrier(writers);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<Boolean>> created = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        byte[] content = ("writer " + i).getBytes(StandardCharsets.UTF_8);
        created.add(
            pool.submit(
                () -> {
                  together.await();
                  return store.putIfAbsent(key, content);
                }));
      }
      List<Boolean> outcomes = new ArrayList<>();
      for (Future<Boolean> outcome : created) {
        outcomes.add(outcome.get(60, TimeUnit.SECONDS));
      }
      assertThat(outcomes).as("writers that created %s", key).containsOnlyOnce(true);
      int winner = outcomes.indexOf(true);
      assertThat(new String(store.read(key), StandardCharsets.UTF_8)).isEqualTo("writer " + winner);
      assertThat(store.putIfAbsent(key, new byte[] {1})).isFalse();
      return winner;
    } finally {
      pool.shutdownNow();
    }
  }
}
