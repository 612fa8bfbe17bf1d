package io.triad.settings;

import java.util.List;

/**
 * The AWS Lambda contract: the environment variables the stack sets and the adapter reads, the
 * handler of each function and the package they all run from.
 */
public final class AwsContract {
  private AwsContract() {}

  public static final String BUCKET = TriadContract.BUCKET;

  /** Which function this is: one of {@link #FUNCTIONS}; the role's own handler class ignores it. */
  public static final String FUNCTION = "TRIAD_FUNCTION";

  /** Every model here is retrained when a scheduled event names none (one rule for all models). */
  public static final String MODELS = TriadContract.MODELS;

  public static final String BATCH_JOB_QUEUE = "TRIAD_BATCH_JOB_QUEUE";
  public static final String BATCH_JOB_DEFINITION = "TRIAD_BATCH_JOB_DEFINITION";

  /**
   * What the job queue's machines are, as a placement names them: {@code aws/REGION/spot} or {@code
   * aws/REGION/on-demand}.
   */
  public static final String BATCH_PLACEMENT = "TRIAD_BATCH_PLACEMENT";

  public static final String ORT_DISABLE_TELEMETRY = TriadContract.ORT_DISABLE_TELEMETRY;
  public static final String SIGNING_TRUSTED_KEYS = TriadContract.SIGNING_TRUSTED_KEYS;

  /** {@code aws-secretsmanager:} and the secret's ARN; the {@link #S3} function's only. */
  public static final String SIGNING_KEY = TriadContract.SIGNING_KEY;

  /** The prefix of {@link #SIGNING_KEY}'s value. */
  public static final String SECRETS_MANAGER_SCHEME = "aws-secretsmanager";

  /** Set by Lambda and Batch themselves, never by the stack. */
  public static final String REGION = "AWS_REGION";

  /** Endpoint overrides for emulators and tests only; a deployed function has neither. */
  public static final String S3_ENDPOINT = "TRIAD_S3_ENDPOINT";

  public static final String BATCH_ENDPOINT = "TRIAD_BATCH_ENDPOINT";

  public static final String HTTP = "http";
  public static final String S3 = "s3";
  public static final String SCHEDULE = "schedule";
  public static final List<String> FUNCTIONS = List.of(HTTP, S3, SCHEDULE);

  public static final String HTTP_HANDLER = "io.triad.aws.HttpEntry::handleRequest";
  public static final String S3_HANDLER = "io.triad.aws.UploadEntry::handleRequest";
  public static final String SCHEDULE_HANDLER = "io.triad.aws.ScheduleEntry::handleRequest";

  /** The Lambda zip, relative to the repository root. */
  public static final String PACKAGE = "adapters/aws/target/triad-aws-lambda.zip";

  /** What every function gets. */
  public static List<String> names() {
    return List.of(
        BUCKET, FUNCTION, MODELS, ORT_DISABLE_TELEMETRY, SIGNING_TRUSTED_KEYS, JAVA_TOOL_OPTIONS);
  }

  /**
   * What the {@code function} ({@link #HTTP}, {@link #S3} or {@link #SCHEDULE}) gets: only the
   * schedule submits jobs, only the upload function (the gate) signs.
   */
  public static List<String> names(String function) {
    List<String> names = new java.util.ArrayList<>(names());
    if (SCHEDULE.equals(function)) {
      names.addAll(List.of(BATCH_JOB_QUEUE, BATCH_JOB_DEFINITION, BATCH_PLACEMENT));
      names.addAll(TriadContract.costNames());
    } else if (S3.equals(function)) {
      names.add(SIGNING_KEY);
      names.addAll(TriadContract.costNames());
    }
    return List.copyOf(names);
  }

  /**
   * The GCP stack's workload identity provider the s3 and schedule functions exchange their role's
   * signed {@code GetCallerIdentity} at, to write a gs:// replica.
   */
  public static final String REPLICA_GCP_AUDIENCE = TriadContract.REPLICA_GCP_AUDIENCE;

  public static final String REPLICA_GCP_STS_ENDPOINT = TriadContract.REPLICA_GCP_STS_ENDPOINT;
  public static final String REPLICA_GCS_ENDPOINT = TriadContract.REPLICA_GCS_ENDPOINT;

  /** What the s3 and schedule functions get when the stack copies promotions to GCP. */
  public static List<String> replicaNames() {
    return List.of(REPLICA_GCP_AUDIENCE, TriadContract.MODEL_SETTINGS);
  }

  /**
   * The Azure identity the s3 and schedule functions write an azblob:// replica as (its tenant and
   * client id), with their role's token from AWS STS as its federated credential.
   */
  public static final String REPLICA_AZURE_TENANT = TriadContract.REPLICA_AZURE_TENANT;

  public static final String REPLICA_AZURE_CLIENT_ID = TriadContract.REPLICA_AZURE_CLIENT_ID;
  public static final String REPLICA_ENTRA_AUTHORITY = TriadContract.REPLICA_ENTRA_AUTHORITY;
  public static final String REPLICA_BLOB_ENDPOINT = TriadContract.REPLICA_BLOB_ENDPOINT;

  /** Where the role's tokens are asked for: emulators and tests only (AWS STS otherwise). */
  public static final String REPLICA_STS_ENDPOINT = TriadContract.REPLICA_STS_ENDPOINT;

  /** What the s3 and schedule functions get besides when the stack copies promotions to Azure. */
  public static List<String> azureReplicaNames() {
    return List.of(REPLICA_AZURE_TENANT, REPLICA_AZURE_CLIENT_ID);
  }

  /** Endpoint override for Secrets Manager, emulators and tests only. */
  public static final String SECRETS_ENDPOINT = "TRIAD_SECRETS_ENDPOINT";

  /**
   * {@code on} gives a start a second thread: the S3 client, ONNX Runtime's load and priming's
   * first reads while the context builds. Off by default: on two shared cores it did not pay
   * reliably (docs/benchmarks.md); a function with more memory (more vCPUs) may try it.
   */
  public static final String START_PREFETCH = "TRIAD_START_PREFETCH";

  /** The JVM's options on every function (C1 only), read by the JVM itself. */
  public static final String JAVA_TOOL_OPTIONS = TriadContract.JAVA_TOOL_OPTIONS;

  public static final String C1_ONLY = TriadContract.C1_ONLY;
  public static final String JVM_OPTIONS = TriadContract.JVM_OPTIONS;

  /** Read by the adapter but never set by the stack. */
  public static List<String> unmanaged() {
    return List.of(
        REGION,
        S3_ENDPOINT,
        BATCH_ENDPOINT,
        SECRETS_ENDPOINT,
        START_PREFETCH,
        REPLICA_GCP_STS_ENDPOINT,
        REPLICA_GCS_ENDPOINT,
        REPLICA_ENTRA_AUTHORITY,
        REPLICA_BLOB_ENDPOINT,
        REPLICA_STS_ENDPOINT);
  }
}
