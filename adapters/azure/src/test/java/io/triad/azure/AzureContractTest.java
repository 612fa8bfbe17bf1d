package io.triad.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import io.triad.settings.AzureContract;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The adapter reads exactly the app settings {@link AzureContract} lists; infra's tests hold the
 * stack to the same list.
 */
class AzureContractTest {

  @Test
  void from_should_readTheContractNames_when_settingsAreLookedUp() {
    // given a lookup that records every name asked for
    Set<String> asked = new TreeSet<>();

    // when
    AzureSettings.from(
        name -> {
          asked.add(name);
          return AzureSettings.CONTAINER.equals(name) || AzureSettings.STORAGE_ACCOUNT.equals(name)
              ? "x"
              : null;
        });

    // then: every setting the stack sets is read here, except those read by others: ONNX Runtime
    // reads ORT_DISABLE_TELEMETRY, the Functions host resolves TRIAD_RETRAIN_SCHEDULE (below),
    // Spring binds TRIAD_CATALOG to triad.catalog, TRIAD_SIGNING_* to triad.signing.* and
    // TRIAD_COST_* to triad.cost.* (SettingsBindingTest in functions)
    List<String> set = new ArrayList<>(AzureContract.names());
    set.removeAll(io.triad.settings.TriadContract.costNames());
    set.removeAll(
        List.of(
            AzureContract.ORT_DISABLE_TELEMETRY,
            AzureContract.RETRAIN_SCHEDULE,
            AzureContract.MODELS,
            AzureContract.SIGNING_TRUSTED_KEYS,
            AzureContract.SIGNING_KEY));
    List<String> readable = new ArrayList<>(set);
    readable.addAll(AzureContract.unmanaged());
    // the replica openers (AwsReplicaStores, GcsReplicaStores) read these from Spring's
    // environment
    readable.removeAll(
        List.of(
            AzureContract.REPLICA_STS_ENDPOINT,
            AzureContract.REPLICA_S3_ENDPOINT,
            AzureContract.REPLICA_GCP_STS_ENDPOINT,
            AzureContract.REPLICA_GCS_ENDPOINT));
    assertThat(asked).containsAll(set).isSubsetOf(readable);
    assertThat(AzureSettings.NAMES).containsExactlyInAnyOrderElementsOf(readable);
  }

  @Test
  void timer_should_takeItsScheduleFromTheAppSetting_when_indexed() throws NoSuchMethodException {
    // given
    Method run =
        ScheduleEntry.class.getMethod(
            "run", String.class, com.microsoft.azure.functions.ExecutionContext.class);

    // when
    TimerTrigger timer = (TimerTrigger) run.getParameterAnnotations()[0][0];

    // then
    assertThat(timer.schedule()).isEqualTo("%" + AzureContract.RETRAIN_SCHEDULE + "%");
  }

  @Test
  void functionNames_should_beTheContractNames_when_annotated() {
    // when
    List<String> names = new ArrayList<>();
    for (Class<?> type : List.of(HttpEntry.class, UploadEntry.class, ScheduleEntry.class)) {
      Arrays.stream(type.getMethods())
          .map(m -> m.getAnnotation(FunctionName.class))
          .filter(a -> a != null)
          .forEach(a -> names.add(a.value()));
    }

    // then
    assertThat(names).containsExactlyElementsOf(AzureContract.FUNCTIONS);
  }
}
