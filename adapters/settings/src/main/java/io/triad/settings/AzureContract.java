package io.triad.settings;

import java.util.List;

/**
 * The Azure Functions contract: the app settings the stack sets and the adapter reads, the function
 * names and the package. Two Function Apps run the one package: the serving app answers HTTP only
 * and holds public keys only; the events app runs uploads, promotion and the schedule, and alone
 * may read the signing key. Each switches the other's functions off ({@link #disabled}).
 */
public final class AzureContract {
  private AzureContract() {}

  public static final String CONTAINER = "TRIAD_CONTAINER";
  public static final String STORAGE_ACCOUNT = "TRIAD_STORAGE_ACCOUNT";
  public static final String BATCH_ACCOUNT = "TRIAD_BATCH_ACCOUNT";

  /** The Batch account's URL, {@code https://{account}.{region}.batch.azure.com}. */
  public static final String BATCH_ENDPOINT = "TRIAD_BATCH_ENDPOINT";

  public static final String BATCH_POOL = "TRIAD_BATCH_POOL";

  /**
   * What the pool's nodes are, as a placement names them: {@code azure/LOCATION/spot} (low-priority
   * nodes) or {@code azure/LOCATION/on-demand} (dedicated).
   */
  public static final String BATCH_PLACEMENT = "TRIAD_BATCH_PLACEMENT";

  public static final String MODELS = TriadContract.MODELS;

  /**
   * NCRONTAB (six fields, seconds first) the Timer trigger reads through {@link
   * #RETRAIN_SCHEDULE_BINDING}.
   */
  public static final String RETRAIN_SCHEDULE = "TRIAD_RETRAIN_SCHEDULE";

  /** The trainer image each Batch task runs in; the pool pulls it from the registry. */
  public static final String TRAINER_IMAGE = "TRIAD_TRAINER_IMAGE";

  /**
   * Client id of the pool's managed identity, handed to the trainer as AZURE_CLIENT_ID for Blob
   * access.
   */
  public static final String TRAINER_IDENTITY = "TRIAD_TRAINER_IDENTITY";

  public static final String ORT_DISABLE_TELEMETRY = TriadContract.ORT_DISABLE_TELEMETRY;
  public static final String SIGNING_TRUSTED_KEYS = TriadContract.SIGNING_TRUSTED_KEYS;

  /** {@code azure-keyvault:} and the secret's URL; the events app's only. */
  public static final String SIGNING_KEY = TriadContract.SIGNING_KEY;

  /** The prefix of {@link #SIGNING_KEY}'s value. */
  public static final String KEY_VAULT_SCHEME = "azure-keyvault";

  /** The Key Vault secret holding the signing key (PKCS#8 PEM). */
  public static final String SIGNING_SECRET = "signing-key";

  /** A connection string instead of the managed identity, for Azurite only. */
  public static final String STORAGE_CONNECTION = "TRIAD_STORAGE_CONNECTION";

  /** The Timer trigger's schedule: the Functions host resolves {@code %NAME%} from app settings. */
  public static final String RETRAIN_SCHEDULE_BINDING = "%" + RETRAIN_SCHEDULE + "%";

  public static final String HTTP_FUNCTION = "http";

  /** The function the Event Grid blob-created subscription delivers to. */
  public static final String OBJECT_CREATED_FUNCTION = "onObjectCreated";

  public static final String SCHEDULE_FUNCTION = "onSchedule";
  public static final List<String> FUNCTIONS =
      List.of(HTTP_FUNCTION, OBJECT_CREATED_FUNCTION, SCHEDULE_FUNCTION);

  /**
   * The AWS role the events app assumes with its managed identity's Entra token to write an {@code
   * s3://} replica.
   */
  public static final String REPLICA_AWS_ROLE = TriadContract.REPLICA_AWS_ROLE;

  public static final String REPLICA_AWS_REGION = TriadContract.REPLICA_AWS_REGION;
  public static final String REPLICA_STS_ENDPOINT = TriadContract.REPLICA_STS_ENDPOINT;
  public static final String REPLICA_S3_ENDPOINT = TriadContract.REPLICA_S3_ENDPOINT;

  /**
   * The GCP stack's workload identity provider the events app exchanges its managed identity's
   * Entra token at, to write a {@code gs://} replica.
   */
  public static final String REPLICA_GCP_AUDIENCE = TriadContract.REPLICA_GCP_AUDIENCE;

  public static final String REPLICA_GCP_STS_ENDPOINT = TriadContract.REPLICA_GCP_STS_ENDPOINT;
  public static final String REPLICA_GCS_ENDPOINT = TriadContract.REPLICA_GCS_ENDPOINT;

  /**
   * The resource a managed identity asks Entra for a token to hand to another identity provider:
   * Entra's token-exchange application, present in every tenant of the public cloud. The token's
   * {@code aud} is this, its {@code sub} the identity's object id, its {@code iss} the tenant's
   * version 2.0 issuer; the AWS stack's OpenID Connect provider and role trust exactly that.
   */
  public static final String TOKEN_EXCHANGE_AUDIENCE = TriadContract.TOKEN_EXCHANGE_AUDIENCE;

  /** What the events app is told to copy promotions to AWS ({@code replication.azureToAws}). */
  public static List<String> replicaNames() {
    return List.of(REPLICA_AWS_ROLE, REPLICA_AWS_REGION, TriadContract.MODEL_SETTINGS);
  }

  /** What the events app is told to copy promotions to GCP ({@code replication.azureToGcp}). */
  public static List<String> gcpReplicaNames() {
    return List.of(REPLICA_GCP_AUDIENCE, TriadContract.MODEL_SETTINGS);
  }

  /** The zip-deploy package, relative to the repository root. */
  public static final String PACKAGE = "adapters/azure/target/triad-azure-functions.zip";

  /** What the stack sets on the events app and the adapter reads. */
  public static List<String> names() {
    return List.of(
        CONTAINER,
        STORAGE_ACCOUNT,
        BATCH_ACCOUNT,
        BATCH_ENDPOINT,
        BATCH_POOL,
        BATCH_PLACEMENT,
        MODELS,
        RETRAIN_SCHEDULE,
        TRAINER_IMAGE,
        TRAINER_IDENTITY,
        ORT_DISABLE_TELEMETRY,
        SIGNING_TRUSTED_KEYS,
        SIGNING_KEY,
        TriadContract.COST_HOURLY,
        TriadContract.COST_HOURS);
  }

  /**
   * What the serving app gets: the store and the keys to verify with. The schedule's NCRONTAB too,
   * since the host resolves a disabled timer's binding when it indexes the package.
   */
  public static List<String> servingNames() {
    return List.of(
        CONTAINER,
        STORAGE_ACCOUNT,
        MODELS,
        RETRAIN_SCHEDULE,
        ORT_DISABLE_TELEMETRY,
        SIGNING_TRUSTED_KEYS);
  }

  /** The host setting that switches {@code function} off in one app. */
  public static String disabled(String function) {
    return "AzureWebJobs." + function + ".Disabled";
  }

  /** Read by the adapter but never set by the stack. */
  public static List<String> unmanaged() {
    return List.of(
        STORAGE_CONNECTION,
        REPLICA_STS_ENDPOINT,
        REPLICA_S3_ENDPOINT,
        REPLICA_GCP_STS_ENDPOINT,
        REPLICA_GCS_ENDPOINT);
  }
}
