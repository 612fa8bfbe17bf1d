package io.triad.infra.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hashicorp.cdktf.Testing;
import io.triad.infra.Cloud;
import io.triad.infra.config.ConfigLoader;
import io.triad.infra.config.TriadConfig;
import io.triad.infra.schema.ProviderSchemas;
import io.triad.infra.schema.SchemaCheck;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code aws.disposable}, which the smoke run sets: a destroy takes the data with it (S3 refuses to
 * delete a bucket that holds anything, ECR a repository with images, and Secrets Manager keeps a
 * deleted secret's name for its recovery window). Off, a destroy stops at the data.
 */
class AwsDisposableTest {

  private static JsonNode resources(String yaml) throws Exception {
    TriadConfig config = new ConfigLoader().read("t.yaml", yaml);
    JsonNode root =
        new ObjectMapper().readTree(Testing.synth(Cloud.AWS.stack(Testing.app(), config)));
    assertThat(SchemaCheck.problems(root, ProviderSchemas.of(Cloud.AWS))).isEmpty();
    return root.path("resource");
  }

  private static String testYaml() throws Exception {
    try (InputStream in = AwsDisposableTest.class.getResourceAsStream("/triad-test.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void destroy_should_takeTheData_when_theStackIsDisposable() throws Exception {
    JsonNode resources =
        resources(
            testYaml()
                .replace(
                    "reserveConcurrency: true", "reserveConcurrency: true\n  disposable: true"));

    assertThat(only(resources, "aws_s3_bucket").path("force_destroy").asBoolean()).isTrue();
    assertThat(only(resources, "aws_ecr_repository").path("force_delete").asBoolean()).isTrue();
    assertThat(
            only(resources, "aws_secretsmanager_secret").path("recovery_window_in_days").asInt(-1))
        .isZero();
  }

  @Test
  void destroy_should_stopAtTheData_when_notAskedOtherwise() throws Exception {
    JsonNode resources = resources(testYaml());

    assertThat(only(resources, "aws_s3_bucket").has("force_destroy")).isFalse();
    assertThat(only(resources, "aws_ecr_repository").has("force_delete")).isFalse();
    assertThat(only(resources, "aws_secretsmanager_secret").path("recovery_window_in_days").asInt())
        .isEqualTo(7);
  }

  private static JsonNode only(JsonNode resources, String type) {
    assertThat(resources.path(type).size()).as(type).isEqualTo(1);
    return resources.path(type).elements().next();
  }
}
