package io.triad.functions.training;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triad.functions.api.ScheduledTick;
import io.triad.functions.store.BlobStore;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import io.triad.layout.BucketLayout;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code onSchedule}, the one retraining call, from the function catalog. The launcher is a
 * recording double: the real ones start a child process or submit a cloud batch job.
 */
class RetrainingTest {
  private static final Instant TICK = Instant.parse("2026-03-04T05:06:07Z");

  @TempDir Path bucket;
  private ConfigurableApplicationContext context;
  private RecordingTrainingLauncher launcher;
  private BlobStore store;
  private Function<ScheduledTick, RetrainingReport> onSchedule;

  @BeforeEach
  void start() {
    launcher = new RecordingTrainingLauncher();
    context =
        TriadTestApp.start(
            bucket,
            launcher,
            "triad.catalog=iris,digits,penguins",
            "triad.models.iris.trainer.epochs=5",
            "triad.models.iris.trainer.seed=7");
    store = context.getBean(BlobStore.class);
    onSchedule = context.getBean(FunctionCatalog.class).lookup(Function.class, "onSchedule");
  }

  @AfterEach
  void stop() {
    context.close();
  }

  @Test
  void apply_shouldLaunchJobWithTrainerArguments_whenRetrainTickAndDataExist() {
    // given
    new TestModels(store).publishIris("1");
    store.put("data/iris/train.csv", TestModels.labelledCsv(5, 1).getBytes(UTF_8));

    // when
    RetrainingReport report = onSchedule.apply(ScheduledTick.retrain("iris", TICK));

    // then
    assertThat(report.results())
        .containsExactly(
            new RetrainResult.Launched(
                "iris", "20260304-050607", "job-1", "candidates/iris/20260304-050607/"));
    assertThat(launcher.jobs())
        .singleElement()
        .satisfies(
            job ->
                assertThat(job.arguments())
                    .containsExactly(
                        "--store", store.uri(),
                        "--model", "iris",
                        "--version", "20260304-050607",
                        "--data", "data/iris/train.csv",
                        "--output", "candidates/iris/20260304-050607/",
                        "--parent", "1",
                        "--epochs", "5",
                        "--seed", "7"));
    assertThat(store.exists("candidates/iris/20260304-050607/" + BucketLayout.LAUNCH_FILE))
        .isTrue();
  }

  @Test
  void apply_shouldPickNextFreeVersion_whenCandidateOfThatSecondExists() {
    // given
    store.put("data/iris/train.csv", TestModels.labelledCsv(5, 1).getBytes(UTF_8));
    store.put("candidates/iris/20260304-050607/model.onnx", new byte[] {1});

    // when
    RetrainingReport report = onSchedule.apply(ScheduledTick.retrain("iris", TICK));

    // then
    assertThat(report.launched())
        .singleElement()
        .satisfies(l -> assertThat(l.version()).isEqualTo("20260304-050607-2"));
    assertThat(launcher.jobs().get(0).parentVersion()).isNull();
  }

  @Test
  void apply_shouldRetrainEveryCatalogModel_skippingOneWithoutData_whenTickNamesNone() {
    // given: digits has no training data
    store.put("data/iris/train.csv", TestModels.labelledCsv(5, 1).getBytes(UTF_8));
    store.put("data/penguins/train.csv", TestModels.labelledCsv(5, 1).getBytes(UTF_8));

    // when
    RetrainingReport report = onSchedule.apply(ScheduledTick.everyModel(TICK));

    // then
    assertThat(report.results())
        .extracting(RetrainResult::model)
        .containsExactly("iris", "digits", "penguins");
    assertThat(report.launched())
        .extracting(RetrainResult::model)
        .containsExactly("iris", "penguins");
    assertThat(report.skipped())
        .singleElement()
        .isEqualTo(
            new RetrainResult.Skipped("digits", "no training data at data/digits/train.csv"));
    assertThat(report.requireLaunched()).isSameAs(report);
  }

  @Test
  void apply_shouldSkip_whenNameIsNoModelName() {
    // when
    RetrainingReport report = onSchedule.apply(ScheduledTick.retrain("../etc", TICK));

    // then
    assertThat(report.results())
        .containsExactly(new RetrainResult.Skipped("../etc", "not a model name"));
    assertThat(launcher.jobs()).isEmpty();
  }

