package io.triad.infra.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CronTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "0 3 * * *       | cron(0 3 * * ? *)        | 0 0 3 * * *",
        "30 2 * * 1-5    | cron(30 2 ? * 2-6 *)     | 0 30 2 * * 1-5",
        "*/15 * * * *    | cron(*/15 * * * ? *)     | 0 */15 * * * *",
        "0 4 1 * *       | cron(0 4 1 * ? *)        | 0 0 4 1 * *",
        "0 0 * * 0,6     | cron(0 0 ? * 1,7 *)      | 0 0 0 * * 0,6",
        "0 6 * JAN-MAR MON | cron(0 6 ? JAN-MAR MON *) | 0 0 6 * JAN-MAR MON",
      })
  void parse_should_renderEachCloudsDialect_when_theExpressionIsValid(
      String unix, String eventBridge, String ncrontab) {
    Cron cron = Cron.parse(unix);

    assertThat(cron.eventBridge()).isEqualTo(eventBridge);
    assertThat(cron.ncrontab()).isEqualTo(ncrontab);
    assertThat(cron.unix()).isEqualTo(unix.replaceAll("\\s+", " ").trim());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0 3 * *",
        "60 3 * * *",
        "0 24 * * *",
        "0 3 0 * *",
        "0 3 * 13 *",
        "0 3 * * 7",
        "0 3 * * MONDAY",
        "5-1 * * * *",
        "*/0 * * * *",
        "0 3 1 * 1",
        "@daily",
        "0 3 * * * *"
      })
  void parse_should_refuse_when_theExpressionDoesNotParse(String text) {
    assertThatThrownBy(() -> Cron.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("null");
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0}: {1} a month")
  @org.junit.jupiter.params.provider.CsvSource({
    "0 3 * * *, 30.4167",
    "30 2 * * 1-5, 21.75",
    "0 */6 * * *, 121.6667",
    "0 0 1 * *, 1",
    "0 4 * * SUN, 4.3333",
    "0 0 1 JAN *, 0.0833"
  })
  void firingsPerMonth_should_averageACommonYear(String cron, double expected) {
    org.assertj.core.api.Assertions.assertThat(Cron.parse(cron).firingsPerMonth())
        .isCloseTo(expected, org.assertj.core.data.Offset.offset(0.001));
  }
}
