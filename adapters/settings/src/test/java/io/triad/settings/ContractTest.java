package io.triad.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContractTest {

  @Test
  void names_should_beDistinctAndApartFromUnmanaged_when_listedPerCloud() {
    // given every cloud's lists
    List<List<String>> managed =
        List.of(AwsContract.names(AwsContract.SCHEDULE), AzureContract.names(), gcpAll());
    List<List<String>> unmanaged =
        List.of(AwsContract.unmanaged(), AzureContract.unmanaged(), GcpContract.unmanaged());

    for (int i = 0; i < managed.size(); i++) {
      // then no name is listed twice, and a name the stack sets is never also "not set by the
      // stack"
      assertThat(managed.get(i))
          .doesNotHaveDuplicates()
          .doesNotContainAnyElementsOf(unmanaged.get(i));
    }
  }

  @Test
  void awsNames_should_addBatchOnlyToTheSchedule_when_askedPerFunction() {
    // when
    List<String> http = AwsContract.names(AwsContract.HTTP);
    List<String> schedule = AwsContract.names(AwsContract.SCHEDULE);

    // then
    assertThat(http).doesNotContain(AwsContract.BATCH_JOB_QUEUE, AwsContract.BATCH_JOB_DEFINITION);
    assertThat(schedule)
        .containsAll(http)
        .contains(AwsContract.BATCH_JOB_QUEUE, AwsContract.BATCH_JOB_DEFINITION);
  }

  @Test
  void retrainScheduleBinding_should_nameTheAppSetting_when_resolvedByTheFunctionsHost() {
    assertThat(AzureContract.RETRAIN_SCHEDULE_BINDING).isEqualTo("%TRIAD_RETRAIN_SCHEDULE%");
  }

  private static List<String> gcpAll() {
    List<String> all = new ArrayList<>(GcpContract.names());
    all.addAll(GcpContract.batchNames());
    return all;
  }
}
