package io.triad.settings;

import java.util.List;

/**
 * The Google Cloud Functions (2nd gen) contract: the environment variables the stack sets and the
 * adapter reads, the entry points and the source archive. Cloud Batch has no job template, so the
 * schedule function gets everything a job is built from.
 */
public final class GcpContract {
  private GcpContract() {}

  public static final String BUCKET = TriadContract.BUCKET;
  public static final String MODELS = TriadContract.MODELS;
  public static final String ORT_DISABLE_TELEMETRY = TriadContract.ORT_DISABLE_TELEMETRY;
  public static final String SIGNING_TRUSTED_KEYS = TriadContract.SIGNING_TRUSTED_KEYS;

  /**
   * {@code gcp-secretmanager:projects/P/secrets/S/versions/latest}; the storage (upload) function's
   * only.
   */
  public static final String SIGNING_KEY = TriadContract.SIGNING_KEY;

  /** The prefix of {@link #SIGNING_KEY}'s value. */
  public static final String SECRET_MANAGER_SCHEME = "gcp-secretmanager";

  /** Secret Manager's REST root instead of Google's, for tests only. */
  public static final String SECRETS_ENDPOINT = "TRIAD_SECRETS_ENDPOINT";

  public static final String BATCH_PROJECT = "TRIAD_BATCH_PROJECT";
  public static final String BATCH_REGION = "TRIAD_BATCH_REGION";

  /** The trainer image; its entrypoint is the trainer, the job passes the arguments. */
  public static final String BATCH_IMAGE = "TRIAD_BATCH_IMAGE";

  public static final String BATCH_MACHINE_TYPE = "TRIAD_BATCH_MACHINE_TYPE";
  public static final String BATCH_ACCELERATOR_TYPE = "TRIAD_BATCH_ACCELERATOR_TYPE";
  public static final String BATCH_ACCELERATOR_COUNT = "TRIAD_BATCH_ACCELERATOR_COUNT";

  /** The task's CPU in thousandths of a vCPU, from {@code training.vcpus}. */
  public static final String BATCH_CPU_MILLI = "TRIAD_BATCH_CPU_MILLI";

  /** The task's memory in MiB, from {@code training.memoryMb}. */
  public static final String BATCH_MEMORY_MIB = "TRIAD_BATCH_MEMORY_MIB";

  /** Task retries, 0 to 10. */
  public static final String BATCH_MAX_RETRIES = "TRIAD_BATCH_MAX_RETRIES";

  /** The task's time limit as an ISO-8601 duration ({@code PT1H30M}). */
  public static final String BATCH_MAX_RUN_DURATION = "TRIAD_BATCH_MAX_RUN_DURATION";

  /** {@code true} for Spot VMs. */
  public static final String BATCH_SPOT = "TRIAD_BATCH_SPOT";

  /** The job VM's service account email. */
  public static final String BATCH_SERVICE_ACCOUNT = "TRIAD_BATCH_SERVICE_ACCOUNT";

  /**
   * The subnetwork job VMs join, {@code projects/P/regions/R/subnetworks/S}: set, the VMs get no
   * external IP and reach Google's APIs (Storage, Artifact Registry, Logging) through the subnet's
   * Private Google Access.
   */
  public static final String BATCH_SUBNETWORK = "TRIAD_BATCH_SUBNETWORK";

  /** The subnetwork's network, {@code projects/P/global/networks/N}. */
  public static final String BATCH_NETWORK = "TRIAD_BATCH_NETWORK";

  /** The AWS role the functions assume with their Google ID tokens to write an s3:// replica. */
  public static final String REPLICA_AWS_ROLE = TriadContract.REPLICA_AWS_ROLE;

  public static final String REPLICA_AWS_REGION = TriadContract.REPLICA_AWS_REGION;
  public static final String REPLICA_STS_ENDPOINT = TriadContract.REPLICA_STS_ENDPOINT;
  public static final String REPLICA_S3_ENDPOINT = TriadContract.REPLICA_S3_ENDPOINT;

  /**
   * The Azure stack's user-assigned identity the functions act as, with their Google ID tokens as
   * its federated credential, to write an azblob:// replica: its tenant and client id.
   */
  public static final String REPLICA_AZURE_TENANT = TriadContract.REPLICA_AZURE_TENANT;

