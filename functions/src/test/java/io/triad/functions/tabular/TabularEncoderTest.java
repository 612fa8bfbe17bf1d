package io.triad.functions.tabular;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.triad.functions.api.TriadError;
import io.triad.functions.api.TriadJson;
import io.triad.functions.model.ModelManifest.Feature;
import io.triad.functions.model.ModelManifest.Preprocessing;
import io.triad.functions.testing.TestModels;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TabularEncoderTest {
  private final TabularEncoder iris =
      new TabularEncoder(TestModels.irisManifest("1", new byte[0]).preprocessing());

  private static JsonNode json(String text) {
    try {
      return TriadJson.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void encode_shouldScaleAndOneHot_whenManifestSaysSo() {
    // given
    TabularEncoder encoder =
        new TabularEncoder(
            new Preprocessing(
                "tabular",
                "x",
                List.of(
                    Feature.numeric("size", 10, 2),
                    Feature.categorical("colour", List.of("red", "blue"))),
                false,
                "y"));

    // when
    float[] row =
        encoder.encode(
            List.of(json("{\"size\": 14, \"colour\": \"blue\"}")), "instances", 0, false);

    // then
    assertThat(encoder.width()).isEqualTo(3);
    assertThat(row).containsExactly(2f, 0f, 1f);
  }

  @Test
  void encode_shouldParseText_whenValuesComeFromCsv() {
    // when
    float[] row =
        iris.encode(
            List.of(
                json(
                    "{\"sepal_length\": \"5.1\", \"sepal_width\": \" 3.5 \", \"petal_length\": \"1.4\", \"petal_width\": \"0.2\"}")),
            "row",
            1,
            true);

    // then
    assertThat(row).containsExactly(5.1f, 3.5f, 1.4f, 0.2f);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"sepal_length\": 5.1, \"sepal_width\": 3.5, \"petal_length\": 1.4} | instances[0].petal_width is missing",
        "{\"sepal_length\": 5.1, \"sepal_width\": 3.5, \"petal_length\": 1.4, \"petal_width\": null} | instances[0].petal_width is missing",
        "{\"sepal_length\": true, \"sepal_width\": 3.5, \"petal_length\": 1.4, \"petal_width\": 1} | instances[0].sepal_length must be a number, got boolean",
        "{\"sepal_length\": 1e39, \"sepal_width\": 3.5, \"petal_length\": 1.4, \"petal_width\": 1} | instances[0].sepal_length = 1.0E39 is outside the FP32 range",
        "{\"sepal_length\": NaN, \"sepal_width\": 3.5, \"petal_length\": 1.4, \"petal_width\": 1} | instances[0].sepal_length must be finite",
        "[5.1, 3.5, 1.4] | instances[0] has 3 values; the model needs 4",
        "\"text\" | instances[0] must be an object"
      })
  void encode_shouldFail422NamingField_whenValueIsBad(String row, String message) {
    // when / then
    assertThatThrownBy(() -> iris.encode(List.of(json(row)), "instances", 0, false))
        .isInstanceOfSatisfying(TriadError.class, e -> assertThat(e.status()).isEqualTo(422))
        .hasMessageContaining(message);
  }
}
