package io.triad.functions.training;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triad.functions.api.ScheduledTick;
import io.triad.functions.api.TriadError;
import io.triad.functions.store.BlobStore;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code onSchedule} from the function catalog. The launcher is a recording double: the real ones
 * start a child process or submit a cloud batch job.
 */
class RetrainSchedulerTest {
  private static final Instant TICK = Instant.parse("2026-03-04T05:06:07Z");

  @TempDir Path bucket;
  private ConfigurableApplicationContext context;
  private RecordingTrainingLauncher launcher;
  private BlobStore store;
  private Function<ScheduledTick, LaunchedTraining> onSchedule;

  @BeforeEach
  void start() {
    launcher = new RecordingTrainingLauncher();
    context = TriadTestApp.start(bucket, launcher, "triad.models.iris.trainer.epochs=5", "triad.models.iris.trainer.seed=7");
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
    LaunchedTraining launched = onSchedule.apply(ScheduledTick.retrain("iris", TICK));

    // then
    assertThat(launched).isEqualTo(new LaunchedTraining("iris", "20260304-050607", "job-1", "candidates/iris/20260304-050607/"));
    assertThat(launcher.jobs()).singleElement().satisfies(job -> assertThat(job.arguments()).containsExactly(
        "--store", store.uri(),
        "--model", "iris",
        "--version", "20260304-050607",
        "--data", "data/iris/train.csv",
        "--output", "candidates/iris/20260304-050607/",
        "--parent", "1",
        "--epochs", "5",
        "--seed", "7"));
  }

  @Test
  void apply_shouldPickNextFreeVersion_whenCandidateOfThatSecondExists() {
    // given
    store.put("data/iris/train.csv", TestModels.labelledCsv(5, 1).getBytes(UTF_8));
    store.put("candidates/iris/20260304-050607/model.onnx", new byte[] {1});

    // when
    LaunchedTraining launched = onSchedule.apply(ScheduledTick.retrain("iris", TICK));

    // then
    assertThat(launched.version()).isEqualTo("20260304-050607-2");
    assertThat(launcher.jobs().get(0).parentVersion()).isNull();
  }

  @Test
  void apply_shouldFail400_whenScheduleIsUnknown() {
    // when / then
    assertThatThrownBy(() -> onSchedule.apply(new ScheduledTick("nightly-report", TICK)))
        .isInstanceOfSatisfying(TriadError.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining("nightly-report");
    assertThat(launcher.jobs()).isEmpty();
  }

  @Test
  void apply_shouldFail404_whenTrainingDataIsMissing() {
    // when / then
    assertThatThrownBy(() -> onSchedule.apply(ScheduledTick.retrain("iris", TICK)))
        .isInstanceOfSatisfying(TriadError.class, e -> assertThat(e.status()).isEqualTo(404))
        .hasMessageContaining("data/iris/train.csv");
    assertThat(launcher.jobs()).isEmpty();
  }
}
