package io.triad.infra.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hashicorp.cdktf.Testing;
import io.triad.infra.Cloud;
import io.triad.infra.config.ConfigLoader;
import io.triad.infra.config.TriadConfig;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reserved concurrency only when asked for: a new account has none to reserve. */
class AwsConcurrencyTest {

  private static String testYaml() throws Exception {
    try (InputStream in = AwsConcurrencyTest.class.getResourceAsStream("/triad-test.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void lambdas_should_reserveNoConcurrency_when_notAskedTo() throws Exception {
    TriadConfig config =
        new ConfigLoader().read("t.yaml", testYaml().replace("reserveConcurrency: true", ""));

    JsonNode functions =
        new ObjectMapper()
            .readTree(Testing.synth(Cloud.AWS.stack(Testing.app(), config)))
            .path("resource")
            .path("aws_lambda_function");

    functions.forEach(
        function ->
            assertThat(function.path("reserved_concurrent_executions").asInt())
                .as("unreserved: a new account's quota of 10 leaves none to reserve")
                .isEqualTo(-1));
  }
}