  @Test
  void apply_shouldFailTheTick_whenLauncherRefusesOneModel_andNotRelaunchOthersOnRetry() {
    // given
    store.put("data/iris/train.csv", TestModels.labelledCsv(5, 1).getBytes(UTF_8));
    store.put("data/penguins/train.csv", TestModels.labelledCsv(5, 1).getBytes(UTF_8));
    launcher.refuse("penguins", true);

    // when
    RetrainingReport first = onSchedule.apply(ScheduledTick.everyModel(TICK));

    // then: iris launched, penguins failed, and the tick throws so the platform retries it
    assertThat(first.launched()).extracting(RetrainResult::model).containsExactly("iris");
    assertThat(first.failed())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.model()).isEqualTo("penguins");
              assertThat(f.reason()).contains("capacity");
            });
    assertThatThrownBy(first::requireLaunched)
        .isInstanceOf(RetrainingReport.RetrainingFailed.class)
        .hasMessageContaining("1 of 3")
        .hasMessageContaining("penguins");

    // when: the platform redelivers the same tick once the service takes jobs again
    launcher.refuse("penguins", false);
    RetrainingReport retry = onSchedule.apply(ScheduledTick.everyModel(TICK));

    // then: iris is reported from its earlier launch, not submitted twice
    assertThat(retry.failed()).isEmpty();
    assertThat(retry.launched())
        .extracting(RetrainResult.Launched::jobId)
        .containsExactly("job-1", "job-2");
    assertThat(launcher.jobs()).extracting(TrainingJob::model).containsExactly("iris", "penguins");
  }

  @Test
  void apply_shouldSubmitOneJob_whenTheSameTickIsDeliveredThreeTimesAtOnce() throws Exception {
    // given: a submission slow enough that all three deliveries overlap it
    store.put("data/iris/train.csv", TestModels.labelledCsv(5, 1).getBytes(UTF_8));
    launcher.submitTakes(300);
    java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(3);
    java.util.concurrent.ExecutorService deliveries =
        java.util.concurrent.Executors.newFixedThreadPool(3);
    List<java.util.concurrent.Future<RetrainingReport>> reports = new java.util.ArrayList<>();

    // when
    try {
      for (int i = 0; i < 3; i++) {
        reports.add(
            deliveries.submit(
                () -> {
                  together.await();
                  return onSchedule.apply(ScheduledTick.retrain("iris", TICK));
                }));
      }
      List<RetrainResult> results = new java.util.ArrayList<>();
      for (java.util.concurrent.Future<RetrainingReport> report : reports) {
        results.addAll(report.get(30, java.util.concurrent.TimeUnit.SECONDS).results());
      }

      // then: one job; the other deliveries say the version is claimed, none failed
      assertThat(launcher.jobs()).hasSize(1);
      assertThat(results).filteredOn(RetrainResult.Failed.class::isInstance).isEmpty();
      assertThat(results).filteredOn(RetrainResult.Launched.class::isInstance).hasSize(1);
      assertThat(results)
          .filteredOn(RetrainResult.Skipped.class::isInstance)
          .hasSize(2)
          .allSatisfy(
              r ->
                  assertThat(((RetrainResult.Skipped) r).reason())
                      .contains("20260304-050607 of this tick is claimed by another delivery"));
    } finally {
      deliveries.shutdownNow();
    }

    // and a fourth delivery, after the job was recorded, reports that job
    assertThat(onSchedule.apply(ScheduledTick.retrain("iris", TICK)).launched())
        .singleElement()
        .satisfies(l -> assertThat(l.jobId()).isEqualTo("job-1"));
    assertThat(launcher.jobs()).hasSize(1);
  }

  @Test
  void apply_shouldReportTheJobAndSubmitItOnce_whenItsIdCannotBeRecordedAfterTheClaim() {
    // given a store that takes the claim but then is full (its put fails; putIfAbsent went through)
    io.triad.functions.testing.FaultyStore faulty =
        new io.triad.functions.testing.FaultyStore(store);
    faulty.failWrites(key -> key.endsWith(BucketLayout.LAUNCH_FILE));
    store.put("data/iris/train.csv", TestModels.labelledCsv(5, 1).getBytes(UTF_8));
    RecordingTrainingLauncher faultyLauncher = new RecordingTrainingLauncher();
    ConfigurableApplicationContext full =
        TriadTestApp.start(faulty, faultyLauncher, "triad.catalog=iris");
    try {
      Function<ScheduledTick, RetrainingReport> schedule =
          full.getBean(FunctionCatalog.class).lookup(Function.class, "onSchedule");

      // when the tick is delivered, and delivered again
      RetrainingReport first = schedule.apply(ScheduledTick.retrain("iris", TICK));
      RetrainingReport again = schedule.apply(ScheduledTick.retrain("iris", TICK));

      // then the job was submitted once and reported; the redelivery finds the claim
      assertThat(first.launched())
          .extracting(RetrainResult.Launched::jobId)
          .containsExactly("job-1");
      assertThat(again.failed()).isEmpty();
      assertThat(again.skipped())
          .singleElement()
          .satisfies(r -> assertThat(r.reason()).contains("claimed by another delivery"));
      assertThat(faultyLauncher.jobs()).hasSize(1);
    } finally {
      full.close();
    }
  }

  @Test
  void apply_shouldLaunchAgain_whenALaterTickFallsInTheSameSecond() {
    // given: a launch recorded for another tick of the same second (e.g. by hand)
    store.put("data/iris/train.csv", TestModels.labelledCsv(5, 1).getBytes(UTF_8));
    onSchedule.apply(ScheduledTick.retrain("iris", TICK));

    // when
    RetrainingReport report = onSchedule.apply(ScheduledTick.retrain("iris", TICK.plusMillis(500)));

    // then
    assertThat(report.launched())
        .singleElement()
        .satisfies(l -> assertThat(l.version()).isEqualTo("20260304-050607-2"));
    assertThat(launcher.jobs()).hasSize(2);
  }

  @Test
  void modelNames_shouldListCatalogFirstThenModelsWithSettings() {
    assertThat(context.getBean(io.triad.functions.config.TriadProperties.class).modelNames())
        .isEqualTo(List.of("iris", "digits", "penguins"));
  }
}
