package io.triad.functions.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.testing.PlainText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlainWordsTest {
  private static final ObjectMapper JSON = TriadJson.mapper();

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "the image cannot be decoded: java.io.EOFException | the image cannot be decoded",
        "bad value (for `io.triad.functions.api.X`) here | bad value",
        "NullPointerException | the input cannot be read",
        "nesting too deep (from `StreamReadConstraints.getMaxNestingDepth()`) | nesting too deep",
        "line 3: field 'a.b' is missing | line 3: field 'a.b' is missing",
        "predictions/iris/valid.csv.jsonl exists | predictions/iris/valid.csv.jsonl exists",
        "Error reading the header | Error reading the header"
      })
  void scrub_should_cutTheClauseThatNamesCode_when_oneDoes(String message, String expected) {
    // when a message is scrubbed, then plain text stands and a clause naming code goes
    assertThat(PlainWords.scrub(message)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "[] | the body must be a JSON object",
        "42 | the body must be a JSON object",
        "{\"inputs\": {}} | invalid value for inputs at line 1, column 12: expected a JSON array",
        "{\"inputs\": [{\"shape\": \"1,4\"}]} | invalid value for inputs[0].shape",
        "{\"inputs\": [ | malformed JSON at line 1, column 13: Unexpected end-of-input",
      })
  void describe_should_sayWhatJsonWasExpected_when_theBodyIsTheWrongShape(
      String body, String expected) {
    // given a body that is not an inference request
    try {
      JSON.readValue(body, InferenceRequest.class);
      throw new AssertionError("read " + body);
    } catch (JsonProcessingException e) {
      // when it is described, then the words are JSON's and never Java's
      String described = JsonProblems.describe(e);
      assertThat(described).startsWith(expected);
      PlainText.assertPlain(body, described);
    }
  }

  @Test
  void describe_should_notNameTheParsersSetting_when_theBodyIsNestedTooDeeply() {
    // given a body nested deeper than the parser allows
    String body = "{\"inputs\": [{\"data\": " + "[".repeat(5000) + "]}]}";
    try {
      JSON.readValue(body, InferenceRequest.class);
      throw new AssertionError("read a deep body");
    } catch (JsonProcessingException e) {
      // then it says so plainly
      String described = JsonProblems.describe(e);
      assertThat(described).contains("nested too deeply");
      PlainText.assertPlain("deep", described);
    }
  }
}
