package io.triad.functions.metrics;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.triad.functions.api.ObjectCreated;
import io.triad.functions.api.Outcome;
import io.triad.functions.api.ScheduledTick;
import io.triad.functions.config.TriadProperties;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import io.triad.functions.training.RetrainingReport;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What the real functions count, read back from a registry added as a runtime adds its own: files
 * and rows from uploads, gate decisions, retraining jobs and model loads, with a model that is not
 * configured counted as {@code -}.
 */
class TriadMetricsTest {
  @TempDir Path bucket;

  @Test
  void functions_should_countUploadsGateDecisionsJobsAndLoads_when_theyRun() {
    BlobStore store = new FileSystemBlobStore(bucket);
    TestModels models = new TestModels(store);
    models.publishIris("1");
    try (ConfigurableApplicationContext app =
        TriadTestApp.start(bucket, new RecordingTrainingLauncher(), "triad.catalog=iris")) {
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      app.getBean(TriadMetrics.class).registry().add(meters);
      FunctionCatalog catalog = app.getBean(FunctionCatalog.class);
      Function<ObjectCreated, Outcome> onObjectCreated = catalog.lookup("onObjectCreated");
      Function<ScheduledTick, RetrainingReport> onSchedule = catalog.lookup("onSchedule");

      // when two uploads are scored, one is not a table, one names no configured model
      store.put("incoming/iris/a.csv", TestModels.incomingCsv(6, 1).getBytes(UTF_8));
      store.put("incoming/iris/b.csv", TestModels.incomingCsv(4, 2).getBytes(UTF_8));
      store.put("incoming/iris/bad.csv", "sepal_length\nnot a number\n".getBytes(UTF_8));
      store.put("incoming/zebra/z.csv", TestModels.incomingCsv(2, 3).getBytes(UTF_8));
      for (String key :
          new String[] {
            "incoming/iris/a.csv",
            "incoming/iris/b.csv",
            "incoming/iris/bad.csv",
            "incoming/zebra/z.csv"
          }) {
        onObjectCreated.apply(ObjectCreated.of(key));
      }
      // and a candidate goes to the gate, and a retraining tick launches a job
      Outcome gate =
          onObjectCreated.apply(ObjectCreated.of(models.candidateIris("2", TestModels.irisOnnx())));
      store.put(
          app.getBean(TriadProperties.class).model("iris").trainingDataOr("iris"),
          TestModels.labelledCsv(5, 1).getBytes(UTF_8));
      onSchedule.apply(ScheduledTick.retrain("iris", Instant.parse("2026-12-05T04:00:00Z")));

      // then
      assertThat(count(meters, TriadMetrics.FILES, "iris", "outcome", "written")).isEqualTo(2);
      assertThat(count(meters, TriadMetrics.FILES, "iris", "outcome", "failed")).isEqualTo(1);
      assertThat(meters.get(TriadMetrics.ROWS).tags("model", "iris").counter().count())
          .isEqualTo(10);
      assertThat(meters.find(TriadMetrics.FILES).tags("model", "-").counters())
          .as("zebra is not configured: counted without its name")
          .isNotEmpty();
      assertThat(meters.getMeters().toString()).doesNotContain("zebra");
      String decision = gate instanceof Outcome.Promoted ? "promoted" : "rejected";
      assertThat(gate).isInstanceOfAny(Outcome.Promoted.class, Outcome.Rejected.class);
      assertThat(count(meters, TriadMetrics.GATE, "iris", "decision", decision)).isEqualTo(1);
      assertThat(count(meters, TriadMetrics.TRAINING, "iris", "outcome", "launched")).isEqualTo(1);
      io.micrometer.core.instrument.Timer loads =
          meters.get(TriadMetrics.MODEL_LOADS).tags("model", "iris", "outcome", "loaded").timer();
      assertThat(loads.count()).isPositive();
      assertThat(loads.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
    }
  }

  private static double count(
      SimpleMeterRegistry meters, String name, String model, String key, String value) {
    return meters.get(name).tags("model", model, key, value).counter().count();
  }
}
