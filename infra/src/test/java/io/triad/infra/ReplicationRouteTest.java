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
import io.triad.settings.AwsContract;
import io.triad.settings.AzureContract;
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
 * {@code replication.gcpToAws} and {@code replication.azureToAws}: the AWS roles GCP's promoting
 * and catching-up functions assume with their Google ID tokens and Azure's events app with its
 * managed identity's Entra tokens, and what those functions are told. The trust policies' claims
 * are the ones AWS documents (for Google, {@code accounts.google.com:aud} is the token's {@code
 * azp} when it has one, {@code :oaud} its {@code aud}, {@code :sub} its {@code sub}; for an OpenID
 * Connect provider, the provider's URL without its scheme before {@code :aud} and {@code :sub});
 * the integration tests' STS double evaluates these same policies against the tokens presented.
 */
class ReplicationRouteTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROLE = "arn:aws:iam::123456789012:role/triad-test-gcp-replicas";
  private static final String TENANT = "72f988bf-0000-4000-8000-00000000aaaa";
  private static final String AZURE_WRITER = "5c1f9a3e-0000-4000-8000-00000000bbbb";
  private static final String EXCHANGE = "api://AzureADTokenExchange";
  private static final String CLIENT_ID = "8d0c9e2a-0000-4000-8000-00000000cccc";
  private static final String BUCKET = "${aws_s3_bucket.storage_bucket_6AF501AE.arn}";
  private static final String POOL =
      "projects/314159265358/locations/global/workloadIdentityPools/triad-test-replicas";
  private static final String PROVIDER = "//iam.googleapis.com/" + POOL + "/providers/azure";

  /** iris only: digits is served but not replicated. */
  private static final Map<String, List<String>> IRIS_ONLY =
      Map.of(
          "CopyPromotions [s3:GetObject, s3:PutObject]",
          List.of(BUCKET + "/models/iris/*"),
          "TellMissingFiles [s3:ListBucket]",
          List.of(BUCKET));

  @Test
  void awsRole_should_trustOnlyTheListedAccountsWithTokensForIt() throws Exception {
    JsonNode resources = synth(Cloud.AWS, testYaml());

    JsonNode role = only(resources, "aws_iam_role", "gcp-replica-writers");
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
            only(resources, "aws_iam_role_policy", "gcp-replica-writers").path("policy").asText());
    assertThat(grants(policy)).isEqualTo(IRIS_ONLY);
  }

  @Test
  void awsRole_should_trustOnlyTheListedAzureIdentitiesThroughTheTenantsIssuer() throws Exception {
    JsonNode resources = synth(Cloud.AWS, testYaml());

    // the tenant's v2.0 issuer, registered with the token exchange's audience only
    JsonNode issuer = only(resources, "aws_iam_openid_connect_provider", "entra-issuer");
    assertThat(issuer.path("url").asText())
        .isEqualTo("https://login.microsoftonline.com/" + TENANT + "/v2.0");
    assertThat(texts(issuer.path("client_id_list"))).containsExactly(EXCHANGE);
    assertThat(
            issuer.path("thumbprint_list").isMissingNode()
                || issuer.path("thumbprint_list").isNull())
        .as("no thumbprints pinned: IAM checks Entra's certificate chain itself")
        .isTrue();

    JsonNode role = only(resources, "aws_iam_role", "azure-replica-writers");
    assertThat(role.path("name").asText()).isEqualTo("triad-test-azure-replicas");
    assertThat(role.path("max_session_duration").asInt()).isEqualTo(3600);
    JsonNode statement = JSON.readTree(role.path("assume_role_policy").asText()).at("/Statement");
    assertThat(statement).hasSize(1);
    JsonNode trust = statement.get(0);
    assertThat(trust.at("/Principal/Federated").asText())
        .isEqualTo("${aws_iam_openid_connect_provider.entra-issuer.arn}");
    assertThat(trust.path("Action").asText()).isEqualTo("sts:AssumeRoleWithWebIdentity");
    JsonNode equals = trust.at("/Condition/StringEquals");
    String claims = "login.microsoftonline.com/" + TENANT + "/v2.0:";
    assertThat(equals.properties()).hasSize(2);
    assertThat(equals.path(claims + "aud").asText()).isEqualTo(EXCHANGE);
    assertThat(texts(equals.path(claims + "sub"))).containsExactly(AZURE_WRITER);
    assertThat(role.at("/lifecycle/precondition/0/error_message").asText())
        .startsWith("replication.azureToAws.awsAccount");

    JsonNode policy =
        JSON.readTree(
            only(resources, "aws_iam_role_policy", "azure-replica-writers")
                .path("policy")
                .asText());
    assertThat(grants(policy)).isEqualTo(IRIS_ONLY);
  }

  @Test
  void azureEventsApp_should_beToldTheRoleAndMayRecordItsCopies() throws Exception {
    JsonNode root =
        JSON.readTree(Testing.synth(Cloud.AZURE.stack(Testing.app(), load(testYaml()))));
    assertThat(SchemaCheck.problems(root, ProviderSchemas.of(Cloud.AZURE))).isEmpty();
    JsonNode resources = root.path("resource");

    Map<String, JsonNode> apps = new TreeMap<>();
    resources
        .path("azurerm_function_app_flex_consumption")
        .forEach(a -> apps.put(a.path("name").asText(), a.path("app_settings")));
    assertThat(apps).containsOnlyKeys("triad-test-functions", "triad-test-serve");
    JsonNode events = apps.get("triad-test-functions");
    assertThat(events.path(AzureContract.REPLICA_AWS_ROLE).asText())
        .isEqualTo("arn:aws:iam::123456789012:role/triad-test-azure-replicas");
    assertThat(events.path(AzureContract.REPLICA_AWS_REGION).asText()).isEqualTo("us-east-1");
    assertThat(events.path(AzureContract.REPLICA_GCP_AUDIENCE).asText()).isEqualTo(PROVIDER);
    // one replica per route: AWS's bucket, GCP's bucket
    assertThat(JSON.readTree(events.path(TriadContract.MODEL_SETTINGS).asText()))
        .isEqualTo(
            JSON.readTree(
                "{\"triad\":{\"models\":{\"iris\":{\"replicas\":"
                    + "[\"s3://triad-test-123456789012\",\"gs://triad-test-project-triad-test\"]}}}}"));
    // the serving app copies nothing
    assertThat(names(apps.get("triad-test-serve")))
        .doesNotContainAnyElementsOf(AzureContract.replicaNames())
        .doesNotContainAnyElementsOf(AzureContract.gcpReplicaNames());

    // the events app's data access covers replication/ (read and write); the serving app's not
    List<String> withReplication = new ArrayList<>();
    resources
        .path("azurerm_role_assignment")
        .properties()
        .forEach(
            e -> {
              if (e.getValue().path("condition").asText().contains("replication/")) {
                withReplication.add(e.getKey());
              }
            });
    assertThat(withReplication)
        .singleElement()
        .asString()
        .contains("blob-access")
        .doesNotContain("serve");
    assertThat(root.at("/output/replica_writers/value").toString())
        .contains("azurerm_function_app_flex_consumption")
        .contains("identity.0.principal_id");
  }

  @Test
  void gcpPool_should_trustOnlyTheListedAzureIdentitiesAndGrantThemTheReplicatedModels()
      throws Exception {
    JsonNode root = JSON.readTree(Testing.synth(Cloud.GCP.stack(Testing.app(), load(testYaml()))));
    assertThat(SchemaCheck.problems(root, ProviderSchemas.of(Cloud.GCP))).isEmpty();
    JsonNode resources = root.path("resource");

    JsonNode pool = only(resources, "google_iam_workload_identity_pool", "replica-writers");
    assertThat(pool.path("workload_identity_pool_id").asText()).isEqualTo("triad-test-replicas");
    // a project other than the one the Azure stack names the provider by stops the apply
    assertThat(pool.at("/lifecycle/precondition/0/condition").asText())
        .contains("data.google_project.")
        .contains(".number == \"314159265358\"");
    JsonNode provider =
        only(resources, "google_iam_workload_identity_pool_provider", "replica-writers_azure");
    assertThat(provider.path("workload_identity_pool_provider_id").asText()).isEqualTo("azure");
    assertThat(provider.at("/oidc/issuer_uri").asText())
        .isEqualTo("https://login.microsoftonline.com/" + TENANT + "/v2.0");
    assertThat(texts(provider.at("/oidc/allowed_audiences"))).containsExactly(EXCHANGE);
    assertThat(provider.path("attribute_mapping").toString())
        .isEqualTo("{\"google.subject\":\"assertion.sub\"}");
    assertThat(provider.path("attribute_condition").asText())
        .isEqualTo("assertion.sub in ['" + AZURE_WRITER + "']");

    // the one writer's federated principal: iris's packages and aliases, nothing else
    List<JsonNode> federated = new ArrayList<>();
    resources
        .path("google_storage_bucket_iam_member")
        .forEach(
            m -> {
              if (m.path("member").asText().startsWith("principal://")) {
                federated.add(m);
              }
            });
    assertThat(federated).hasSize(1);
    JsonNode grant = federated.get(0);
    assertThat(grant.path("member").asText())
        .isEqualTo("principal://iam.googleapis.com/" + POOL + "/subject/" + AZURE_WRITER);
    assertThat(grant.path("role").asText()).isEqualTo("roles/storage.objectUser");
    assertThat(grant.at("/condition/expression").asText())
        .isEqualTo(
            "resource.name.startsWith(\"projects/_/buckets/${google_storage_bucket.storage_bucket_6AF501AE.name}"
                + "/objects/models/iris/\")");
    assertThat(texts(grant.path("depends_on")))
        .anyMatch(d -> d.startsWith("${google_iam_workload_identity_pool_provider."))
        .contains("${google_project_service.api-sts}");
    assertThat(root.at("/output/replica_provider/value").asText())
        .isEqualTo(PROVIDER.replace("/providers/azure", "/providers/aws-functions"));
  }

  @Test
  void gcpPool_should_trustTheAwsAccountsCopyingRolesOnlyAndGrantThemTheReplicatedModels()
      throws Exception {
    JsonNode resources = synth(Cloud.GCP, testYaml());

    JsonNode provider =
        only(resources, "google_iam_workload_identity_pool_provider", "replica-writers_aws");
    assertThat(provider.path("workload_identity_pool_provider_id").asText())
        .isEqualTo("aws-functions");
    assertThat(provider.at("/aws/account_id").asText()).isEqualTo("123456789012");
    assertThat(provider.has("oidc")).isFalse();
    assertThat(provider.at("/attribute_mapping/google.subject").asText())
        .isEqualTo("assertion.arn");
    assertThat(provider.at("/attribute_mapping/attribute.aws_role").asText())
        .isEqualTo("assertion.arn.extract('assumed-role/{role}/')");
    // the promoting and catching-up functions' roles; not the HTTP function's
    assertThat(provider.path("attribute_condition").asText())
        .isEqualTo(
            "attribute.aws_role in ['triad-test-s3-function', 'triad-test-schedule-function']");

    Map<String, String> grants = new TreeMap<>();
    resources
        .path("google_storage_bucket_iam_member")
        .forEach(
            m -> {
              if (m.path("member").asText().startsWith("principalSet://")) {
                assertThat(m.path("role").asText()).isEqualTo("roles/storage.objectUser");
                grants.put(m.path("member").asText(), m.at("/condition/expression").asText());
              }
            });
    assertThat(grants)
        .containsOnlyKeys(
            "principalSet://iam.googleapis.com/"
                + POOL
                + "/attribute.aws_role/triad-test-s3-function",
            "principalSet://iam.googleapis.com/"
                + POOL
                + "/attribute.aws_role/triad-test-schedule-function");
    assertThat(grants.values())
        .allSatisfy(
            c ->
                assertThat(c)
                    .isEqualTo(
                        "resource.name.startsWith(\"projects/_/buckets/${google_storage_bucket.storage_bucket_6AF501AE.name}"
                            + "/objects/models/iris/\")"));
  }

  @Test
  void azureIdentity_should_trustTheAwsAccountsCopyingRolesThroughItsIssuer() throws Exception {
    JsonNode azure = synth(Cloud.AZURE, testYaml());

    JsonNode identity = only(azure, "azurerm_user_assigned_identity", "aws-replica-writers");
    assertThat(identity.path("name").asText()).isEqualTo("triad-test-aws-replicas");
    assertThat(identity.at("/lifecycle/precondition/0/condition").asText())
        .contains(".tenant_id == \"" + TENANT + "\"");
    Map<String, JsonNode> credentials = new TreeMap<>();
    azure
        .path("azurerm_federated_identity_credential")
        .forEach(
            c -> {
              if (c.path("parent_id").asText().contains("aws-replica-writers")) {
                credentials.put(c.path("subject").asText(), c);
              }
            });
    // the roles' ARNs, as the tokens' sub names them; the account's own issuer; Entra's exchange
    assertThat(credentials)
        .containsOnlyKeys(
            "arn:aws:iam::123456789012:role/triad-test-s3-function",
            "arn:aws:iam::123456789012:role/triad-test-schedule-function");
    for (JsonNode credential : credentials.values()) {
      assertThat(credential.path("issuer").asText())
          .isEqualTo("https://5f1e2d3c-0000-4000-8000-00000000dddd.tokens.sts.global.api.aws");
      assertThat(texts(credential.path("audience"))).containsExactly(EXCHANGE);
    }
    List<JsonNode> assignments = new ArrayList<>();
    azure
        .path("azurerm_role_assignment")
        .forEach(
            a -> {
              if (a.path("principal_id").asText().contains("aws-replica-writers")) {
                assignments.add(a);
              }
            });
    assertThat(assignments).hasSize(1);
    assertThat(assignments.get(0).path("role_definition_name").asText())
        .isEqualTo("Storage Blob Data Contributor");
    assertThat(assignments.get(0).path("condition").asText())
        .contains("models/iris/")
        .doesNotContain("models/digits/");

    // the roles may ask AWS STS for tokens made out to Entra's exchange, signed RS256, and no other
    JsonNode aws = synth(Cloud.AWS, testYaml());
    for (String kind : List.of("s3", "schedule")) {
      JsonNode statement = null;
      for (JsonNode s :
          JSON.readTree(
                  only(aws, "aws_iam_role_policy", "functions_" + kind + "-policy")
                      .path("policy")
                      .asText())
              .path("Statement")) {
        if (s.path("Sid").asText().equals("GetReplicaTokens")) {
          statement = s;
        }
      }
      assertThat(statement).as(kind).isNotNull();
      assertThat(texts(statement.path("Action"))).containsExactly("sts:GetWebIdentityToken");
      assertThat(statement.at("/Condition/StringEquals/sts:IdentityTokenAudience").asText())
          .isEqualTo(EXCHANGE);
      assertThat(statement.at("/Condition/StringEquals/sts:SigningAlgorithm").asText())
          .isEqualTo("RS256");
    }
    for (JsonNode f : aws.path("aws_lambda_function")) {
      if (!f.at("/environment/variables/" + AwsContract.FUNCTION).asText().equals("http")) {
        assertThat(f.at("/environment/variables/" + AwsContract.REPLICA_AZURE_CLIENT_ID).asText())
            .isEqualTo("9e1d0c3b-0000-4000-8000-00000000eeee");
      }
    }

    // before the Azure stack has made the identity: the AWS functions copy nothing to Azure
    String awsFirst =
        testYaml().replace("    azureClientId: \"9e1d0c3b-0000-4000-8000-00000000eeee\"\n", "");
    assertThat(awsFirst).isNotEqualTo(testYaml());
    JsonNode before = synth(Cloud.AWS, awsFirst);
    for (JsonNode f : before.path("aws_lambda_function")) {
      assertThat(names(f.at("/environment/variables")))
          .doesNotContainAnyElementsOf(AwsContract.azureReplicaNames());
      assertThat(f.at("/environment/variables/" + TriadContract.MODEL_SETTINGS).asText())
          .doesNotContain("azblob://");
    }
    before
        .path("aws_iam_role_policy")
        .forEach(p -> assertThat(p.path("policy").asText()).doesNotContain("GetWebIdentityToken"));
    assertThat(names(synth(Cloud.AZURE, awsFirst), "azurerm_user_assigned_identity"))
        .anyMatch(n -> n.contains("aws-replica-writers"));
  }

  @Test
  void awsFunctions_should_beToldTheGcpProviderOnlyWhereTheyCopy() throws Exception {
    JsonNode aws = synth(Cloud.AWS, testYaml());
    Map<String, JsonNode> env = new TreeMap<>();
    aws.path("aws_lambda_function")
        .forEach(
            f ->
                env.put(
                    f.at("/environment/variables/" + AwsContract.FUNCTION).asText(),
                    f.at("/environment/variables")));

    for (String kind : List.of(AwsContract.S3, AwsContract.SCHEDULE)) {
      assertThat(env.get(kind).path(AwsContract.REPLICA_GCP_AUDIENCE).asText())
          .as(kind)
          .isEqualTo(PROVIDER.replace("/providers/azure", "/providers/aws-functions"));
      assertThat(
              JSON.readTree(env.get(kind).path(TriadContract.MODEL_SETTINGS).asText())
                  .at("/triad/models/iris/replicas")
                  .toString())
          .as(kind)
          .isEqualTo("[\"gs://triad-test-project-triad-test\",\"azblob://triadtestdata/triad\"]");
    }
    assertThat(env.get(AwsContract.HTTP).has(AwsContract.REPLICA_GCP_AUDIENCE)).isFalse();

    // without the route, nothing of it on either side
    String without = testYaml().replaceAll("(?s)  awsToGcp:.*?\naws:", "aws:");
    assertThat(without).isNotEqualTo(testYaml());
    synth(Cloud.AWS, without)
        .path("aws_lambda_function")
        .forEach(
            f ->
                assertThat(names(f.at("/environment/variables")))
                    .doesNotContainAnyElementsOf(AwsContract.replicaNames()));
    assertThat(names(synth(Cloud.GCP, without), "google_iam_workload_identity_pool_provider"))
        .noneMatch(n -> n.contains("aws"));
  }

  @Test
  void gcpPool_should_notExist_untilTheAzureIdentitiesAreKnown() throws Exception {
    String azureFirst =
        testYaml()
            .replace(
                "    azureWriters: [\"5c1f9a3e-0000-4000-8000-00000000bbbb\"]\n  gcpToAzure:",
                "  gcpToAzure:");
    assertThat(azureFirst).isNotEqualTo(testYaml());
    // with AWS's route too, the pool would be there for it
    azureFirst = azureFirst.replaceAll("(?s)  awsToGcp:.*?\naws:", "aws:");
    JsonNode gcp = synth(Cloud.GCP, azureFirst);
    assertThat(names(gcp, "google_iam_workload_identity_pool")).isEmpty();
    assertThat(names(gcp, "google_iam_workload_identity_pool_provider")).isEmpty();
    assertThat(names(gcp, "google_project_service")).noneMatch(n -> n.contains("sts"));
    gcp.path("google_storage_bucket_iam_member")
        .forEach(m -> assertThat(m.path("member").asText()).doesNotStartWith("principal"));
    // the Azure side is configured all the same: its copies stay pending until the pool exists
    JsonNode azure = synth(Cloud.AZURE, azureFirst);
    List<String> audiences = new ArrayList<>();
    azure
        .path("azurerm_function_app_flex_consumption")
        .forEach(
            a -> {
              if (a.at("/app_settings/" + AzureContract.REPLICA_GCP_AUDIENCE).isTextual()) {
                audiences.add(a.path("name").asText());
              }
            });
    assertThat(audiences).containsExactly("triad-test-functions");
  }

  @Test
  void azureIdentity_should_trustOnlyTheListedGoogleAccountsAndWriteTheReplicatedModels()
      throws Exception {
    JsonNode root =
        JSON.readTree(Testing.synth(Cloud.AZURE.stack(Testing.app(), load(testYaml()))));
    assertThat(SchemaCheck.problems(root, ProviderSchemas.of(Cloud.AZURE))).isEmpty();
    JsonNode resources = root.path("resource");

    JsonNode identity = only(resources, "azurerm_user_assigned_identity", "gcp-replica-writers");
    assertThat(identity.path("name").asText()).isEqualTo("triad-test-gcp-replicas");
    // another tenant than the one the GCP stack names the identity by stops the apply
    assertThat(identity.at("/lifecycle/precondition/0/condition").asText())
        .contains("data.azurerm_client_config.")
        .contains(".tenant_id == \"" + TENANT + "\"");

    // one federated credential per GCP writer: Google's issuer, the account's unique id, the
    // token exchange's audience
    Map<String, JsonNode> credentials = new TreeMap<>();
    resources
        .path("azurerm_federated_identity_credential")
        .forEach(
            c -> {
              if (c.path("parent_id").asText().contains("gcp-replica-writers")) {
                credentials.put(c.path("subject").asText(), c);
              }
            });
    assertThat(credentials).containsOnlyKeys("100000000000000000001", "100000000000000000002");
    for (JsonNode credential : credentials.values()) {
      assertThat(credential.path("issuer").asText()).isEqualTo("https://accounts.google.com");
      assertThat(texts(credential.path("audience"))).containsExactly(EXCHANGE);
      assertThat(credential.path("parent_id").asText())
          .startsWith("${azurerm_user_assigned_identity.")
          .contains("gcp-replica-writers");
    }

    // its one role assignment: the container, reading and writing iris's paths only, no delete
    List<JsonNode> assignments = new ArrayList<>();
    resources
        .path("azurerm_role_assignment")
        .forEach(
            a -> {
              if (a.path("principal_id").asText().contains("gcp-replica-writers")) {
                assignments.add(a);
              }
            });
    assertThat(assignments).hasSize(1);
    JsonNode access = assignments.get(0);
    assertThat(access.path("role_definition_name").asText())
        .isEqualTo("Storage Blob Data Contributor");
    assertThat(access.path("scope").asText()).startsWith("${azurerm_storage_container.");
    String condition = access.path("condition").asText();
    assertThat(condition)
        .contains("StringStartsWith 'models/iris/'")
        .doesNotContain("digits")
        .contains(
            "(!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete'}))");
    assertThat(root.at("/output/gcp_replica_client_id/value").asText())
        .contains("azurerm_user_assigned_identity")
        .endsWith(".client_id}");
  }

  @Test
  void azureIdentity_should_notExist_untilTheGoogleAccountsAreKnown_andGcpWaitsForItsClientId()
      throws Exception {
    String gcpFirst =
        testYaml()
            .replace(
                "    gcpWriters: [\"100000000000000000001\", \"100000000000000000002\"]\n"
                    + "    azureClientId: \"8d0c9e2a-0000-4000-8000-00000000cccc\"\n",
                "");
    assertThat(gcpFirst).isNotEqualTo(testYaml());
    JsonNode azure = synth(Cloud.AZURE, gcpFirst);
    assertThat(names(azure, "azurerm_federated_identity_credential"))
        .noneMatch(n -> n.contains("gcp"));
    assertThat(names(azure, "azurerm_user_assigned_identity"))
        .noneMatch(n -> n.contains("gcp-replica"));
    // the GCP functions copy to AWS only until the identity's client id is configured
    for (Map<String, String> function : replicaSettings(synth(Cloud.GCP, gcpFirst)).values()) {
      assertThat(function).doesNotContainKey(GcpContract.REPLICA_AZURE_CLIENT_ID);
      assertThat(function.get(TriadContract.MODEL_SETTINGS)).doesNotContain("azblob://");
    }
  }

  private static Map<String, List<String>> grants(JsonNode policy) {
    Map<String, List<String>> grants = new TreeMap<>();
    for (JsonNode s : policy.path("Statement")) {
      assertThat(s.path("Effect").asText()).isEqualTo("Allow");
      assertThat(s.has("Condition")).isFalse();
      grants.put(s.path("Sid").asText() + " " + texts(s.path("Action")), texts(s.path("Resource")));
    }
    return grants;
  }

  @Test
  void awsRole_should_notExist_untilTheGcpAccountsAreKnown() throws Exception {
    String firstApply =
        testYaml()
            .replace(
                "    gcpWriters: [\"100000000000000000001\", \"100000000000000000002\"]\n", "");
    assertThat(firstApply).isNotEqualTo(testYaml());

    assertThat(names(synth(Cloud.AWS, firstApply), "aws_iam_role"))
        .noneMatch(n -> n.contains("gcp-replica"))
        .anyMatch(n -> n.contains("azure-replica"));
    // the GCP side is configured all the same: its copies stay pending until the role exists
    assertThat(replicaSettings(synth(Cloud.GCP, firstApply))).hasSize(2);

    String azureFirst =
        testYaml().replace("    azureWriters: [\"5c1f9a3e-0000-4000-8000-00000000bbbb\"]\n", "");
    assertThat(azureFirst).isNotEqualTo(testYaml());
    JsonNode aws = synth(Cloud.AWS, azureFirst);
    assertThat(names(aws, "aws_iam_role"))
        .noneMatch(n -> n.contains("azure-replica"))
        .anyMatch(n -> n.contains("gcp-replica"));
    assertThat(names(aws, "aws_iam_openid_connect_provider")).isEmpty();
  }

  @Test
  void gcpFunctions_should_beToldTheRoleOnlyWhereTheyCopy() throws Exception {
    JsonNode resources = synth(Cloud.GCP, testYaml());

    Map<String, Map<String, String>> settings = replicaSettings(resources);
    assertThat(settings).containsOnlyKeys("triad-test-objects", "triad-test-schedule");
    for (Map<String, String> function : settings.values()) {
      assertThat(function.get(GcpContract.REPLICA_AWS_ROLE)).isEqualTo(ROLE);
      assertThat(function.get(GcpContract.REPLICA_AWS_REGION)).isEqualTo("us-east-1");
      assertThat(function.get(GcpContract.REPLICA_AZURE_TENANT)).isEqualTo(TENANT);
      assertThat(function.get(GcpContract.REPLICA_AZURE_CLIENT_ID)).isEqualTo(CLIENT_ID);
      // one replica per route: AWS's bucket, Azure's container
      assertThat(JSON.readTree(function.get(TriadContract.MODEL_SETTINGS)))
          .isEqualTo(
              JSON.readTree(
                  "{\"triad\":{\"models\":{\"iris\":{\"replicas\":[\"s3://triad-test-123456789012\","
                      + "\"azblob://triadtestdata/triad\"]}}}}"));
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

    JsonNode aws = synth(Cloud.AWS, none);
    assertThat(names(aws, "aws_iam_role")).noneMatch(n -> n.contains("replica"));
    assertThat(names(aws, "aws_iam_openid_connect_provider")).isEmpty();
    assertThat(replicaSettings(synth(Cloud.GCP, none))).isEmpty();
    JsonNode azure = synth(Cloud.AZURE, none);
    azure
        .path("azurerm_function_app_flex_consumption")
        .forEach(
            a ->
                assertThat(names(a.path("app_settings")))
                    .doesNotContainAnyElementsOf(AzureContract.replicaNames()));
    azure
        .path("azurerm_role_assignment")
        .forEach(a -> assertThat(a.path("condition").asText()).doesNotContain("replication/"));
    JsonNode gcp = synth(Cloud.GCP, none);
    assertThat(replicaSettings(gcp)).isEmpty();
    assertThat(names(azure, "azurerm_federated_identity_credential")).isEmpty();
    assertThat(names(gcp, "google_iam_workload_identity_pool")).isEmpty();
    gcp.path("google_storage_bucket_iam_member")
        .forEach(m -> assertThat(m.path("member").asText()).doesNotStartWith("principal"));
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
    assertThatThrownBy(() -> load(testYaml().replace("gcpToAws:", "awsToOnPrem:")))
        .hasMessageContaining("awsToOnPrem");
    assertThatThrownBy(
            () ->
                load(
                    testYaml()
                        .replace(
                            "  awsToGcp:\n    gcpProjectNumber: \"314159265358\"",
                            "  awsToGcp:\n    gcpProjectNumber: \"271828182845\"")))
        .hasMessageContaining(
            "replication: the routes name different GCP project numbers [271828182845,"
                + " 314159265358]");
    assertThatThrownBy(
            () ->
                load(
                    testYaml()
                        .replace(
                            "    awsAccount: \"123456789012\"\n  awsToAzure:",
                            "    awsAccount: \"210987654321\"\n  awsToAzure:")))
        .hasMessageContaining("replication: the routes name different AWS accounts");
    assertThatThrownBy(
            () ->
                load(
                    testYaml()
                        .replace(
                            "https://5f1e2d3c-0000-4000-8000-00000000dddd.tokens.sts.global.api.aws",
                            "https://sts.amazonaws.com")))
        .hasMessageContaining(
            "replication.awsToAzure.awsIssuer: 'https://sts.amazonaws.com' is not");
    assertThatThrownBy(() -> load(testYaml().replace(TENANT, "contoso.onmicrosoft.com")))
        .hasMessageContaining(
            "replication.azureToAws.azureTenant: 'contoso.onmicrosoft.com' is not");
    assertThatThrownBy(() -> load(testYaml().replace(AZURE_WRITER, AZURE_WRITER.toUpperCase())))
        .hasMessageContaining("replication.azureToAws.azureWriters");
    assertThatThrownBy(
            () ->
                load(
                    testYaml()
                        .replaceAll("(?s)  gcpToAws:.*?\n  azureToAws:", "  azureToAws:")
                        .replaceAll("(?s)  azureToAws:.*?\naws:", "\naws:")))
        .hasMessageContaining("replication: names no route");
    assertThatThrownBy(
            () ->
                load(
                    testYaml()
                        .replace(
                            "gcpProjectNumber: \"314159265358\"",
                            "gcpProjectNumber: \"triad-test-project\"")))
        .hasMessageContaining(
            "replication.azureToGcp.gcpProjectNumber: 'triad-test-project' is not");
    assertThatThrownBy(
            () -> load(testYaml().replace("project: triad-test\n", "project: gcp-test\n")))
        .hasMessageContaining("Google reserves pool ids starting with gcp-");
    assertThatThrownBy(
            () ->
                load(
                    testYaml()
                        .replace(
                            "azureClientId: \"8d0c9e2a-0000-4000-8000-00000000cccc\"",
                            "azureClientId: \"triad-test-gcp-replicas\"")))
        .hasMessageContaining("replication.gcpToAzure.azureClientId");
    assertThatThrownBy(
            () ->
                load(
                    testYaml()
                        .replace(
                            "  gcpToAzure:\n    azureTenant: \"72f988bf-0000-4000-8000-00000000aaaa\"",
                            "  gcpToAzure:\n    azureTenant: \"72f988bf-0000-4000-8000-00000000ffff\"")))
        .hasMessageContaining("replication: the routes name different Azure tenants");
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
                        if (GcpContract.replicaNames().contains(e.getKey())
                            || GcpContract.azureReplicaNames().contains(e.getKey())) {
                          env.put(e.getKey(), e.getValue().asText());
                        }
                      });
              if (!env.isEmpty()) {
                assertThat(env.keySet())
                    .containsAll(GcpContract.replicaNames())
                    .hasSize(
                        env.containsKey(GcpContract.REPLICA_AZURE_CLIENT_ID)
                            ? GcpContract.replicaNames().size() + 2
                            : GcpContract.replicaNames().size());
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

  private static List<String> names(JsonNode settings) {
    List<String> names = new ArrayList<>();
    settings.fieldNames().forEachRemaining(names::add);
    return names;
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
