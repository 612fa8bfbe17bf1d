package io.triad.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line as the runtime's start reads it (a whole start is {@code CommandLineIT}'s). */
class LocalApplicationTest {

  @Test
  void settings_should_takeEachKeyAndItsValue_when_givenAsKeyEqualsValue() {
    assertThat(
            LocalApplication.settings(
                "--triad.local.port=0", "--triad.catalog=iris,mnist", "--triad.x=a=b"))
        .containsExactly(
            Map.entry("triad.local.port", "0"),
            Map.entry("triad.catalog", "iris,mnist"),
            Map.entry("triad.x", "a=b"));
  }

  @Test
  void settings_should_setTheRuntimesLogging_when_askedForDebugOrTrace() {
    assertThat(LocalApplication.settings("--debug"))
        .containsExactly(Map.entry("logging.level.io.triad", "debug"));
    assertThat(LocalApplication.settings("--trace"))
        .containsExactly(Map.entry("logging.level.io.triad", "trace"));
  }

  @Test
  void settings_should_refuseAnArgumentThatIsNoSetting() {
    assertThatThrownBy(() -> LocalApplication.settings("triad.local.port=0"))
        .hasMessage("a setting looks like --triad.local.port=9090, not 'triad.local.port=0'");
    assertThatThrownBy(() -> LocalApplication.settings("--=0"))
        .hasMessage("a setting looks like --triad.local.port=9090, not '--=0'");
  }

  @Test
  void run_should_refuseSpringsOwnSettings_since_theRuntimeReadsNone() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int status =
        LocalApplication.run(
            new String[] {"--spring.profiles.active=prod"},
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(status).isEqualTo(LocalApplication.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("triad: unknown option '--spring.profiles.active=prod'");
  }
}
