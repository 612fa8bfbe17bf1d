package io.triad.gcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.functions.CloudEventsFunction;
import com.google.cloud.functions.HttpFunction;
import io.triad.settings.GcpContract;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The adapter reads the Batch names {@link GcpContract} lists; infra's tests hold the stack to the
 * same list.
 */
class GcpContractTest {

  @Test
  void batchJobSettings_should_readExactlyTheContractBatchNames_when_lookedUp() {
    // given a lookup that records every name asked for and answers enough to pass validation
    Set<String> asked = new TreeSet<>();

    // when
    BatchJobSettings.from(
        name -> {
          asked.add(name);
          return name.equals(GcpContract.BATCH_PROJECT)
                  || name.equals(GcpContract.BATCH_REGION)
                  || name.equals(GcpContract.BATCH_IMAGE)
              ? "x"
              : null;
        });

    // then
    assertThat(asked).containsExactlyInAnyOrderElementsOf(GcpContract.batchNames());
  }

  @Test
  void commonNames_should_beTheAdapterConstants_when_compared() {
    assertThat(GcpRuntime.BUCKET).isEqualTo(GcpContract.BUCKET);
    assertThat(GcpContract.unmanaged())
        .containsExactly(
            GcpRuntime.STORE,
            GcpContract.SECRETS_ENDPOINT,
            // a replica's doubles in the tests; the metadata server's host, as Google's libraries
            // read it (unset on GCP)
            GcpContract.REPLICA_STS_ENDPOINT,
            GcpContract.REPLICA_S3_ENDPOINT,
            GcpContract.REPLICA_ENTRA_AUTHORITY,
            GcpContract.REPLICA_BLOB_ENDPOINT,
            GcpContract.METADATA_HOST);
  }

  @Test
  void entryPoints_should_beFunctionsOfTheirKind_when_namedByTheContract()
      throws ClassNotFoundException {
    assertThat(HttpFunction.class).isAssignableFrom(Class.forName(GcpContract.HTTP_ENTRY));
    assertThat(CloudEventsFunction.class)
        .isAssignableFrom(Class.forName(GcpContract.STORAGE_ENTRY));
    assertThat(CloudEventsFunction.class)
        .isAssignableFrom(Class.forName(GcpContract.SCHEDULE_ENTRY));
  }
}
