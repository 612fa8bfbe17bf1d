package io.triad.infra.config;

import java.util.List;

/**
 * Everything the three stacks are made from, read from one file ({@code infra/triad.yaml}) by
 * {@link ConfigLoader}, which checks every value before any construct sees it.
 *
 * @param project short lowercase name, the prefix of every resource name
 * @param models the model names that are served and retrained
 * @param retrainCron five-field Unix cron in UTC for the retraining tick
 * @param functions memory, timeout and concurrency of the functions
 * @param training the GPU batch job
 * @param alertEmail where failed jobs, dead-lettered events and budget alerts are reported
 * @param cost each stack's monthly budget, and what the synth's cost preview assumes
 * @param aws AWS region and the Lambda package
 * @param azure Azure location and the Functions package
 * @param gcp GCP project, region and the functions' source archive
 * @param otlpEndpoint the OTLP/HTTP collector every function sends spans and metrics to ({@code
 *     telemetry.otlpEndpoint}, {@code TRIAD_OTLP_ENDPOINT}), or null for none
 * @param replication which stacks' promotions are copied into which other stacks' buckets, or null
 *     for none
 */
public record TriadConfig(
    String project,
    List<String> models,
    Cron retrainCron,
    Functions functions,
    Training training,
    String alertEmail,
    Cost cost,
    Signing signing,
    State state,
    Aws aws,
    Azure azure,
    Gcp gcp,
    String otlpEndpoint,
    Replication replication) {

  public TriadConfig {
    models = List.copyOf(models);
  }

  /**
   * Promotions copied from one stack's bucket into another's, written by the first stack's
   * functions with an identity the second stack's cloud trusts through federation: no key is made,
   * stored or rotated. The functions that promote and catch up (GCP's objects and schedule
   * functions, Azure's events app) present an OpenID Connect token of their own cloud (a Google ID
   * token; an Entra token of the app's managed identity): to AWS STS for a role, to Google's token
   * exchange at a workload identity provider, or to Entra as a managed identity's federated
   * credential; AWS's functions present their role's signed {@code GetCallerIdentity} to Google's
   * token exchange, and their role's token from IAM outbound identity federation to Entra. Every
   * route between the three clouds is built: GCP and Azure into AWS, Azure and AWS into GCP, GCP
   * and AWS into Azure.
   *
   * @param models the models whose promotions are copied (each one of {@code models})
   * @param gcpToAws the GCP to AWS route, or null
   * @param azureToAws the Azure to AWS route, or null
   * @param azureToGcp the Azure to GCP route, or null
   * @param gcpToAzure the GCP to Azure route, or null
   * @param awsToGcp the AWS to GCP route, or null
   * @param awsToAzure the AWS to Azure route, or null
   */
  public record Replication(
      List<String> models,
      GcpToAws gcpToAws,
      AzureToAws azureToAws,
      AzureToGcp azureToGcp,
      GcpToAzure gcpToAzure,
      AwsToGcp awsToGcp,
      AwsToAzure awsToAzure) {
    public Replication {
      models = List.copyOf(models);
    }
  }

  /**
   * @param awsAccount the AWS stack's account: its bucket is {@code PROJECT-ACCOUNT}, the role the
   *     GCP functions assume {@code arn:aws:iam::ACCOUNT:role/PROJECT-gcp-replicas}
   * @param gcpWriters the unique ids of the GCP functions' service accounts, as the GCP stack
   *     outputs them ({@code replica_writers}) once applied; the AWS role trusts exactly these, and
   *     is made only when there are some
   */
  public record GcpToAws(String awsAccount, List<String> gcpWriters) implements IntoAws {
    public GcpToAws {
      gcpWriters = List.copyOf(gcpWriters);
    }

    @Override
    public String source() {
      return "gcp";
    }
  }

  /**
   * @param awsAccount the AWS stack's account: its bucket is {@code PROJECT-ACCOUNT}, the role the
   *     Azure app assumes {@code arn:aws:iam::ACCOUNT:role/PROJECT-azure-replicas}
   * @param azureTenant the Entra tenant the Azure stack deploys to: its tokens' issuer is {@code
   *     https://login.microsoftonline.com/TENANT/v2.0}, which the AWS stack registers as an OpenID
   *     Connect provider
   * @param azureWriters the object (principal) ids of the Azure events app's managed identity, as
   *     the Azure stack outputs them ({@code replica_writers}) once applied; the AWS role trusts
   *     exactly these, and is made only when there are some
   */
  public record AzureToAws(String awsAccount, String azureTenant, List<String> azureWriters)
      implements IntoAws {
    /** What the app's tokens are made out to (Entra's token exchange). */
    public static final String AUDIENCE = io.triad.settings.AzureContract.TOKEN_EXCHANGE_AUDIENCE;

    public AzureToAws {
      azureWriters = List.copyOf(azureWriters);
    }

    @Override
    public String source() {
      return "azure";
    }

    /** The issuer of the tenant's version 2.0 tokens, as their {@code iss} says it. */
    public String issuer() {
      return entraIssuer(azureTenant);
    }
  }

  /** The issuer of an Entra tenant's version 2.0 tokens, as their {@code iss} says it. */
  static String entraIssuer(String tenant) {
    return "https://login.microsoftonline.com/" + tenant + "/v2.0";
  }

  /**
   * The Azure events app writes into the GCP stack's bucket with a federated token: Google's
   * Security Token Service takes the app's managed identity's Entra token (made out to Entra's
   * token exchange, as for AWS) at a workload identity provider of the GCP stack that trusts the
   * tenant's issuer for exactly the listed object ids, and the bucket grants those federated
   * principals the replicated models' prefixes. No Google key is made.
   *
   * @param gcpProjectNumber the GCP project's number (not its id): federated principals and the
   *     provider are named by it
   * @param azureTenant the Entra tenant the Azure stack deploys to
   * @param azureWriters the object ids of the Azure events app's managed identity ({@code
   *     replica_writers} of the Azure stack); the pool and grants are made only when there are some
   */
  public record AzureToGcp(String gcpProjectNumber, String azureTenant, List<String> azureWriters)
      implements IntoGcp {
    /** The pool's provider for the Azure tenant. */
    public static final String PROVIDER_ID = "azure";

    public AzureToGcp {
      azureWriters = List.copyOf(azureWriters);
    }

    @Override
    public String providerId() {
      return PROVIDER_ID;
    }

    public String issuer() {
      return entraIssuer(azureTenant);
    }

    /** The bucket grant's member for one writer: a federated principal, by its token's subject. */
    public String principal(String project, String writer) {
      return "principal://iam.googleapis.com/" + pool(project) + "/subject/" + writer;
    }
  }

  /**
   * AWS's promoting and catching-up functions (the {@code s3} and {@code schedule} functions) write
   * into the GCP stack's bucket with a federated token: Google's Security Token Service takes their
   * role's signed {@code GetCallerIdentity} request (it asks AWS STS who signed it) at a workload
   * identity provider of the GCP stack that trusts the AWS account, and the bucket grants the
   * principal sets of exactly those two roles the replicated models' prefixes. The roles are the
   * AWS stack's own, named from the project, so the GCP stack can be applied first. No Google key
   * is made.
   *
   * @param gcpProjectNumber the GCP project's number
   * @param awsAccount the AWS stack's account: only its roles are trusted
   */
  public record AwsToGcp(String gcpProjectNumber, String awsAccount) implements IntoGcp {
    /** The pool's provider for the AWS account (Google takes 4 to 32 characters). */
    public static final String PROVIDER_ID = "aws-functions";

    /** The attribute the provider maps each caller's role name to, and the grants name. */
    public static final String ROLE_ATTRIBUTE = "attribute.aws_role";

    /**
     * How the provider reads the role's name out of the caller's ARN ({@code
     * arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION}), in Google's attribute language.
     */
    public static final String ROLE_MAPPING = "assertion.arn.extract('assumed-role/{role}/')";

    @Override
    public String providerId() {
      return PROVIDER_ID;
    }

    /**
     * The roles that copy: the AWS stack's {@code s3} and {@code schedule} functions' ({@code
     * PROJECT-KIND-function}).
     */
    public static List<String> writerRoles(String project) {
      return List.of(
          awsFunctionRole(project, io.triad.settings.AwsContract.S3),
          awsFunctionRole(project, io.triad.settings.AwsContract.SCHEDULE));
    }

    /** The bucket grant's member for one role: every session of it, by the mapped attribute. */
    public String principalSet(String project, String role) {
      return "principalSet://iam.googleapis.com/"
          + pool(project)
          + "/"
          + ROLE_ATTRIBUTE
          + "/"
          + role;
    }
  }

  /**
   * The role an AWS function runs as: {@code PROJECT-KIND-function}, as the AWS stack names it and
   * the other clouds' trust names it back.
   */
  public static String awsFunctionRole(String project, String kind) {
    return project + "-" + kind + "-function";
  }

  /**
   * A route into the GCP stack's bucket: a provider of the stack's one workload identity pool,
   * {@code PROJECT-replicas}, in the project of the given number.
   */
  public interface IntoGcp {
    /**
     * The GCP project's number (not its id): federated principals and providers are named by it.
     */
    String gcpProjectNumber();

    /** The pool's provider for this route's writers. */
    String providerId();

    /** The workload identity pool's id: {@code PROJECT-replicas}. */
    static String poolId(String project) {
      return project + "-replicas";
    }

    /** The pool's resource name, as federated principals name it. */
    default String pool(String project) {
      return "projects/"
          + gcpProjectNumber()
          + "/locations/global/workloadIdentityPools/"
          + poolId(project);
    }

    /**
     * What the writers exchange their credential at: the provider's full name, which Google's token
     * exchange takes as its {@code audience}.
     */
    default String provider(String project) {
      return "//iam.googleapis.com/" + pool(project) + "/providers/" + providerId();
    }
  }

  /**
   * GCP's promoting and catching-up functions write into the Azure stack's container as a
   * user-assigned managed identity of that stack, {@code PROJECT-gcp-replicas}, whose federated
   * credentials trust Google's issuer for exactly the listed service accounts: Entra takes their
   * Google ID token (made out to Entra's token exchange) as the identity's client assertion. The
   * identity's role assignment allows the replicated models' paths only. No Azure secret is made.
   *
   * @param azureTenant the Entra tenant the Azure stack deploys to
   * @param gcpWriters the unique ids of the GCP functions' service accounts ({@code
   *     replica_writers} of the GCP stack); the identity and its credentials are made only when
   *     there are some
   * @param azureClientId the identity's client id ({@code gcp_replica_client_id} of the Azure
   *     stack), or null until that stack is applied: the GCP functions copy nothing to Azure until
   *     it is set
   */
  public record GcpToAzure(String azureTenant, List<String> gcpWriters, String azureClientId)
      implements IntoAzure {
    /** What the Google ID tokens are made out to, as the federated credentials require. */
    public static final String AUDIENCE = io.triad.settings.TriadContract.TOKEN_EXCHANGE_AUDIENCE;

    /**
     * Google's issuer, as its ID tokens' {@code iss} says it and a federated credential names it.
     */
    public static final String GOOGLE_ISSUER = "https://accounts.google.com";

    public GcpToAzure {
      gcpWriters = List.copyOf(gcpWriters);
    }

    /** The identity's name: {@code PROJECT-gcp-replicas}. */
    public static String identityName(String project) {
      return project + "-gcp-replicas";
    }
  }

  /** A route into the Azure stack's container: a managed identity of its tenant, once known. */
  public interface IntoAzure {
    String azureTenant();

    /** The identity's client id, or null until the Azure stack is applied. */
    String azureClientId();
  }

  /**
   * AWS's promoting and catching-up functions write into the Azure stack's container as a
   * user-assigned managed identity of that stack, {@code PROJECT-aws-replicas}, whose federated
   * credentials trust the AWS account's outbound identity federation issuer for exactly the {@code
   * s3} and {@code schedule} functions' roles: each function asks AWS STS ({@code
   * GetWebIdentityToken}) for a token of its role made out to Entra's token exchange and hands it
   * to Entra as the identity's client assertion. No Azure secret is made. The account must have
   * outbound identity federation turned on once ({@code aws iam
   * enable-outbound-web-identity-federation}), which gives the issuer.
   *
   * @param azureTenant the Entra tenant the Azure stack deploys to
   * @param awsAccount the AWS stack's account (the roles' ARNs are named from it)
   * @param awsIssuer the account's issuer, {@code https://ID.tokens.sts.global.api.aws} ({@code aws
   *     iam get-outbound-web-identity-federation-info})
   * @param azureClientId the identity's client id ({@code aws_replica_client_id} of the Azure
   *     stack), or null until that stack is applied: the AWS functions copy nothing to Azure until
   *     it is set
   */
  public record AwsToAzure(
      String azureTenant, String awsAccount, String awsIssuer, String azureClientId)
      implements IntoAzure {
    /** What the role tokens are made out to, as the federated credentials require. */
    public static final String AUDIENCE = io.triad.settings.TriadContract.TOKEN_EXCHANGE_AUDIENCE;

    /** The identity's name: {@code PROJECT-aws-replicas}. */
    public static String identityName(String project) {
      return project + "-aws-replicas";
    }

    /** The copying roles' ARNs, as the tokens' {@code sub} names them. */
    public List<String> writerRoleArns(String project) {
      return AwsToGcp.writerRoles(project).stream()
          .map(role -> "arn:aws:iam::" + awsAccount + ":role/" + role)
          .toList();
    }
  }

  /** The Azure stack's data account: the project's name without dashes, then {@code data}. */
  public String azureDataAccount() {
    return project.replace("-", "") + "data";
  }

  /** A route into the AWS stack's bucket: the role its writers assume, and the bucket. */
  public interface IntoAws {
    /** The AWS stack's account. */
    String awsAccount();

    /** The writing stack's cloud, as the role's name says it. */
    String source();

    /** The role the other stack's functions assume: {@code PROJECT-SOURCE-replicas}. */
    default String roleName(String project) {
      return project + "-" + source() + "-replicas";
    }

    default String roleArn(String project) {
      return "arn:aws:iam::" + awsAccount() + ":role/" + roleName(project);
    }

    /** The AWS stack's bucket, as its functions name it. */
    default String bucket(String project) {
      return project + "-" + awsAccount();
    }
  }

  /**
   * What the writing stack's promoting functions are told to copy {@code models} through {@code
   * route}: the role to assume, its region, and each model's replica as Spring reads it ({@code
   * SPRING_APPLICATION_JSON}: an environment variable's name cannot carry every model name).
   */
  public java.util.Map<String, String> awsReplicaSettings(IntoAws route, List<String> models) {
    return replicaSettings(route, null, null, models);
  }

  /**
   * What AWS's promoting and catching-up functions are told: the GCP provider to exchange their
   * role's signed request at, and each replicated model's {@code gs://} replica; none without a
   * route out of AWS.
   */
  public java.util.Map<String, String> fromAwsReplicaSettings() {
    if (replication == null) {
      return java.util.Map.of();
    }
    AwsToAzure toAzure =
        replication.awsToAzure() != null && replication.awsToAzure().azureClientId() != null
            ? replication.awsToAzure()
            : null;
    return replicaSettings(null, replication.awsToGcp(), toAzure, replication.models());
  }

  /** Whether AWS's functions may ask for role tokens made out to Entra (a route into Azure). */
  public boolean awsToAzureReady() {
    return replication != null
        && replication.awsToAzure() != null
        && replication.awsToAzure().azureClientId() != null;
  }

  /** The models AWS's functions copy to another stack; none without a route out of AWS. */
  public List<String> fromAwsModels() {
    return fromAwsReplicaSettings().isEmpty() ? List.of() : replication.models();
  }

  /**
   * What the Azure events app is told: each route's way in (the AWS role and region, the GCP
   * provider) and each replicated model's replicas, one per route; none without a route out of
   * Azure.
   */
  public java.util.Map<String, String> azureReplicaSettings() {
    return replication == null
        ? java.util.Map.of()
        : replicaSettings(
            replication.azureToAws(), replication.azureToGcp(), null, replication.models());
  }

  /**
   * What GCP's promoting and catching-up functions are told: each route's way in (the AWS role and
   * region; the Azure identity, once its client id is known) and each replicated model's replicas,
   * one per route; none without a route out of GCP.
   */
  public java.util.Map<String, String> gcpReplicaSettings() {
    if (replication == null) {
      return java.util.Map.of();
    }
    GcpToAzure toAzure =
        replication.gcpToAzure() != null && replication.gcpToAzure().azureClientId() != null
            ? replication.gcpToAzure()
            : null;
    return replicaSettings(replication.gcpToAws(), null, toAzure, replication.models());
  }

  /** Each given route's settings and one replica per route for each model; none for no route. */
  private java.util.Map<String, String> replicaSettings(
      IntoAws toAws, IntoGcp toGcp, IntoAzure toAzure, List<String> models) {
    java.util.Map<String, String> settings = new java.util.TreeMap<>();
    List<String> destinations = new java.util.ArrayList<>();
    if (toAws != null) {
      settings.put(io.triad.settings.TriadContract.REPLICA_AWS_ROLE, toAws.roleArn(project));
      settings.put(io.triad.settings.TriadContract.REPLICA_AWS_REGION, aws.region());
      destinations.add("s3://" + toAws.bucket(project));
    }
    if (toGcp != null) {
      settings.put(io.triad.settings.TriadContract.REPLICA_GCP_AUDIENCE, toGcp.provider(project));
      destinations.add("gs://" + gcpBucket());
    }
    if (toAzure != null) {
      settings.put(io.triad.settings.TriadContract.REPLICA_AZURE_TENANT, toAzure.azureTenant());
      settings.put(
          io.triad.settings.TriadContract.REPLICA_AZURE_CLIENT_ID, toAzure.azureClientId());
      destinations.add("azblob://" + azureDataAccount() + "/" + AZURE_CONTAINER);
    }
    if (destinations.isEmpty()) {
      return java.util.Map.of();
    }
    java.util.Map<String, Object> replicas = new java.util.TreeMap<>();
    for (String model : models) {
      replicas.put(model, java.util.Map.of("replicas", destinations));
    }
    settings.put(
        io.triad.settings.TriadContract.MODEL_SETTINGS,
        io.triad.infra.Json.render(
            java.util.Map.of("triad", java.util.Map.of("models", replicas))));
    return java.util.Map.copyOf(settings);
  }

  /** The Azure stack's one data container. */
  public static final String AZURE_CONTAINER = "triad";

  /** The GCP stack's bucket: {@code GCP_PROJECT-PROJECT}. */
  public String gcpBucket() {
    return gcp.project() + "-" + project;
  }

  /** The models replicated from GCP to AWS; none without that route. */
  public List<String> gcpToAwsModels() {
    return replication == null || replication.gcpToAws() == null ? List.of() : replication.models();
  }

  /** The models GCP's functions copy to another stack: by any route they can write through. */
  public List<String> fromGcpModels() {
    return gcpReplicaSettings().isEmpty() ? List.of() : replication.models();
  }

  /** Whether GCP's functions are a route's writers (its stack outputs their ids). */
  public boolean gcpWrites() {
    return replication != null
        && (replication.gcpToAws() != null || replication.gcpToAzure() != null);
  }

  /** The models replicated from Azure to GCP; none without that route. */
  public List<String> azureToGcpModels() {
    return replication == null || replication.azureToGcp() == null
        ? List.of()
        : replication.models();
  }

  /**
   * The models other stacks copy into the GCP stack's bucket, by a route it has a provider for
   * (Azure's once its writers are known; AWS's at once); none without one.
   */
  public List<String> intoGcpModels() {
    if (replication == null) {
      return List.of();
    }
    boolean azure =
        replication.azureToGcp() != null && !replication.azureToGcp().azureWriters().isEmpty();
    return azure || replication.awsToGcp() != null ? replication.models() : List.of();
  }

  /** The models the Azure events app copies to another stack, by any route. */
  public List<String> fromAzureModels() {
    return azureToAwsModels().isEmpty() ? azureToGcpModels() : azureToAwsModels();
  }

  /** The models replicated from Azure to AWS; none without that route. */
  public List<String> azureToAwsModels() {
    return replication == null || replication.azureToAws() == null
        ? List.of()
        : replication.models();
  }

  /**
   * The settings every function gets besides its cloud's own: the collector's address when one is
   * configured.
   */
  public java.util.Map<String, String> telemetrySettings() {
    return otlpEndpoint == null
        ? java.util.Map.of()
        : java.util.Map.of(io.triad.settings.TriadContract.OTLP_ENDPOINT, otlpEndpoint);
  }

  /**
   * What the functions that launch training jobs and receive their candidates get on {@code cloud}
   * (aws, azure, gcp): its GPU machine's price an hour and a job's expected hours.
   */
  public java.util.Map<String, String> costSettings(String cloud) {
    Prices prices = cost.prices().get(cloud);
    java.util.Map<String, String> out = new java.util.TreeMap<>();
    if (prices != null) {
      out.put(
          io.triad.settings.TriadContract.COST_HOURLY, Double.toString(prices.gpuMachineHour()));
    }
    out.put(
        io.triad.settings.TriadContract.COST_HOURS,
        Double.toString(cost.usage().hoursPerRetrain()));
    return out;
  }

  /** The models as one comma-separated setting, the form every adapter reads. */
  public String modelList() {
    return String.join(",", models);
  }

  /**
   * @param memoryMb memory per instance (AWS Lambda 128-10240; GCP takes the same figure)
   * @param timeoutSeconds per invocation (1-540, the shortest cloud limit for event functions)
   * @param maxConcurrency reserved concurrency on AWS, maximum instances on GCP and Azure
   */
  public record Functions(int memoryMb, int timeoutSeconds, int maxConcurrency) {}

  /**
   * @param gpu the card, see {@link GpuType}
   * @param gpuCount GPUs per job, one machine
   * @param spot spot/low-priority capacity (cheaper, may be reclaimed; retries cover that)
   * @param vcpus vCPUs the job asks for
   * @param memoryMb memory the job asks for
   * @param timeoutMinutes a job running longer is stopped
   * @param retries attempts after the first one
   * @param maxNodes the most GPU machines up at once; zero when idle
   * @param trainerImageTag the tag of the trainer image pushed to each cloud's registry
   */
  public record Training(
      GpuType gpu,
      int gpuCount,
      boolean spot,
      int vcpus,
      int memoryMb,
      int timeoutMinutes,
      int retries,
      int maxNodes,
      String trainerImageTag) {}

  /**
   * @param monthlyBudgetUsd each cloud's budget for the project, in US dollars a month: an email at
   *     50% and 90% of actual spend and at 100% of forecast spend
   * @param usage what a month is assumed to hold, for the preview
   * @param prices each cloud's prices, by cloud name (aws, azure, gcp)
   */
  public record Cost(int monthlyBudgetUsd, Usage usage, java.util.Map<String, Prices> prices) {
    public Cost {
      prices = java.util.Map.copyOf(prices);
    }
  }

  /**
   * @param requestsPerMonth HTTP requests and upload events together
   * @param requestMillis how long one takes, billed
   * @param storageGb what the bucket holds on average
   * @param hoursPerRetrain how long one retraining job runs on its GPU machine
   */
  public record Usage(
      long requestsPerMonth, int requestMillis, double storageGb, double hoursPerRetrain) {}

  /**
   * One cloud's prices in US dollars, as its public price list gives them for the configured region
   * and machine.
   *
   * @param gpuMachineHour one hour of the GPU machine {@link GpuType} places the job on (spot or
   *     on-demand, as {@code training.spot} says)
   * @param gbSecond one GB-second of function memory
   * @param millionRequests a million function invocations
   * @param storageGbMonth one GB stored for a month
   */
  public record Prices(
      double gpuMachineHour, double gbSecond, double millionRequests, double storageGbMonth) {}

  /**
   * @param trustedKeys the Ed25519 public keys (Base64 X.509, as {@code keygen} prints them) whose
   *     signatures every function accepts on a model package; the promoting function's key must be
   *     one of them. Several allow rotation.
   */
  public record Signing(List<String> trustedKeys) {
    public Signing {
      trustedKeys = List.copyOf(trustedKeys);
    }

    /** The keys as one comma-separated setting, as every adapter reads them. */
    public String setting() {
      return String.join(",", trustedKeys);
    }
  }

  /**
   * Where each stack keeps its Terraform state; a null cloud keeps {@code terraform.tfstate} beside
   * its stack (the default, for one person on one machine).
   */
  public record State(AwsState aws, AzureState azure, GcpState gcp) {
    public static State local() {
      return new State(null, null, null);
    }
  }

  /**
   * An S3 backend: encrypted, locked through the DynamoDB table {@code lockTable} (its partition
   * key {@code LockID}, a string).
   */
  public record AwsState(String bucket, String key, String region, String lockTable) {}

  /** An azurerm backend, reached with Entra ID (no account key); Blob leases lock it. */
  public record AzureState(
      String resourceGroup, String storageAccount, String container, String key) {}

  /** A GCS backend; GCS locks it itself. */
  public record GcpState(String bucket, String prefix) {}

  /**
   * @param region e.g. {@code eu-west-1}
   * @param lambdaPackage the AWS adapter's zip; a plan reads it, synth does not
   * @param logRetentionDays CloudWatch retention, one of the values CloudWatch accepts
   * @param reserveConcurrency reserve {@code functions.maxConcurrency} for each function, which
   *     caps it too; off by default, since a new account (a concurrency quota of 10) cannot reserve
   *     any
   * @param network the VPC and subnets the GPU jobs run in; null for the account's default VPC
   * @param disposable {@code terraform destroy} takes the stack's data with it: the bucket with
   *     every object version, the trainer images, the signing-key secret without its recovery
   *     window (for smoke runs and trials); off by default, so a destroy stops at a bucket that
   *     holds anything
   */
  public record Aws(
      String region,
      String lambdaPackage,
      int logRetentionDays,
      boolean reserveConcurrency,
      AwsNetwork network,
      boolean disposable) {}

  /**
   * Where AWS Batch starts its GPU nodes, for accounts without a default VPC.
   *
   * @param subnetIds subnets of {@code vpcId} with a route out (a NAT gateway or endpoints for ECR,
   *     S3 and CloudWatch Logs)
   */
  public record AwsNetwork(String vpcId, List<String> subnetIds) {
    public AwsNetwork {
      subnetIds = List.copyOf(subnetIds);
    }
  }

  /**
   * @param location e.g. {@code westeurope}
   * @param functionPackage the Azure adapter's zip, deployed with the Function App
   */
  public record Azure(String location, String functionPackage) {}

  /**
   * @param project the GCP project id
   * @param region e.g. {@code europe-west4}
   * @param functionSource the GCP adapter's source archive for 2nd-gen functions
   * @param billingAccount the billing account the project is billed to, which holds its budget
   *     ({@code XXXXXX-XXXXXX-XXXXXX})
   */
  public record Gcp(String project, String region, String functionSource, String billingAccount) {}
}
