package io.triad.settings;

/**
 * Names every cloud shares. The per-cloud contracts ({@link AwsContract}, {@link AzureContract},
 * {@link GcpContract}) repeat the ones their functions get, so each cloud's list is complete on its
 * own.
 */
public final class TriadContract {
  private TriadContract() {}

  /** ONNX Runtime 1.29's Linux telemetry crashes the JVM; it must be off before the JVM starts. */
  public static final String ORT_DISABLE_TELEMETRY = "ORT_DISABLE_TELEMETRY";

  /**
   * The model catalog, comma-separated ({@code iris,digits}): the models served, checked for
   * readiness and retrained when a tick names none. Spring binds it to {@code triad.catalog}, like
   * every other {@code triad.*} setting; per-model settings sit beside it ({@code
   * TRIAD_MODELS_IRIS_GATE_MINIMUM}).
   */
  public static final String MODELS = "TRIAD_CATALOG";

  /**
   * The AWS role the promoting and catching-up functions of another cloud assume (STS {@code
   * AssumeRoleWithWebIdentity} with their own cloud's identity token, no AWS key) to write an
   * {@code s3://} replica; unset, an {@code s3://} replica stays pending.
   */
  public static final String REPLICA_AWS_ROLE = "TRIAD_REPLICA_AWS_ROLE";

  /** The replica bucket's AWS region. */
  public static final String REPLICA_AWS_REGION = "TRIAD_REPLICA_AWS_REGION";

  /** Another STS address than the region's (the tests' double on 127.0.0.1). */
  public static final String REPLICA_STS_ENDPOINT = "TRIAD_REPLICA_STS_ENDPOINT";

  /** Another S3 address than AWS's (the tests' emulator on 127.0.0.1). */
  public static final String REPLICA_S3_ENDPOINT = "TRIAD_REPLICA_S3_ENDPOINT";

  /**
   * The GCP stack's workload identity provider that another cloud's promoting functions exchange
   * their own identity token at (Google's Security Token Service), for a federated token that
   * writes a {@code gs://} replica with no Google key: {@code
   * //iam.googleapis.com/projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/ID}.
   * Unset, a {@code gs://} replica stays pending.
   */
  public static final String REPLICA_GCP_AUDIENCE = "TRIAD_REPLICA_GCP_AUDIENCE";

  /** Another token exchange address than Google's (the tests' double on 127.0.0.1). */
  public static final String REPLICA_GCP_STS_ENDPOINT = "TRIAD_REPLICA_GCP_STS_ENDPOINT";

  /** Another Cloud Storage address than Google's (the tests' double on 127.0.0.1). */
  public static final String REPLICA_GCS_ENDPOINT = "TRIAD_REPLICA_GCS_ENDPOINT";

  /**
   * The audience of a token handed to another cloud's identity provider across Entra: Entra's
   * token-exchange application, present in every tenant of the public cloud. A managed identity's
   * Entra token for the AWS and GCP routes is made out to it; a Google ID token the Azure stack's
   * federated credential accepts too.
   */
  public static final String TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";

  /**
   * The Entra tenant of the Azure stack's user-assigned identity that another cloud's promoting
   * functions act as (its federated credential: their own cloud's identity token, no Azure secret)
   * to write an {@code azblob://} replica. Unset, such a replica stays pending.
   */
  public static final String REPLICA_AZURE_TENANT = "TRIAD_REPLICA_AZURE_TENANT";

  /** That identity's client id. */
  public static final String REPLICA_AZURE_CLIENT_ID = "TRIAD_REPLICA_AZURE_CLIENT_ID";

  /** Another Entra address than the public cloud's (the tests' double on 127.0.0.1). */
  public static final String REPLICA_ENTRA_AUTHORITY = "TRIAD_REPLICA_ENTRA_AUTHORITY";

  /** Another Blob endpoint than the account's (the tests' Azurite on 127.0.0.1). */
  public static final String REPLICA_BLOB_ENDPOINT = "TRIAD_REPLICA_BLOB_ENDPOINT";

  /**
   * The JVM's options on every function of a cloud whose functions start a JVM of their own
   * (Lambda, Cloud Functions), read by the JVM itself.
   */
  public static final String JAVA_TOOL_OPTIONS = "JAVA_TOOL_OPTIONS";

  /**
   * The JIT's first tier only, which AWS suggests for a Java function's cold start
   * (docs/benchmarks.md: about 0.88× the start, warm latency no worse; the inference itself is ONNX
   * Runtime's native code).
   */
  public static final String C1_ONLY = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";

  /** What {@link #JAVA_TOOL_OPTIONS} is set to. */
  public static final String JVM_OPTIONS = C1_ONLY;

  /**
   * Per-model settings that infra sets as one JSON document ({@code {"triad": {"models": {"iris":
   * {"replicas": [...]}}}}}), which Spring Boot reads as properties: an environment variable's name
   * cannot carry every model name (a {@code -}), a JSON key can.
   */
  public static final String MODEL_SETTINGS = "SPRING_APPLICATION_JSON";

  /**
   * The Ed25519 public keys, comma-separated, whose signatures every function accepts on a model
   * package ({@code triad.signing.trusted-keys}). Every function gets it.
   */
  public static final String SIGNING_TRUSTED_KEYS = "TRIAD_SIGNING_TRUSTED_KEYS";

  /**
   * Where the promoting function's signing key is ({@code triad.signing.key}): {@code
   * aws-secretsmanager:ARN}, {@code azure-keyvault:SECRET-URL} or {@code
   * gcp-secretmanager:projects/P/secrets/S/versions/latest}. Only the function that promotes (the
   * one candidates' manifests are delivered to) gets it, and only its identity may read the secret.
   */
  public static final String SIGNING_KEY = "TRIAD_SIGNING_KEY";

  /**
   * The OTLP/HTTP collector every function sends spans and metrics to ({@code
   * triad.otlp.endpoint}); set only when the deployment names one ({@code telemetry.otlpEndpoint}).
   */
  public static final String OTLP_ENDPOINT = "TRIAD_OTLP_ENDPOINT";

  /**
   * The GPU machine's price an hour in US dollars on this cloud ({@code triad.cost.hourly}), from
   * {@code cost.prices} in triad.yaml: the functions that launch jobs and receive their candidates
   * estimate and record what each training job cost.
   */
  public static final String COST_HOURLY = "TRIAD_COST_HOURLY";

  /** A training job's expected hours before one has run ({@code triad.cost.hours}). */
  public static final String COST_HOURS = "TRIAD_COST_HOURS";

  /** What the functions that launch training jobs and receive their candidates get. */
  public static java.util.List<String> costNames() {
    return java.util.List.of(COST_HOURLY, COST_HOURS);
  }

  /** The bucket (AWS, GCP) the functions read and write. */
  public static final String BUCKET = "TRIAD_BUCKET";

  /** The trainer image's repository name on every cloud's registry. */
  public static final String TRAINER_IMAGE_NAME = "triad-trainer";

  /**
   * The trainer entrypoint. AWS Batch and Cloud Batch pass only {@code TrainingJob.arguments()} as
   * the container command, so the trainer image's ENTRYPOINT must run this class.
   */
  public static final String TRAINER_MAIN_CLASS = "io.triad.models.TrainerMain";
}
