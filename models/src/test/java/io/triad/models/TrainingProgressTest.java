package io.triad.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TrainingProgressTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  @Test
  void step_shouldRedrawBarInPlace_whenOutputIsTerminal() {
    // given
    TrainingProgress progress = new TrainingProgress(out, true, 3);

    // when
    progress.step(2, 50, 100, 0.25, 1234);

    // then
    String shown = bytes.toString(StandardCharsets.UTF_8);
    assertThat(shown)
        .startsWith("\r")
        .contains(
            "epoch 2/3 [" + "=".repeat(15) + " ".repeat(15) + "]",
            "step 50/100",
            "loss 0.2500",
            "1,234 examples/s",
            "elapsed 0:0",
            "eta ");
    assertThat(shown).doesNotContain("\n");
  }

  @Test
  void step_shouldWriteEpochOneLineWithTimes_whenOutputIsNotTerminal() {
    // given
    TrainingProgress progress = new TrainingProgress(out, false, 3);

    // when
    progress.step(1, 100, 100, 0.5, 99);
    progress.epoch(new EpochStats(1, 0.5, 0.9, 1200));

    // then one line, with the time spent and left (a step line only every few seconds, and the
    // last step of an epoch never, as the epoch line follows it)
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .matches(
            "trainer: epoch 1/3 loss=0\\.5000 accuracy=0\\.9000 \\(1200 ms\\) elapsed 0:0\\d eta"
                + " 0:\\d\\d"
                + System.lineSeparator());
  }
}
