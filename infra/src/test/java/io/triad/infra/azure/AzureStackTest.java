package io.triad.infra.azure;

import static io.triad.infra.SynthesizedStack.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.triad.infra.Cloud;
import io.triad.infra.SynthesizedStack;
import io.triad.settings.AzureContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AzureStackTest {

  private static SynthesizedStack azure;

  @BeforeAll
  static void synthesize() {
    azure = SynthesizedStack.of(Cloud.AZURE);
  }

  @Test
  void provider_should_beDeclaredWithFeaturesAndEntraIdStorage_when_synthesized() {
    assertThat(azure.root().at("/terraform/required_providers/azurerm/source").asText())
        .isEqualTo("hashicorp/azurerm");
    JsonNode provider = azure.root().at("/provider/azurerm/0");
    assertThat(provider.path("features").isObject()).isTrue();
    assertThat(provider.path("storage_use_azuread").asBoolean()).isTrue();
  }

  @Test
  void storageAccounts_should_requireTls12AndRefusePublicBlobs_when_synthesized() {
    assertThat(azure.resources("azurerm_storage_account"))
        .hasSize(2)
        .allSatisfy(
            account -> {
              assertThat(account.path("min_tls_version").asText()).isEqualTo("TLS1_2");
              assertThat(account.path("allow_nested_items_to_be_public").asBoolean(true)).isFalse();
              assertThat(account.path("https_traffic_only_enabled").asBoolean()).isTrue();
            });
    JsonNode data = azure.resource("azurerm_storage_account", "storage/data-account");
    assertThat(data.path("shared_access_key_enabled").asBoolean(true)).isFalse();
    assertThat(data.at("/blob_properties/versioning_enabled").asBoolean()).isTrue();
    assertThat(
            azure
                .resource("azurerm_storage_container", "storage/container")
                .path("container_access_type")
                .asText())
        .isEqualTo("private");
  }

  @Test
  void functionApp_should_runJavaWithAManagedIdentityAndTheAdaptersSettings_when_synthesized() {
    JsonNode app = azure.resource("azurerm_function_app_flex_consumption", "functions/app");
    JsonNode settings = app.path("app_settings");

    assertThat(app.path("runtime_name").asText()).isEqualTo("java");
    assertThat(app.path("runtime_version").asText()).isIn("17", "21");
    assertThat(app.at("/identity/type").asText()).isEqualTo("SystemAssigned");
    assertThat(app.path("https_only").asBoolean()).isTrue();
    assertThat(app.at("/site_config/minimum_tls_version").asText()).isEqualTo("1.2");
    // Flex's floor: 40 instances, whatever functions.maxConcurrency (5) asks
    assertThat(app.path("maximum_instance_count").asInt()).isEqualTo(40);
    // 1536 MB asked: the 2048 MB instance size
    assertThat(app.path("instance_memory_in_mb").asInt()).isEqualTo(2048);
    // the zip goes to the app's own deployment container: Flex runs it from there
    assertThat(app.path("zip_deploy_file").asText()).isEqualTo("${var.function_package}");
    assertThat(app.path("storage_container_type").asText()).isEqualTo("blobContainer");
    assertThat(app.path("storage_container_endpoint").asText())
        .startsWith("${azurerm_storage_account.storage_host-account")
        .contains(".primary_blob_endpoint}${azurerm_storage_container.functions_app-deployments_")
        .endsWith(".name}");
    assertThat(app.path("app_settings").has("FUNCTIONS_WORKER_RUNTIME")).isFalse();
    assertThat(settings.path(AzureContract.CONTAINER).asText())
        .contains("azurerm_storage_container");
    assertThat(settings.path(AzureContract.STORAGE_ACCOUNT).asText())
        .contains("azurerm_storage_account");
    assertThat(settings.path(AzureContract.BATCH_ACCOUNT).asText())
        .contains("azurerm_batch_account");
    assertThat(settings.path(AzureContract.BATCH_POOL).asText()).contains("azurerm_batch_pool");
    assertThat(settings.path(AzureContract.MODELS).asText()).isEqualTo("iris,digits");
    assertThat(settings.path(AzureContract.BATCH_ENDPOINT).asText())
        .startsWith("https://${azurerm_batch_account.")
        .endsWith(".account_endpoint}");
    assertThat(settings.path(AzureContract.TRAINER_IDENTITY).asText()).endsWith(".client_id}");
    assertThat(settings.path(AzureContract.TRAINER_IMAGE).asText())
        .endsWith("/triad-trainer:1.2.3");
    assertThat(settings.path("AzureFunctionsJobHost__functionTimeout").asText())
        .isEqualTo("00:02:00");
  }

  @Test
  void timerSetting_should_holdTheCronAsNcrontab_when_synthesized() {
    assertThat(
            azure
                .resource("azurerm_function_app_flex_consumption", "functions/app")
                .at("/app_settings/" + AzureContract.RETRAIN_SCHEDULE)
                .asText())
        .isEqualTo("0 30 2 * * 1-5");
  }

  @Test
  void blobCreatedEvents_should_reachOnObjectCreatedForTheUploadPrefixes_when_synthesized() {
    JsonNode subscription =
        azure.resource(
            "azurerm_eventgrid_system_topic_event_subscription", "functions/object-created");

    assertThat(texts(subscription.path("included_event_types")))
        .containsExactly("Microsoft.Storage.BlobCreated");
    assertThat(subscription.at("/azure_function_endpoint/function_id").asText())
        .endsWith("/functions/" + AzureContract.OBJECT_CREATED_FUNCTION);
    assertThat(texts(subscription.at("/advanced_filter/string_begins_with/0/values")))
        .containsExactly(
            "/blobServices/default/containers/triad/blobs/incoming/",
            "/blobServices/default/containers/triad/blobs/labelled/",
            "/blobServices/default/containers/triad/blobs/candidates/");
    assertThat(
            azure
                .resource("azurerm_eventgrid_system_topic", "functions/blob-events")
                .path("topic_type")
                .asText())
        .isEqualTo("Microsoft.Storage.StorageAccounts");
  }

  @Test
  void batchPool_should_runNcSeriesLowPriorityNodesScaledFromZero_when_spotIsConfigured() {
    JsonNode pool = azure.resource("azurerm_batch_pool", "training/gpu-pool");
    String formula = pool.at("/auto_scale/formula").asText();

    assertThat(pool.path("vm_size").asText()).isEqualTo("Standard_NC64as_T4_v3");
    assertThat(formula)
        .contains(
            "$TargetLowPriorityNodes = $target;",
            "$TargetDedicatedNodes = 0;",
            "$target = min(3, $pending);");
    assertThat(pool.at("/identity/type").asText()).isEqualTo("UserAssigned");
    assertThat(
            pool.at("/container_configuration/container_registries/0/user_assigned_identity_id")
                .asText())
        .contains("azurerm_user_assigned_identity");
    assertThat(AzureBatchPool.formula(false, 2))
        .contains("$TargetLowPriorityNodes = 0;", "$TargetDedicatedNodes = $target;");
    assertThat(
            texts(
                azure
                    .resource("azurerm_batch_account", "training/batch-account")
                    .path("allowed_authentication_modes")))
        .containsExactly("AAD");
  }

  @Test
  void registry_should_haveNoAdminUser_when_synthesized() {
    assertThat(
            azure
                .resource("azurerm_container_registry", "training/registry")
                .path("admin_enabled")
                .asBoolean(true))
        .isFalse();
  }

  @Test
  void signingKey_should_beReadableByTheEventsAppOnly_when_synthesized() {
    // given
    JsonNode read = azure.resource("azurerm_role_assignment", "functions/signing-key-read");
    JsonNode events = azure.resource("azurerm_function_app_flex_consumption", "functions/app");
    JsonNode serve = azure.resource("azurerm_function_app_flex_consumption", "functions/serve");

    // then: the key's vault is the scope, the events app the reader, and only it is told where
    // the key is
    assertThat(read.path("role_definition_name").asText()).isEqualTo("Key Vault Secrets User");
    assertThat(read.path("scope").asText()).contains("azurerm_key_vault.");
    assertThat(read.path("principal_id").asText()).contains("functions_app_");
    assertThat(events.at("/app_settings/" + AzureContract.SIGNING_KEY).asText())
        .startsWith(AzureContract.KEY_VAULT_SCHEME + ":${azurerm_key_vault.")
        .endsWith("secrets/" + AzureContract.SIGNING_SECRET);
    assertThat(serve.path("app_settings").has(AzureContract.SIGNING_KEY)).isFalse();
    for (JsonNode assignment : azure.resources("azurerm_role_assignment")) {
      if (assignment.path("scope").asText().contains("azurerm_key_vault.")) {
        assertThat(assignment.path("principal_id").asText())
            .as("who may use the key vault")
            .doesNotContain("functions_serve_");
      }
    }
  }

  @Test
  void apps_should_eachRunOnlyTheirOwnFunctions_when_synthesized() {
    JsonNode events =
        azure
            .resource("azurerm_function_app_flex_consumption", "functions/app")
            .path("app_settings");
    JsonNode serve =
        azure
            .resource("azurerm_function_app_flex_consumption", "functions/serve")
            .path("app_settings");

    assertThat(events.path(AzureContract.disabled(AzureContract.HTTP_FUNCTION)).asText())
        .isEqualTo("true");
    assertThat(serve.path(AzureContract.disabled(AzureContract.OBJECT_CREATED_FUNCTION)).asText())
        .isEqualTo("true");
    assertThat(serve.path(AzureContract.disabled(AzureContract.SCHEDULE_FUNCTION)).asText())
        .isEqualTo("true");
  }

  @Test
  void roleAssignments_should_beScopedToOneResourceNeverAGroupOrSubscription_when_synthesized() {
    List<String> scopes = new ArrayList<>();
    for (JsonNode assignment : azure.resources("azurerm_role_assignment")) {
      scopes.add(assignment.path("scope").asText());
    }

    // 8, and the GCP replica identity's one (replication.gcpToAzure)
    assertThat(scopes)
        // (two of them the replica identities', GCP's and AWS's, as the test config replicates)
        .hasSize(10)
        .noneMatch(
            scope -> scope.contains("azurerm_resource_group") || scope.contains("subscription"));
    assertThat(
            azure
                .resource("azurerm_role_assignment", "functions/blob-access")
                .path("scope")
                .asText())
        // the container's ARM id: it is made through Resource Manager (storage_account_id)
        .isEqualTo("${azurerm_storage_container.storage_container_B8D61B20.id}");
    assertThat(
            azure
                .resource("azurerm_storage_container", "storage/container")
                .path("storage_account_id")
                .asText())
        .startsWith("${azurerm_storage_account.storage_data-account");
    assertThat(
            azure
                .resource("azurerm_role_assignment", "functions/job-submit")
                .path("scope")
                .asText())
        .contains("azurerm_batch_account");
    assertThat(
            azure
                .resource("azurerm_role_assignment", "training/trainer-acr-pull")
                .path("role_definition_name")
                .asText())
        .isEqualTo("AcrPull");
  }

  @Test
  void blobRoles_should_beNarrowedToPrefixesAndDeleteOnlyFailureRecords_when_synthesized() {
    String trainer =
        azure
            .resource("azurerm_role_assignment", "training/trainer-blob-access")
            .path("condition")
            .asText();
    String functions =
        azure
            .resource("azurerm_role_assignment", "functions/blob-access")
            .path("condition")
            .asText();

    assertThat(trainer)
        .contains("StringStartsWith 'data/'", "StringStartsWith 'candidates/'", "blobs/delete'}))")
        .doesNotContain("'models/'", "'incoming/'");
    // the events app deletes only failure records (a success clears an earlier attempt's) and
    // launch records (a refused submission gives its claim back)
    String deletes = functions.substring(functions.lastIndexOf("AND"));
    assertThat(functions)
        .contains("'predictions/'", "'evaluations/'", "'monitoring/'", "'failed/'");
    assertThat(deletes)
        .contains(
            "blobs/delete'}))",
            "StringStartsWith 'failed/'",
            "StringLike 'candidates/*/launch.json'")
        .doesNotContain("'models/'", "'incoming/'", "'candidates/'");
    assertThat(azure.resources("azurerm_role_assignment"))
        .filteredOn(a -> a.path("role_definition_name").asText().startsWith("Storage Blob"))
        .allSatisfy(a -> assertThat(a.path("condition_version").asText()).isEqualTo("2.0"));
  }

  @Test
  void jobSubmitterRole_should_grantOnlyBatchJobActions_when_synthesized() {
    JsonNode role = azure.resource("azurerm_role_definition", "functions/job-submitter");
    List<String> actions = new ArrayList<>(texts(role.at("/permissions/actions")));
    actions.addAll(texts(role.at("/permissions/data_actions")));

    assertThat(actions)
        .allSatisfy(
            action ->
                assertThat(action)
                    .startsWith("Microsoft.Batch/batchAccounts/")
                    .doesNotContain("*"));
    assertThat(texts(role.path("assignable_scopes"))).containsExactly(role.path("scope").asText());
  }

  @Test
  void monitoring_should_emailTheConfiguredAddressAndKeepInsights_when_synthesized() {
    assertThat(
            azure
                .resource("azurerm_monitor_action_group", "alerts")
                .at("/email_receiver/0/email_address")
                .asText())
        .isEqualTo("alerts@example.org");
    assertThat(
            azure
                .resource("azurerm_application_insights", "insights")
                .path("workspace_id")
                .asText())
        .contains("azurerm_log_analytics_workspace");
    assertThat(azure.resources("azurerm_monitor_metric_alert")).hasSize(2);
  }

  @Test
  void everyResource_should_comeFromTheTypedConstructs_when_synthesized() {
    List<String> types = new ArrayList<>();
    azure.root().path("resource").fieldNames().forEachRemaining(types::add);

    assertThat(types).allSatisfy(type -> assertThat(type).startsWith("azurerm_"));
    assertThat(Set.copyOf(types))
        .contains(
            "azurerm_resource_group",
            "azurerm_service_plan",
            "azurerm_function_app_flex_consumption",
            "azurerm_batch_account",
            "azurerm_batch_pool",
            "azurerm_container_registry",
            "azurerm_application_insights",
            "azurerm_role_assignment");
  }

  @Test
  void blobEvents_should_beSubscribedOnlyOnceTheAppsHostRuns_when_synthesized() {
    JsonNode subscription =
        azure.resource(
            "azurerm_eventgrid_system_topic_event_subscription", "functions/object-created");
    JsonNode keys = azure.root().at("/data/azurerm_function_app_host_keys");

    assertThat(keys.size()).isEqualTo(1);
    assertThat(keys.elements().next().path("name").asText())
        .startsWith("${azurerm_function_app_flex_consumption.functions_app_");
    assertThat(texts(subscription.path("depends_on")))
        .singleElement()
        .asString()
        .startsWith("data.azurerm_function_app_host_keys.functions_app-running");
  }

  @Test
  void batchPool_should_runWithoutPublicIpsBehindANatGateway_when_synthesized() {
    JsonNode pool = azure.resource("azurerm_batch_pool", "training/gpu-pool");
    JsonNode subnet = azure.resource("azurerm_subnet", "training/node-network/nodes");

    assertThat(pool.at("/network_configuration/public_address_provisioning_type").asText())
        .isEqualTo("NoPublicIPAddresses");
    assertThat(pool.at("/network_configuration/subnet_id").asText())
        .startsWith("${azurerm_subnet.training_node-network_nodes");
    assertThat(pool.path("target_node_communication_mode").asText()).isEqualTo("Simplified");
    assertThat(subnet.path("default_outbound_access_enabled").asBoolean(true)).isFalse();
    assertThat(texts(pool.path("depends_on")))
        .anyMatch(d -> d.startsWith("azurerm_subnet_nat_gateway_association."));
    assertThat(azure.resources("azurerm_subnet_nat_gateway_association")).hasSize(1);
    // the only public address is the gateway's
    assertThat(azure.resources("azurerm_public_ip"))
        .singleElement()
        .satisfies(ip -> assertThat(ip.path("name").asText()).endsWith("-nat"));
  }

  @Test
  void batchPool_should_writeEveryContainerRegistryArgument_when_itIsAnAttributeAsBlock() {
    JsonNode registry =
        azure
            .resource("azurerm_batch_pool", "training/gpu-pool")
            .at("/container_configuration/container_registries/0");

    assertThat(registry.has("user_name") && registry.get("user_name").isNull()).isTrue();
    assertThat(registry.has("password") && registry.get("password").isNull()).isTrue();
    assertThat(registry.path("user_assigned_identity_id").asText()).isNotBlank();
  }

  @Test
  void functionApps_should_eachHaveAFlexPlanOfTheirOwn_andNoRuntimeSettings_when_synthesized() {
    List<String> plans = new ArrayList<>();
    for (JsonNode app : azure.resources("azurerm_function_app_flex_consumption")) {
      plans.add(app.path("service_plan_id").asText());
      // Flex refuses the runtime settings Consumption took: the runtime is runtime_name/version
      assertThat(app.path("app_settings").has("FUNCTIONS_EXTENSION_VERSION")).isFalse();
      assertThat(app.path("app_settings").has("FUNCTIONS_WORKER_RUNTIME")).isFalse();
      assertThat(app.path("app_settings").has("WEBSITE_RUN_FROM_PACKAGE")).isFalse();
    }
    assertThat(plans).hasSize(2).doesNotHaveDuplicates();
    assertThat(azure.resources("azurerm_service_plan"))
        .hasSize(2)
        .allSatisfy(plan -> assertThat(plan.path("sku_name").asText()).isEqualTo("FC1"));
  }

  @Test
  void jobSubmitter_should_mayDeleteTheJobsItMakes_when_aTaskCannotBeAdded() {
    assertThat(
            azure
                .resource("azurerm_role_definition", "functions/job-submitter")
                .at("/permissions/data_actions")
                .toString())
        .contains("Microsoft.Batch/batchAccounts/jobs/delete");
  }
}
