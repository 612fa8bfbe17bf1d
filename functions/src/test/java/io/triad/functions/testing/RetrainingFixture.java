package io.triad.functions.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.triad.functions.api.ScheduledTick;
import io.triad.functions.config.TriadProperties;
import io.triad.functions.store.BlobStore;
import io.triad.functions.training.RetrainResult;
import io.triad.functions.training.RetrainingReport;
import io.triad.functions.training.TrainingJob;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The one retraining tick every runtime's schedule entry point is tested with, so each gives the
 * same answer: the catalog is iris, digits and penguins; digits has no training data. The real
 * {@code onSchedule} runs over a bucket directory; the launcher is a recording double (the real
 * ones start a child process or submit a cloud batch job) that can be told to refuse a model.
 */
public final class RetrainingFixture implements AutoCloseable {
  public static final List<String> CATALOG = List.of("iris", "digits", "penguins");

  private final ConfigurableApplicationContext context;
  private final RecordingTrainingLauncher launcher = new RecordingTrainingLauncher();

  public RetrainingFixture(Path bucket) {
    this.context =
        TriadTestApp.start(bucket, launcher, "triad.catalog=" + String.join(",", CATALOG));
    // where each runtime's packaged settings say the data is (the local runtime's iris has its own)
    BlobStore store = context.getBean(BlobStore.class);
    TriadProperties settings = context.getBean(TriadProperties.class);
    store.put(
        settings.model("iris").trainingDataOr("iris"),
        TestModels.labelledCsv(5, 1).getBytes(UTF_8));
    store.put(
        settings.model("penguins").trainingDataOr("penguins"),
        TestModels.labelledCsv(5, 2).getBytes(UTF_8));
  }

  /** The context the real functions run in, for entry points that look them up themselves. */
  public ConfigurableApplicationContext context() {
    return context;
  }

  public Function<ScheduledTick, RetrainingReport> onSchedule() {
    return context.getBean(FunctionCatalog.class).lookup("onSchedule");
  }

  /** Makes the launcher refuse penguins, as a batch service out of capacity does. */
  public void refusePenguins() {
    launcher.refuse("penguins", true);
  }

  /** Lets penguins through again, as the service does once it has capacity. */
  public void allowPenguins() {
    launcher.refuse("penguins", false);
  }

  /** How many submissions the launcher refused so far. */
  public int refusals() {
    return launcher.refusals();
  }

  /** The models a job was submitted for, in order. */
  public List<String> submitted() {
    return launcher.jobs().stream().map(TrainingJob::model).toList();
  }

  /** What a tick naming no model must come to on every runtime. */
  public static void assertSkippedDigitsLaunchedTheOthers(RetrainingReport report) {
    assertThat(report.launched())
        .extracting(RetrainResult::model)
        .containsExactly("iris", "penguins");
    assertThat(report.skipped())
        .singleElement()
        .satisfies(
            skipped -> {
              assertThat(skipped.model()).isEqualTo("digits");
              assertThat(skipped.reason()).startsWith("no training data at ");
            });
    assertThat(report.failed()).isEmpty();
  }

  @Override
  public void close() {
    context.close();
  }
}
