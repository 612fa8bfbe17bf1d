package io.triad.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.triad.settings.AwsContract;
import io.triad.settings.AzureContract;
import io.triad.settings.GcpContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The settings each stack hands its functions are exactly the names of the shared contract ({@code
 * io.triad.settings}), the lists the adapters' own tests hold their reads to: what an adapter reads
 * is set here, and nothing is set that no adapter reads.
 */
class ContractSettingsTest {

  @Test
  void lambdaEnvironment_should_beTheAwsContractOfEachFunction_when_synthesized() {
    // when
    List<JsonNode> functions = SynthesizedStack.of(Cloud.AWS).resources("aws_lambda_function");

    // then
    assertThat(functions).hasSize(AwsContract.FUNCTIONS.size());
    for (JsonNode function : functions) {
      String kind = function.at("/environment/variables/" + AwsContract.FUNCTION).asText();
      List<String> expected = new ArrayList<>(AwsContract.names(kind));
      if (!kind.equals(AwsContract.HTTP)) {
        // the test config copies promotions to GCP: the s3 function promotes, the schedule
        // catches up
        expected.addAll(AwsContract.replicaNames());
        expected.addAll(AwsContract.azureReplicaNames());
      }
      assertThat(names(function.at("/environment/variables")))
          .as(kind)
          .containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  @Test
  void appSettings_should_beTheAzureContractPlusHostSettings_when_synthesized() {
    // given the host's own settings, which no adapter reads
    Set<String> host = Set.of("AzureFunctionsJobHost__functionTimeout");

    // when
    List<JsonNode> apps =
        SynthesizedStack.of(Cloud.AZURE).resources("azurerm_function_app_flex_consumption");

    // then: the events app has the whole contract, the serving app its part; each switches off
    // the other's functions
    assertThat(apps).hasSize(2);
    for (JsonNode app : apps) {
      List<String> settings = names(app.path("app_settings"));
      settings.removeAll(host);
      boolean serving = app.path("name").asText().endsWith("-serve");
      List<String> expected =
          new ArrayList<>(serving ? AzureContract.servingNames() : AzureContract.names());
      if (serving) {
        expected.add(AzureContract.disabled(AzureContract.OBJECT_CREATED_FUNCTION));
        expected.add(AzureContract.disabled(AzureContract.SCHEDULE_FUNCTION));
      } else {
        expected.add(AzureContract.disabled(AzureContract.HTTP_FUNCTION));
        // the test config copies promotions to AWS and GCP: the events app promotes and
        // catches up
        expected.addAll(AzureContract.replicaNames());
        expected.add(AzureContract.REPLICA_GCP_AUDIENCE);
      }
      assertThat(settings)
          .as(app.path("name").asText())
          .containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  @Test
  void functionEnvironment_should_beTheGcpContractBatchOnScheduleKeyOnObjects_when_synthesized() {
    for (JsonNode function :
        SynthesizedStack.of(Cloud.GCP).resources("google_cloudfunctions2_function")) {
      // given
      String entry = function.at("/build_config/entry_point").asText();
      List<String> expected = new ArrayList<>(GcpContract.names());
      // the test config copies promotions to AWS: the functions that promote and catch up
      if (entry.equals(GcpContract.SCHEDULE_ENTRY)) {
        expected.addAll(GcpContract.scheduleNames());
        expected.addAll(GcpContract.replicaNames());
        expected.addAll(GcpContract.azureReplicaNames());
      } else if (entry.equals(GcpContract.STORAGE_ENTRY)) {
        expected.addAll(GcpContract.promotionNames());
        expected.addAll(GcpContract.replicaNames());
        expected.addAll(GcpContract.azureReplicaNames());
      }

      // when
      List<String> names = names(function.at("/service_config/environment_variables"));

      // then
      assertThat(names)
          .as(function.path("name").asText())
          .containsExactlyInAnyOrderElementsOf(new java.util.LinkedHashSet<>(expected));
    }
  }

  @Test
  void unmanagedNames_should_neverBeSet_when_synthesized() {
    // given names the adapters read only off the cloud (emulators, tests) or that the platform
    // sets;
    // per cloud, since one cloud's test-only name may be another's real setting
    // (TRIAD_BATCH_ENDPOINT)
    Set<String> aws = new TreeSet<>();
    Set<String> azure = new TreeSet<>();
    Set<String> gcp = new TreeSet<>();

    // when
    SynthesizedStack.of(Cloud.AWS)
        .resources("aws_lambda_function")
        .forEach(f -> aws.addAll(names(f.at("/environment/variables"))));
    SynthesizedStack.of(Cloud.AZURE)
        .resources("azurerm_function_app_flex_consumption")
        .forEach(f -> azure.addAll(names(f.path("app_settings"))));
    SynthesizedStack.of(Cloud.GCP)
        .resources("google_cloudfunctions2_function")
        .forEach(f -> gcp.addAll(names(f.at("/service_config/environment_variables"))));

    // then
    assertThat(aws).isNotEmpty().doesNotContainAnyElementsOf(AwsContract.unmanaged());
    assertThat(azure).isNotEmpty().doesNotContainAnyElementsOf(AzureContract.unmanaged());
    assertThat(gcp).isNotEmpty().doesNotContainAnyElementsOf(GcpContract.unmanaged());
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
