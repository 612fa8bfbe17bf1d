package io.triad.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TrainingCurvesHtmlTest {

  @Test
  void render_should_titleTheAxesMarkTheEpochsAndListTheHyperparameters() {
    // given 60 epochs and the trainer's parameters
    List<EpochStats> epochs =
        IntStream.rangeClosed(1, 60)
            .mapToObj(e -> new EpochStats(e, 1.0 / e, 1 - 0.5 / e, 10))
            .toList();
    Map<String, Object> parameters = new TreeMap<>(Map.of("epochs", 60, "hidden", 16, "seed", 42));

    // when
    String html =
        TrainingCurvesHtml.render(
            "iris", "7", "djl mlp", epochs, Map.of("accuracy", 0.96), parameters);

    // then both charts title their axes, the first and last epochs are ticked with at most 12
    // ticks a chart, and the hyperparameters are listed
    assertThat(html).contains(">epoch</text>", ">loss</text>", ">accuracy</text>");
    Matcher ticks = Pattern.compile("class=\"axis\">(\\d+)</text>").matcher(html);
    List<String> labels = ticks.results().map(m -> m.group(1)).toList();
    assertThat(labels).contains("1", "60");
    assertThat(labels.size()).isLessThanOrEqualTo(2 * 12);
    assertThat(html).contains("<dt>hidden</dt><dd>16</dd>", "<dt>seed</dt><dd>42</dd>");
  }

  @Test
  void render_should_drawHeldOutBesideTraining_when_theEpochsCarryHeldOutFigures() {
    List<EpochStats> epochs =
        IntStream.rangeClosed(1, 8)
            .mapToObj(e -> new EpochStats(e, 1.0 / e, 1 - 0.5 / e, 10, 1.2 / e, 0.9))
            .toList();

    String html = TrainingCurvesHtml.render("mnist", "3", "djl cnn", epochs, Map.of(), Map.of());

    assertThat(html)
        .contains("Loss per epoch, training and held out")
        .contains("Accuracy per epoch, training and held out")
        .contains("<title>held-out loss</title>", "<title>training loss</title>")
        .contains("<title>held-out accuracy</title>");
  }
}