  public static final String REPLICA_AZURE_CLIENT_ID = TriadContract.REPLICA_AZURE_CLIENT_ID;
  public static final String REPLICA_ENTRA_AUTHORITY = TriadContract.REPLICA_ENTRA_AUTHORITY;
  public static final String REPLICA_BLOB_ENDPOINT = TriadContract.REPLICA_BLOB_ENDPOINT;

  /**
   * The metadata server's host, as Google's own libraries read it ({@code GCE_METADATA_HOST});
   * {@code metadata.google.internal} when unset.
   */
  public static final String METADATA_HOST = "GCE_METADATA_HOST";

  /** Any store URI instead of {@link #BUCKET}, to run the jar off GCP. */
  public static final String STORE = "TRIAD_STORE";

  public static final String HTTP_ENTRY = "io.triad.gcp.HttpEntry";
  public static final String STORAGE_ENTRY = "io.triad.gcp.UploadEntry";
  public static final String SCHEDULE_ENTRY = "io.triad.gcp.ScheduleEntry";

  /** The deployable jar; {@code gcloud functions deploy --source} takes the folder holding it. */
  public static final String DEPLOY_JAR = "adapters/gcp/target/deploy/triad-gcp.jar";

  /** The same jar zipped at the root, the source archive Terraform uploads to a bucket. */
  public static final String SOURCE_ARCHIVE = "adapters/gcp/target/triad-gcp-functions.zip";

  /** What every function gets. */
  public static List<String> names() {
    return List.of(BUCKET, MODELS, ORT_DISABLE_TELEMETRY, SIGNING_TRUSTED_KEYS, JAVA_TOOL_OPTIONS);
  }

  /** The JVM's options on every function (C1 only), read by the JVM itself. */
  public static final String JAVA_TOOL_OPTIONS = TriadContract.JAVA_TOOL_OPTIONS;

  public static final String JVM_OPTIONS = TriadContract.JVM_OPTIONS;

  /** What the storage function, which promotes, gets besides {@link #names()}. */
  public static List<String> promotionNames() {
    return List.of(SIGNING_KEY, TriadContract.COST_HOURLY, TriadContract.COST_HOURS);
  }

  /**
   * What the schedule function gets besides {@link #names()}: a Cloud Batch job's makings ({@link
   * #batchNames()}) and what a job is expected to cost ({@link TriadContract#costNames()}).
   */
  public static List<String> scheduleNames() {
    List<String> names = new java.util.ArrayList<>(batchNames());
    names.addAll(TriadContract.costNames());
    return List.copyOf(names);
  }

  /**
   * What the promoting and schedule functions get besides, when the stack copies promotions into an
   * AWS bucket ({@code replication.gcpToAws}): the role, its region, and the models' replicas.
   */
  public static List<String> replicaNames() {
    return List.of(REPLICA_AWS_ROLE, REPLICA_AWS_REGION, TriadContract.MODEL_SETTINGS);
  }

  /**
   * What they get when the stack copies promotions into an Azure container ({@code
   * replication.gcpToAzure}) once the identity's client id is known: the tenant, the client id, and
   * the models' replicas.
   */
  public static List<String> azureReplicaNames() {
    return List.of(REPLICA_AZURE_TENANT, REPLICA_AZURE_CLIENT_ID, TriadContract.MODEL_SETTINGS);
  }

  /** A Cloud Batch job's makings, which the launcher reads. */
  public static List<String> batchNames() {
    return List.of(
        BATCH_PROJECT,
        BATCH_REGION,
        BATCH_IMAGE,
        BATCH_MACHINE_TYPE,
        BATCH_ACCELERATOR_TYPE,
        BATCH_ACCELERATOR_COUNT,
        BATCH_CPU_MILLI,
        BATCH_MEMORY_MIB,
        BATCH_MAX_RETRIES,
        BATCH_MAX_RUN_DURATION,
        BATCH_SPOT,
        BATCH_SERVICE_ACCOUNT,
        BATCH_NETWORK,
        BATCH_SUBNETWORK);
  }

  /** Read by the adapter but never set by the stack. */
  public static List<String> unmanaged() {
    return List.of(
        STORE,
        SECRETS_ENDPOINT,
        REPLICA_STS_ENDPOINT,
        REPLICA_S3_ENDPOINT,
        REPLICA_ENTRA_AUTHORITY,
        REPLICA_BLOB_ENDPOINT,
        METADATA_HOST);
  }
}
