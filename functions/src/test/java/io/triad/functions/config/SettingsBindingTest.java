package io.triad.functions.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The settings records bind as Spring binds them on every runtime: one constructor each (a second
 * one makes Spring fall back to setters these records do not have, and every value is lost).
 */
class SettingsBindingTest {

  @Test
  void bind_should_readEveryGateAndLimitSetting_when_givenAsProperties() {
    // given
    Binder binder =
        new Binder(
            new MapConfigurationPropertySource(
                Map.of(
                    "triad.models.iris.gate.minimum", "0.999",
                    "triad.models.iris.gate.tolerance", "0.05",
                    "triad.models.iris.gate.confidence", "0.99",
                    "triad.max-upload-bytes", "1000",
                    "triad.max-failed-copy-bytes", "500")));

    // when
    TriadProperties properties = binder.bind("triad", TriadProperties.class).get();

    // then
    GateSettings gate = properties.model("iris").gate();
    assertThat(gate.minimum()).isEqualTo(0.999);
    assertThat(gate.tolerance()).isEqualTo(0.05);
    assertThat(gate.confidence()).isEqualTo(0.99);
    assertThat(properties.maxUploadBytes()).isEqualTo(1000L);
    assertThat(properties.maxFailedCopyBytes()).isEqualTo(500L);
  }

  @Test
  void bind_should_readSigningSettings_when_givenAsTheStacksEnvironmentVariables() {
    // given the names infra sets (TriadContract), as a function's environment holds them
    var environment =
        new org.springframework.core.env.SystemEnvironmentPropertySource(
            "environment",
            Map.<String, Object>of(
                "TRIAD_SIGNING_TRUSTED_KEYS", "MCowBQ-one=,MCowBQ-two=",
                "TRIAD_SIGNING_KEY", "aws-secretsmanager:arn:aws:secretsmanager:x"));
    Binder binder =
        new Binder(
            org.springframework.boot.context.properties.source.ConfigurationPropertySources.from(
                environment));

    // when
    SigningSettings signing = binder.bind("triad.signing", SigningSettings.class).get();

    // then
    assertThat(signing.trustedKeys()).containsExactly("MCowBQ-one=", "MCowBQ-two=");
    assertThat(signing.key()).isEqualTo("aws-secretsmanager:arn:aws:secretsmanager:x");
  }
}
