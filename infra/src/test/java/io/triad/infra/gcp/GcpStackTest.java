package io.triad.infra.gcp;

import static io.triad.infra.SynthesizedStack.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.triad.infra.Cloud;
import io.triad.infra.SynthesizedStack;
import io.triad.settings.GcpContract;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GcpStackTest {

  private static SynthesizedStack gcp;

  @BeforeAll
  static void synthesize() {
    gcp = SynthesizedStack.of(Cloud.GCP);
  }

  @Test
  void buckets_should_useUniformAccessAndPreventPublicAccess_when_synthesized() {
    assertThat(gcp.resources("google_storage_bucket"))
        .hasSize(2)
        .allSatisfy(
            bucket -> {
              assertThat(bucket.path("uniform_bucket_level_access").asBoolean()).isTrue();
              assertThat(bucket.path("public_access_prevention").asText()).isEqualTo("enforced");
              assertThat(bucket.at("/versioning/enabled").asBoolean()).isTrue();
            });
  }

  @Test
  void noBinding_should_grantAccessToTheWholeInternet_when_synthesized() {
    gcp.root()
        .path("resource")
        .forEach(
            byType ->
                byType.forEach(
                    resource ->
                        assertThat(resource.path("member").asText())
                            .doesNotStartWith("allUsers")
                            .doesNotStartWith("allAuthenticatedUsers")));
  }

  @Test
  void bucketGrants_should_allBeConditionedOnPrefixes_when_synthesized() {
    assertThat(gcp.resources("google_storage_bucket_iam_member"))
        .isNotEmpty()
        .allSatisfy(
            grant -> assertThat(grant.at("/condition/expression").asText()).contains("/objects/"));
    assertThat(
            gcp.resource("google_storage_bucket_iam_member", "storage/job-write-candidates")
                .path("role")
                .asText())
        .as("a retried task overwrites its partial candidate")
        .isEqualTo("roles/storage.objectUser");
    assertThat(
            gcp.resource("google_storage_bucket_iam_member", "storage/job-write-candidates")
                .at("/condition/expression")
                .asText())
        .contains("/objects/candidates/\")")
        .doesNotContain("models/");
    assertThat(
            gcp.resource("google_storage_bucket_iam_member", "storage/http-read")
                .at("/condition/expression")
                .asText())
        .contains("/objects/models/\")", "/objects/candidates/\")")
        .doesNotContain("incoming/");
    // the HTTP function writes its payload log and nothing else: new objects under payloads/
    JsonNode payloads = gcp.resource("google_storage_bucket_iam_member", "storage/http-payloads");
    assertThat(payloads.path("role").asText()).isEqualTo("roles/storage.objectCreator");
    assertThat(payloads.at("/condition/expression").asText())
        .contains("/objects/payloads/\")")
        .doesNotContain("models/", "candidates/");
  }

  @Test
  void logBasedMetrics_should_readEveryCoreMetricFromTheFunctionsLines_when_synthesized() {
    List<JsonNode> metrics = gcp.resources("google_logging_metric");
    assertThat(metrics).hasSize(io.triad.layout.MetricNames.ALL.size());
    for (io.triad.layout.MetricNames.Metric metric : io.triad.layout.MetricNames.ALL) {
      JsonNode defined =
          metrics.stream()
              .filter(
                  m ->
                      m.path("filter")
                          .asText()
                          .endsWith("jsonPayload.triad_metric=\"" + metric.name() + "\""))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no log-based metric for " + metric.name()));
      // the lines of this stack's functions only
      assertThat(defined.path("filter").asText())
          .contains("resource.type=\"cloud_run_revision\"", "service_name=~\"^triad-test-");
      assertThat(defined.path("value_extractor").asText()).isEqualTo("EXTRACT(jsonPayload.value)");
      assertThat(defined.at("/metric_descriptor/value_type").asText()).isEqualTo("DISTRIBUTION");
      assertThat(defined.at("/metric_descriptor/unit").asText()).isEqualTo(metric.unit());
      for (String tag : metric.tags()) {
        assertThat(defined.at("/label_extractors/" + tag).asText())
            .isEqualTo("EXTRACT(jsonPayload." + tag + ")");
      }
      assertThat(defined.at("/metric_descriptor/labels")).hasSize(metric.tags().size());
    }
  }

  @Test
  void batchJobs_should_runOnTheStacksSubnetWithPrivateGoogleAccess() {
    JsonNode subnet = gcp.resource("google_compute_subnetwork", "training/subnetwork");
    JsonNode network = gcp.resource("google_compute_network", "training/network");
    JsonNode env =
        gcp.resource("google_cloudfunctions2_function", "functions/schedule")
            .at("/service_config/environment_variables");

    assertThat(network.path("auto_create_subnetworks").asBoolean(true)).isFalse();
    assertThat(subnet.path("private_ip_google_access").asBoolean()).isTrue();
    assertThat(subnet.path("network").asText())
        .startsWith("${google_compute_network.training_network");
    // the launcher asks for no external IP whenever it is given the subnetwork
    assertThat(env.path(GcpContract.BATCH_SUBNETWORK).asText())
        .startsWith("${google_compute_subnetwork.training_subnetwork")
        .endsWith(".id}");
    assertThat(env.path(GcpContract.BATCH_NETWORK).asText())
        .startsWith("${google_compute_network.training_network")
        .endsWith(".id}");
    assertThat(gcp.resources("google_compute_firewall")).isEmpty();
  }

  @Test
  void functions_should_buildAsTheirOwnAccount_afterItMayBuild() {
    JsonNode grant = gcp.resource("google_project_iam_member", "functions/build-builder");
    assertThat(grant.path("role").asText()).isEqualTo("roles/cloudbuild.builds.builder");
    String account = "google_service_account.functions_build-account";
    assertThat(grant.path("member").asText()).contains(account);
    for (JsonNode function : gcp.resources("google_cloudfunctions2_function")) {
      assertThat(function.at("/build_config/service_account").asText())
          .startsWith("${" + account)
          .endsWith(".id}");
      assertThat(SynthesizedStack.texts(function.path("depends_on")))
          .anyMatch(d -> d.startsWith("${google_project_iam_member.functions_build-builder"));
    }
  }

  @Test
  void functions_should_beSecondGenJavaWithTheAdaptersEntryPoints_when_synthesized() {
    Map<String, String> entryPoints = new TreeMap<>();
    for (JsonNode function : gcp.resources("google_cloudfunctions2_function")) {
      assertThat(function.at("/build_config/runtime").asText()).isEqualTo(GcpFunctions.RUNTIME);
      assertThat(function.at("/service_config/available_memory").asText()).isEqualTo("1536M");
      assertThat(function.at("/service_config/timeout_seconds").asInt()).isEqualTo(120);
      assertThat(function.at("/service_config/max_instance_count").asInt()).isEqualTo(5);
      assertThat(
              function.at("/service_config/environment_variables/" + GcpContract.BUCKET).asText())
          .contains("google_storage_bucket.storage_bucket");
      entryPoints.put(
          function.path("name").asText(), function.at("/build_config/entry_point").asText());
    }

    assertThat(entryPoints)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "triad-test-http", GcpContract.HTTP_ENTRY,
                "triad-test-objects", GcpContract.STORAGE_ENTRY,
                "triad-test-schedule", GcpContract.SCHEDULE_ENTRY));
  }

  @Test
  void objectFunction_should_receiveFinalizeNotificationsOfTheUploadPrefixesOnly() {
    JsonNode trigger =
        gcp.resource("google_cloudfunctions2_function", "functions/objects").path("event_trigger");

    // a topic fed by bucket notifications, which (unlike Eventarc's storage trigger) filter by
    // prefix: the function's own outputs announce nothing
    assertThat(trigger.path("event_type").asText())
        .isEqualTo("google.cloud.pubsub.topic.v1.messagePublished");
    assertThat(trigger.path("pubsub_topic").asText())
        .startsWith("${google_pubsub_topic.functions_uploads");
    assertThat(trigger.path("retry_policy").asText()).isEqualTo("RETRY_POLICY_RETRY");
    List<String> prefixes = new java.util.ArrayList<>();
    for (JsonNode notification : gcp.resources("google_storage_notification")) {
      assertThat(notification.path("topic").asText())
          .startsWith("${google_pubsub_topic.functions_uploads");
      assertThat(notification.path("payload_format").asText()).isEqualTo("JSON_API_V1");
      assertThat(texts(notification.path("event_types"))).containsExactly("OBJECT_FINALIZE");
      assertThat(texts(notification.path("depends_on")))
          .anyMatch(
              d -> d.contains("google_pubsub_topic_iam_member.functions_gcs-agent-publisher"));
      prefixes.add(notification.path("object_name_prefix").asText());
    }
    assertThat(prefixes).containsExactlyInAnyOrder("incoming/", "labelled/", "candidates/");
    assertThat(
            gcp.resource("google_cloudfunctions2_function", "functions/objects")
                .at("/service_config/ingress_settings")
                .asText())
        .isEqualTo("ALLOW_INTERNAL_ONLY");
  }

  @Test
  void httpFunction_should_haveNoPublicInvoker_when_synthesized() {
    assertThat(gcp.resources("google_cloud_run_service_iam_member"))
        .hasSize(2)
        .allSatisfy(
            invoker ->
                assertThat(invoker.path("member").asText()).contains("functions_trigger-account"));
  }

  @Test
  void schedule_should_publishTheCronTickToTheScheduleFunctionsTopic_when_synthesized() {
    JsonNode job = gcp.resource("google_cloud_scheduler_job", "schedule/retrain");
    String tick =
        new String(
            Base64.getDecoder().decode(job.at("/pubsub_target/data").asText()),
            StandardCharsets.UTF_8);

    assertThat(job.path("schedule").asText()).isEqualTo("30 2 * * 1-5");
    assertThat(job.path("time_zone").asText()).isEqualTo("Etc/UTC");
    assertThat(tick).contains("\"models\":[\"iris\",\"digits\"]");
    assertThat(
            gcp.resource("google_cloudfunctions2_function", "functions/schedule")
                .at("/event_trigger/pubsub_topic")
                .asText())
        .isEqualTo(job.at("/pubsub_target/topic_name").asText());
  }

  @Test
  void scheduleFunction_should_getEverythingToLaunchAGpuJob_when_synthesized() {
    JsonNode env =
        gcp.resource("google_cloudfunctions2_function", "functions/schedule")
            .at("/service_config/environment_variables");

    assertThat(env.path(GcpContract.BATCH_PROJECT).asText()).isEqualTo("triad-test-project");
    assertThat(env.path(GcpContract.BATCH_REGION).asText()).isEqualTo("us-central1");
    assertThat(env.path(GcpContract.BATCH_ACCELERATOR_TYPE).asText()).isEqualTo("nvidia-tesla-t4");
    assertThat(env.path(GcpContract.BATCH_ACCELERATOR_COUNT).asText()).isEqualTo("4");
    assertThat(env.path(GcpContract.BATCH_MACHINE_TYPE).asText()).isEqualTo("n1-standard-32");
    assertThat(env.path(GcpContract.BATCH_SPOT).asText()).isEqualTo("true");
    assertThat(env.path(GcpContract.BATCH_MAX_RETRIES).asText()).isEqualTo("3");
    assertThat(env.path(GcpContract.BATCH_MAX_RUN_DURATION).asText()).isEqualTo("PT1H30M");
    assertThat(env.path(GcpContract.BATCH_IMAGE).asText())
        .startsWith("us-central1-docker.pkg.dev/triad-test-project/")
        .endsWith("/triad-trainer:1.2.3");
  }

  @Test
  void scheduleAccount_should_actOnlyAsTheTrainingAccount_when_launchingJobs() {
    JsonNode actAs =
        gcp.resource("google_service_account_iam_member", "functions/schedule-acts-as-trainer");

    assertThat(actAs.path("service_account_id").asText()).contains("training_job-account");
    assertThat(actAs.path("role").asText()).isEqualTo("roles/iam.serviceAccountUser");
    assertThat(gcp.resources("google_project_iam_member"))
        .extracting(m -> m.path("role").asText())
        .doesNotContain(
            "roles/owner", "roles/editor", "roles/storage.admin", "roles/iam.serviceAccountUser");
  }

  @Test
  void trainerRepository_should_holdDockerImagesThatOnlyTheJobPulls_when_synthesized() {
    assertThat(
            gcp.resource("google_artifact_registry_repository", "training/repository")
                .path("format")
                .asText())
        .isEqualTo("DOCKER");
    assertThat(
            gcp.resource("google_artifact_registry_repository_iam_member", "training/job-pull")
                .path("role")
                .asText())
        .isEqualTo("roles/artifactregistry.reader");
  }

  @Test
  void alerts_should_emailTheConfiguredAddress_when_synthesized() {
    assertThat(
            gcp.resource("google_monitoring_notification_channel", "alerts/email")
                .at("/labels/email_address")
                .asText())
        .isEqualTo("alerts@example.org");
    assertThat(gcp.resources("google_monitoring_alert_policy")).hasSize(2);
    assertThat(texts(gcp.root().at("/variable/function_source/default")))
        .containsExactly("adapters/gcp/target/triad-gcp-functions.zip");
    assertThat(List.of(gcp.root().at("/terraform/backend/local/path").asText()))
        .containsExactly("terraform.tfstate");
  }

  @Test
  void resources_should_waitForEveryApi_when_theProjectIsFresh() {
    // given the APIs the stack enables, IAM and Resource Manager among them
    List<String> apis = new java.util.ArrayList<>();
    gcp.root()
        .path("resource")
        .path("google_project_service")
        .fieldNames()
        .forEachRemaining(apis::add);
    assertThat(gcp.resources("google_project_service"))
        .extracting(service -> service.path("service").asText())
        .contains("iam.googleapis.com", "cloudresourcemanager.googleapis.com");

    // then every other resource depends on all of them
    JsonNode resources = gcp.root().path("resource");
    resources
        .fieldNames()
        .forEachRemaining(
            type -> {
              if (!type.equals("google_project_service")) {
                resources
                    .get(type)
                    .forEach(
                        resource -> {
                          String dependsOn = resource.path("depends_on").toString();
                          for (String api : apis) {
                            assertThat(dependsOn)
                                .as("%s depends on %s", type, api)
                                .contains("google_project_service." + api);
                          }
                        });
              }
            });
  }

  @Test
  void objectsFunction_should_waitForTheEventGrants_when_itsTriggerIsMade() {
    JsonNode objects = gcp.resource("google_cloudfunctions2_function", "functions/objects");

    assertThat(objects.path("depends_on").toString())
        .contains("google_pubsub_topic_iam_member.functions_gcs-agent-publisher")
        .contains("google_project_iam_member.functions_trigger-receiver");
  }

  @Test
  void scheduleFunction_should_askTheConfiguredCpuAndMemory_when_itSubmitsJobs() {
    JsonNode env =
        gcp.resource("google_cloudfunctions2_function", "functions/schedule")
            .at("/service_config/environment_variables");

    // triad-test.yaml: training.vcpus 8, training.memoryMb 60000
    assertThat(env.path(GcpContract.BATCH_CPU_MILLI).asText()).isEqualTo("8000");
    assertThat(env.path(GcpContract.BATCH_MEMORY_MIB).asText()).isEqualTo("60000");
  }
}
