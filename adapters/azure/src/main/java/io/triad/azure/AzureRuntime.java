package io.triad.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.azblob.AzureBlobStore;
import io.triad.functions.api.ObjectCreated;
import io.triad.functions.api.Outcome;
import io.triad.functions.api.ScheduledTick;
import io.triad.functions.http.InferenceApi;
import io.triad.functions.replication.ReplicaStores;
import io.triad.functions.store.BlobStore;
import io.triad.functions.training.RetrainingReport;
import io.triad.functions.training.TrainingLauncher;
import io.triad.gcs.FederatedGcs;
import io.triad.gcs.GcsReplicaStores;
import io.triad.s3.AwsReplicaStores;
import io.triad.settings.AzureContract;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.support.GenericApplicationContext;

/**
 * What Azure adds to {@link io.triad.functions.TriadFunctions}: the container as the bucket, Batch
 * as the launcher, and the three handler classes the worker asks the injector for. Registered
 * functionally, like the core.
 */
public final class AzureRuntime
    implements ApplicationContextInitializer<GenericApplicationContext> {
  /**
   * The Entra credential Batch and Key Vault calls carry (the app's managed identity). Registered
   * only when the context has none yet, as {@code GcpRuntime} does for its clients, so a test's
   * initializer can put in one that works off Azure.
   */
  public static final String BATCH_CREDENTIAL = "batchCredential";

  private final AzureSettings settings;
  private final TrainingLauncher launcher;

  /** The runtime of a deployed app: Batch through the managed identity. */
  public AzureRuntime(AzureSettings settings) {
    this(settings, null);
  }

  /** With a launcher of the caller's (null: Azure Batch), for runs that must not submit jobs. */
  public AzureRuntime(AzureSettings settings, TrainingLauncher launcher) {
    this.settings = settings;
    this.launcher = launcher;
  }

  @Override
  public void initialize(GenericApplicationContext context) {
    io.triad.functions.telemetry.OtlpSettings.nameService(context.getEnvironment(), "triad-azure");
    context.registerBean(AzureSettings.class, () -> settings);
    context.registerBean(Clock.class, Clock::systemUTC);
    if (!context.containsBeanDefinition(BATCH_CREDENTIAL)) {
      context.registerBean(
          BATCH_CREDENTIAL,
          TokenCredential.class,
          () -> new DefaultAzureCredentialBuilder().build(),
          bd -> bd.setLazyInit(true));
    }
    context.registerBean(BlobStore.class, () -> new AzureBlobStore(BlobContainers.open(settings)));
    context.registerBean(
        ReplicaStores.class,
        () ->
            replicaStores(
                context.getEnvironment(),
                () -> context.getBean(BATCH_CREDENTIAL, TokenCredential.class)));
    context.registerBean(
        KeyVaultKeySource.class,
        () ->
            KeyVaultKeySource.managedIdentity(
                () -> context.getBean(BATCH_CREDENTIAL, TokenCredential.class)));
    context.registerBean(
        TrainingLauncher.class, () -> launcher != null ? launcher : batch(context));
    context.registerBean(
        HttpEntry.class, () -> new HttpEntry(new HttpEvents(context.getBean(InferenceApi.class))));
    context.registerBean(
        UploadEntry.class,
        () -> {
          Function<ObjectCreated, Outcome> onObjectCreated =
              catalog(context).lookup("onObjectCreated");
          return new UploadEntry(
              new UploadEvents(onObjectCreated, settings.container(), json(context)));
        });
    context.registerBean(
        ScheduleEntry.class,
        () -> {
          Function<ScheduledTick, RetrainingReport> onSchedule =
              catalog(context).lookup("onSchedule");
          return new ScheduleEntry(
              onSchedule,
              context.getBean(Clock.class),
              context.getEnvironment().getProperty(AzureContract.RETRAIN_SCHEDULE));
        });
  }

  /**
   * What the app's S3 requests call themselves ({@code triad/azure-replicas} in the User-Agent)
   * while they hold the replica role's session: the role, not one function, is the AWS identity.
   */
  public static final String REPLICA_CALLER = "azure-replicas";

  /**
   * An {@code s3://} replica is written with the AWS role {@code TRIAD_REPLICA_AWS_ROLE}, assumed
   * with the app's managed identity's token for Entra's token exchange, which the role's trust
   * names by the tenant's issuer and the identity's object id; a {@code gs://} replica with a
   * federated token that Google's token exchange gives for that same Entra token, as the GCP
   * stack's workload identity provider {@code TRIAD_REPLICA_GCP_AUDIENCE} allows; any other scheme
   * as the package's stores open it.
   */
  static ReplicaStores replicaStores(
      org.springframework.core.env.Environment env, Supplier<TokenCredential> credential) {
    EntraExchangeTokens tokens = new EntraExchangeTokens(credential);
    return GcsReplicaStores.of(
        env::getProperty,
        REPLICA_CALLER,
        provider -> FederatedGcs.oidc(provider, tokens),
        AwsReplicaStores.of(env::getProperty, REPLICA_CALLER, "triad-events", role -> tokens));
  }

  private TrainingLauncher batch(GenericApplicationContext context) {
    if (!settings.hasBatch()) {
      // the app still serves and scores; only the timer fails, saying what is missing
      return TrainingLauncher.refusing(
          AzureBatchLauncher.CLOUD,
          "Azure Batch is not configured: set "
              + AzureSettings.BATCH_ENDPOINT
              + " and "
              + AzureSettings.BATCH_POOL);
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    return new AzureBatchLauncher(
        settings, context.getBean(BATCH_CREDENTIAL, TokenCredential.class), http, json(context));
  }

  private static FunctionCatalog catalog(GenericApplicationContext context) {
    return context.getBean(FunctionCatalog.class);
  }

  private static ObjectMapper json(GenericApplicationContext context) {
    return context.getBean("triadJson", ObjectMapper.class);
  }
}
