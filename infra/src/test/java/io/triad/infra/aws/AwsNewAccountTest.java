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

/**
 * What a new AWS account lacks: reserved concurrency only when asked for (its quota of 10 leaves
 * none to reserve), and a network of the operator's choosing where there is no default VPC.
 */
class AwsNewAccountTest {

  private static String testYaml() throws Exception {
    try (InputStream in = AwsNewAccountTest.class.getResourceAsStream("/triad-test.yaml")) {
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

  @Test
  void batchNodes_should_runInTheConfiguredSubnets_when_thereIsNoDefaultVpc() throws Exception {
    String network =
        testYaml()
            .replace(
                "reserveConcurrency: true",
                "reserveConcurrency: true\n  network: {vpcId: vpc-0a1b2c3d4e5f60718,"
                    + " subnetIds: [subnet-0123456789abcdef0, subnet-0fedcba9876543210]}");
    TriadConfig config = new ConfigLoader().read("t.yaml", network);

    JsonNode root =
        new ObjectMapper().readTree(Testing.synth(Cloud.AWS.stack(Testing.app(), config)));

    assertThat(root.path("data").has("aws_vpc")).as("no default VPC looked up").isFalse();
    JsonNode environment = root.path("resource").path("aws_batch_compute_environment");
    assertThat(environment.toString())
        .contains("subnet-0123456789abcdef0", "subnet-0fedcba9876543210");
    assertThat(root.path("resource").path("aws_security_group").toString())
        .contains(
            "vpc-0a1b2c3d4e5f60718"); // the named subnets are the nodes' own: the stack adds no
    // subnets or NAT gateway of its own
    assertThat(root.path("resource").has("aws_nat_gateway")).isFalse();
    assertThat(root.path("resource").has("aws_subnet")).isFalse();
  }

  @Test
  void read_should_nameABadNetwork() throws Exception {
    String bad =
        testYaml()
            .replace(
                "reserveConcurrency: true",
                "reserveConcurrency: true\n  network: {vpcId: default, subnetIds: []}");

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ConfigLoader().read("t.yaml", bad))
        .hasMessageContaining("aws.network.vpcId")
        .hasMessageContaining("aws.network.subnetIds: must be a non-empty list");
  }
}
