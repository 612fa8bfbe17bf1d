package io.triad.contract;

import io.triad.azure.AzureSettings;
import io.triad.azure.AzureWorkerDriver;
import io.triad.azure.FakeEntraToken;
import io.triad.functions.store.BlobStore;
import io.triad.settings.AzureContract;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The loop on Azure: one Function App, so one worker context serves all three functions, as on
 * Azure. The {@code onSchedule} timer fires through the injector; its Batch launcher calls {@link
 * FakeAzureBatch} with a token from {@link FakeEntraToken} (no managed identity here); the
 * candidate's Event Grid event goes to {@code onObjectCreated}. The trainer reaches Azurite with
 * its connection string, in place of the pool identity a node would have. Each promotion is copied
 * into the AWS stack's bucket with the role the app assumes ({@link ToAwsReplica}), and into the
 * GCP stack's bucket with the federated token Google's exchange gives for the same Entra token
 * ({@link ToGcpReplica}).
 */
final class AzureRetraining implements RetrainingUnderTest {
  private static final String TOKEN = "fake-entra-token-for-batch";
  private static final String POOL = "triad-gpu";
  private static final String SCHEDULE = "0 */5 * * * *";
  private static final String IMAGE = "triadtrainer.azurecr.io/triad-trainer:test";

  private final FakeAzureBatch batch;
  private final AzureUnderTest serving;
  private final ToAwsReplica replica;
  private final ToGcpReplica gcpReplica;

  AzureRetraining(
      Path work,
      String container,
      List<String> models,
      TrainerImage image,
      Consumer<BlobStore> given)
      throws Exception {
    // the stack copies each promotion into the AWS stack's bucket: the app is started with what
    // it gives the events app, then the settings go (other runtimes share this JVM's properties)
    this.replica = ToAwsReplica.azure(work, RetrainingLoop.PROMOTED);
    try {
      this.gcpReplica = ToGcpReplica.azure(replica.entraKey(), RetrainingLoop.PROMOTED);
    } catch (Exception | Error e) {
      replica.close();
      throw e;
    }
    try {
      this.batch = new FakeAzureBatch(image, TOKEN, POOL, IMAGE);
    } catch (Exception | Error e) {
      closeReplicas();
      throw e;
    }
    try {
      AzureWorkerDriver worker =
          new AzureWorkerDriver(
              work,
              container,
              String.join(",", models),
              Map.of(
                  AzureSettings.BATCH_ACCOUNT,
                  "triadbatch",
                  AzureSettings.BATCH_ENDPOINT,
                  batch.endpoint().toString(),
                  AzureSettings.BATCH_POOL,
                  POOL,
                  // what the stack says the pool's nodes are (training.spot: low-priority)
                  AzureSettings.BATCH_PLACEMENT,
                  "azure/northeurope/spot",
                  AzureSettings.TRAINER_IMAGE,
                  IMAGE,
                  // the timer's slot is the tick (ScheduleEntry), as the host reads it from here
                  AzureContract.RETRAIN_SCHEDULE,
                  SCHEDULE),
              false);
      batch.nodeEnvironment(Map.of(AzureSettings.STORAGE_CONNECTION, worker.storageConnection()));
      this.serving = new AzureUnderTest(worker);
    } catch (Exception | Error e) {
      batch.close();
      closeReplicas();
      throw e;
    }
    try {
      given.accept(serving.bucket());
      // the worker's context starts on its first invocation: this one, with the test's credential
      // (Entra's exchange tokens minted for the identity the AWS role trusts) and the settings
      FakeEntraToken.use(TOKEN);
      FakeEntraToken.mint(
          AzureContract.TOKEN_EXCHANGE_AUDIENCE,
          () -> replica.entraToken(AzureContract.TOKEN_EXCHANGE_AUDIENCE));
      replica.settings().forEach(System::setProperty);
      gcpReplica.settings().forEach(System::setProperty);
      Answer live =
          serving.send(
              new ContractRequest("live", "GET", "/v2/health/live", Map.of(), new byte[0]));
      if (live.status() != 200) {
        throw new IllegalStateException(
            "the Azure worker did not start: " + live.status() + " " + live.text());
      }
    } catch (Exception | Error e) {
      close();
      throw e;
    } finally {
      FakeEntraToken.clear();
      replica.settings().keySet().forEach(System::clearProperty);
      gcpReplica.settings().keySet().forEach(System::clearProperty);
    }
  }

  @Override
  public void promoted(String model, String version) throws Exception {
    replica.assertCopied(serving.bucket(), model, version);
    gcpReplica.assertCopied(serving.bucket(), model, version);
  }

  @Override
  public String placement() {
    return "azure/northeurope/spot";
  }

  @Override
  public RuntimeUnderTest serving() {
    return serving;
  }

  /** The timer's payload carries no time: each delivery is the host running the same slot. */
  @Override
  public void tick(int deliveries) throws Exception {
    RetrainingUnderTest.atOnce(
        deliveries,
        () -> {
          serving.worker().timer();
          return null;
        });
  }

  @Override
  public int jobs(String model) {
    return batch.runs().count(model);
  }

  @Override
  public TrainedJob awaitTrained(String model, Duration timeout) throws Exception {
    return batch.runs().awaitTrained(model, timeout);
  }

  @Override
  public void announce(String key) throws Exception {
    serving.announce(key);
  }

  @Override
  public void close() {
    try {
      serving.close();
    } finally {
      try {
        batch.close();
      } finally {
        closeReplicas();
      }
    }
  }

  private void closeReplicas() {
    try {
      replica.close();
    } finally {
      gcpReplica.close();
    }
  }
}
