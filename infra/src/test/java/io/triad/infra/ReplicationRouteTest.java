package io.triad.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hashicorp.cdktf.Testing;
import io.triad.infra.config.ConfigLoader;
import io.triad.infra.config.TriadConfig;
import io.triad.infra.schema.ProviderSchemas;
import io.triad.infra.schema.SchemaCheck;
import io.triad.settings.GcpContract;
import io.triad.settings.TriadContract;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code replication.gcpToAws}: the AWS role GCP's promoting and catching-up functions assume with
 * their Google ID tokens, and what those functions are told. The trust policy's claims are the ones
 * AWS documents for Google ({@code accounts.google.com:aud} is the token's {@code azp} when it has
 * one, {@code :oaud} its {@code aud}, {@code :sub} its {@code sub}); the integration tests' STS
 * double evaluates this same policy against the tokens the functions present.
 */
class ReplicationRouteTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROLE = "arn:aws:iam::123456789012:role/triad-test-gcp-replicas";

  @Test
  void awsRole_should_trustOnlyTheListedAccountsWithTokensForIt() throws Exception {
    JsonNode resources = synth(Cloud.AWS, testYaml());

    JsonNode role = only(resources, "aws_iam_role", "replica-writers");
    assertThat(role.path("name").asText()).isEqualTo("triad-test-gcp-replicas");
    assertThat(role.path("max_session_duration").asInt()).isEqualTo(3600);
    JsonNode statement = JSON.readTree(role.path("assume_role_policy").asText()).at("/Statement");
    assertThat(statement).hasSize(1);
    JsonNode trust = statement.get(0);
    assertThat(trust.at("/Principal/Federated").asText()).isEqualTo("accounts.google.com");
    assertThat(trust.path("Action").asText()).isEqualTo("sts:AssumeRoleWithWebIdentity");
    JsonNode equals = trust.at("/Condition/StringEquals");
    List<String> writers = List.of("100000000000000000001", "100000000000000000002");
    assertThat(texts(equals.path("accounts.google.com:aud"))).isEqualTo(writers);
    assertThat(texts(equals.path("accounts.google.com:sub"))).isEqualTo(writers);
    assertThat(equals.path("accounts.google.com:oaud").asText()).isEqualTo(ROLE);
    // an account other than the one the GCP stack names the role by stops the apply
    assertThat(role.at("/lifecycle/precondition/0/condition").asText())
        .contains("data.aws_caller_identity.account.account_id == \"123456789012\"");

    JsonNode policy =
        JSON.readTree(
            only(resources, "aws_iam_role_policy", "replica-writers").path("policy").asText());
    Map<String, List<String>> grants = new TreeMap<>();
    for (JsonNode s : policy.path("Statement")) {
      assertThat(s.path("Effect").asText()).isEqualTo("Allow");
      assertThat(s.has("Condition")).isFalse();
      grants.put(s.path("Sid").asText() + " " + texts(s.path("Action")), texts(s.path("Resource")));
    }
    String bucket = "${aws_s3_bucket.storage_bucket_6AF501AE.arn}";
    // iris only: digits is served but not replicated
    assertThat(grants)
        .containsExactly(
            Map.entry(
                "CopyPromotions [s3:GetObject, s3:PutObject]", List.of(bucket + "/models/iris/*")),
            Map.entry("TellMissingFiles [s3:ListBucket]", List.of(bucket)));
  }

  @Test
  void awsRole_should_notExist_untilTheGcpAccountsAreKnown() throws Exception {
    String firstApply =
        testYaml()
            .replace(
                "    gcpWriters: [\"100000000000000000001\", \"100000000000000000002\"]\n", "");
    assertThat(firstApply).isNotEqualTo(testYaml());

    assertThat(names(synth(Cloud.AWS, firstApply), "aws_iam_role"))
        .noneMatch(n -> n.contains("replica"));
    // the GCP side is configured all the same: its copies stay pending until the role exists
    assertThat(replicaSettings(synth(Cloud.GCP, firstApply))).hasSize(2);
  }

  @Test
  void gcpFunctions_should_beToldTheRoleOnlyWhereTheyCopy() throws Exception {
    JsonNode resources = synth(Cloud.GCP, testYaml());

    Map<String, Map<String, String>> settings = replicaSettings(resources);
    assertThat(settings).containsOnlyKeys("triad-test-objects", "triad-test-schedule");
    for (Map<String, String> function : settings.values()) {
      assertThat(function.get(GcpContract.REPLICA_AWS_ROLE)).isEqualTo(ROLE);
      assertThat(function.get(GcpContract.REPLICA_AWS_REGION)).isEqualTo("us-east-1");
      assertThat(JSON.readTree(function.get(TriadContract.MODEL_SETTINGS)))
          .isEqualTo(
              JSON.readTree(
                  "{\"triad\":{\"models\":{\"iris\":{\"replicas\":[\"s3://triad-test-123456789012\"]}}}}"));
    }
    // the copy's record, under replication/, written by both
    List<String> conditions = new ArrayList<>();
    resources
        .path("google_storage_bucket_iam_member")
        .forEach(
            m -> {
              if (m.at("/condition/expression").asText().contains("replication/")) {
                conditions.add(m.path("member").asText());
              }
            });
    assertThat(conditions).hasSize(2);
  }

  @Test
  void noRoute_should_changeNothing() throws Exception {
    String none = testYaml().replaceAll("(?s)\nreplication:.*?\naws:", "\naws:");
    assertThat(none).doesNotContain("gcpToAws");

    assertThat(names(synth(Cloud.AWS, none), "aws_iam_role")).noneMatch(n -> n.contains("replica"));
    assertThat(replicaSettings(synth(Cloud.GCP, none))).isEmpty();
  }

  @Test
  void config_should_refuseWhatCannotBeDeployed() {
    assertThatThrownBy(
            () ->
                load(
                    testYaml().replace("models: [iris]\n  gcpToAws", "models: [wine]\n  gcpToAws")))
        .hasMessageContaining("replication.models: wine is not one of models [iris, digits]");
    assertThatThrownBy(
            () -> load(testYaml().replace("awsAccount: \"123456789012\"", "awsAccount: 1234")))
        .hasMessageContaining("replication.gcpToAws.awsAccount");
    assertThatThrownBy(
            () -> load(testYaml().replace("\"100000000000000000002\"", "\"triad-objects@x\"")))
        .hasMessageContaining("replication.gcpToAws.gcpWriters: 'triad-objects@x' is not");
    assertThatThrownBy(() -> load(testYaml().replace("gcpToAws:", "awsToGcp:")))
        .hasMessageContaining("awsToGcp");
  }

  private static TriadConfig load(String yaml) {
    return new ConfigLoader().read("t.yaml", yaml);
  }

  private static JsonNode synth(Cloud cloud, String yaml) throws Exception {
    JsonNode root = JSON.readTree(Testing.synth(cloud.stack(Testing.app(), load(yaml))));
    assertThat(SchemaCheck.problems(root, ProviderSchemas.of(cloud))).isEmpty();
    return root.path("resource");
  }

  private static Map<String, Map<String, String>> replicaSettings(JsonNode resources) {
    Map<String, Map<String, String>> out = new TreeMap<>();
    resources
        .path("google_cloudfunctions2_function")
        .forEach(
            f -> {
              Map<String, String> env = new TreeMap<>();
              f.at("/service_config/environment_variables")
                  .properties()
                  .forEach(
                      e -> {
                        if (GcpContract.replicaNames().contains(e.getKey())) {
                          env.put(e.getKey(), e.getValue().asText());
                        }
                      });
              if (!env.isEmpty()) {
                assertThat(env.keySet())
                    .containsExactlyInAnyOrderElementsOf(GcpContract.replicaNames());
                out.put(f.path("name").asText(), env);
              }
            });
    return out;
  }

  private static JsonNode only(JsonNode resources, String type, String pathPart) {
    List<JsonNode> found = new ArrayList<>();
    resources
        .path(type)
        .properties()
        .forEach(
            e -> {
              if (e.getKey().contains(pathPart)) {
                found.add(e.getValue());
              }
            });
    assertThat(found).as(type + " " + pathPart).hasSize(1);
    return found.get(0);
  }

  private static List<String> names(JsonNode resources, String type) {
    List<String> names = new ArrayList<>();
    resources.path(type).fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> texts(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(n -> out.add(n.asText()));
    } else {
      out.add(node.asText());
    }
    return out;
  }

  private static String testYaml() throws Exception {
    try (InputStream in = ReplicationRouteTest.class.getResourceAsStream("/triad-test.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
