package io.triad.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.TriadJson;
import io.triad.functions.testing.TestModels;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Many different files uploaded at once: every one gets its whole prediction file (one line per
 * row, every line JSON), none is set aside, and no output is ever seen half-written.
 */
final class ConcurrentUploads {
  private static final ObjectMapper JSON = TriadJson.mapper();
  private static final Duration WAIT = Duration.ofSeconds(60);

  private ConcurrentUploads() {}

  static void run(RuntimeUnderTest runtime, int files, int rows) throws Exception {
    // given
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < files; i++) {
      keys.add("incoming/iris/concurrent-" + i + ".csv");
    }

    // when they are put at once
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> puts = new ArrayList<>();
      for (int i = 0; i < files; i++) {
        String key = keys.get(i);
        byte[] csv = TestModels.incomingCsv(rows, i).getBytes(StandardCharsets.UTF_8);
        puts.add(
            pool.submit(
                () -> {
                  runtime.bucket().put(key, csv);
                  runtime.announce(key);
                  return null;
                }));
      }
      for (Future<?> put : puts) {
        put.get();
      }
    } finally {
      pool.shutdown();
    }

    // then every output appears whole: each read sees all rows or no file at all
    Instant deadline = Instant.now().plus(WAIT);
    List<String> pending = new ArrayList<>(keys);
    while (!pending.isEmpty() && Instant.now().isBefore(deadline)) {
      pending.removeIf(key -> outputComplete(runtime, key, rows));
      Thread.sleep(100);
    }
    assertThat(pending)
        .as(
            () ->
                "%s: uploads without a whole output after %s (of %d); the runtime's log ends:%n%s"
                    .formatted(runtime.name(), WAIT, files, runtime.logTail()))
        .isEmpty();
    assertThat(runtime.bucket().list("failed/incoming/iris/concurrent-"))
        .as("%s: set aside", runtime.name())
        .isEmpty();
  }

  private static boolean outputComplete(RuntimeUnderTest runtime, String key, int rows) {
    String output = key.replace("incoming/", "predictions/") + ".jsonl";
    if (!runtime.bucket().exists(output)) {
      return false;
    }
    List<String> lines =
        new String(runtime.bucket().read(output), StandardCharsets.UTF_8).lines().toList();
    assertThat(lines)
        .as("%s: %s is whole the first time it is seen", runtime.name(), output)
        .hasSize(rows);
    for (String line : lines) {
      assertThat(label(line)).as("%s: every line is a prediction", output).isNotEmpty();
    }
    return true;
  }

  private static String label(String line) {
    try {
      return JSON.readTree(line).path("label").asText();
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }
}
