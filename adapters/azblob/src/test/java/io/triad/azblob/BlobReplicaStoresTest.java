package io.triad.azblob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triad.functions.replication.ReplicaStores;
import io.triad.settings.TriadContract;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * How an {@code azblob://} replica is opened from the settings the GCP stack gives, and refused in
 * words when they are missing or wrong. The copy itself, through Entra and a container over HTTPS,
 * is the retraining loop's (integration-tests, GCP run).
 */
class BlobReplicaStoresTest {
  private static final String TENANT = "72f988bf-0000-4000-8000-00000000aaaa";
  private static final String CLIENT = "8d0c9e2a-0000-4000-8000-00000000cccc";

  private final List<String> asked = new CopyOnWriteArrayList<>();
  private final Map<String, String> settings = new HashMap<>();
  private final ReplicaStores others =
      uri -> {
        throw new IllegalArgumentException("others: " + uri);
      };

  private ReplicaStores stores() {
    return BlobReplicaStores.of(
        settings::get,
        "gcp-replicas",
        () -> {
          asked.add("token");
          return "a.b.c";
        },
        others);
  }

  @Test
  void azblob_should_beRefusedInWords_when_theStackGaveNoIdentity() {
    assertThatThrownBy(() -> stores().open("azblob://account/triad"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(TriadContract.REPLICA_AZURE_TENANT)
        .hasMessageContaining(TriadContract.REPLICA_AZURE_CLIENT_ID);

    settings.put(TriadContract.REPLICA_AZURE_TENANT, "contoso.onmicrosoft.com");
    settings.put(TriadContract.REPLICA_AZURE_CLIENT_ID, CLIENT);
    assertThatThrownBy(() -> stores().open("azblob://account/triad"))
        .hasMessage("expected the Entra tenant's id (a GUID), got contoso.onmicrosoft.com");
  }

  @Test
  void azblob_should_nameAContainer_andOtherSchemesGoElsewhere() {
    settings.put(TriadContract.REPLICA_AZURE_TENANT, TENANT);
    settings.put(TriadContract.REPLICA_AZURE_CLIENT_ID, CLIENT);

    assertThatThrownBy(() -> stores().open("azblob://account"))
        .hasMessage("expected azblob://ACCOUNT/CONTAINER, got azblob://account");
    assertThatThrownBy(() -> stores().open("azblob://account/triad/models"))
        .hasMessage("expected azblob://ACCOUNT/CONTAINER, got azblob://account/triad/models");
    assertThatThrownBy(() -> stores().open("s3://bucket")).hasMessage("others: s3://bucket");

    // opening asks Entra for nothing: the first request does
    assertThat(stores().open("azblob://account/triad").uri()).isEqualTo("azblob://account/triad");
    assertThat(asked).isEmpty();
  }
}
