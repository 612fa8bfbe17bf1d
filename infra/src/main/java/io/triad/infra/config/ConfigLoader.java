package io.triad.infra.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@link TriadConfig} from YAML (JSON is YAML too) and reports every bad value at once, each
 * by its path in the file, before anything is synthesized.
 */
public final class ConfigLoader {

  private static final Pattern PROJECT = Pattern.compile("[a-z][a-z0-9-]{1,14}[a-z0-9]");
  private static final Pattern MODEL = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
  private static final Pattern AWS_REGION = Pattern.compile("[a-z]{2}(-gov)?-[a-z]+-\\d");
  private static final Pattern AZURE_LOCATION = Pattern.compile("[a-z]+[a-z0-9]*");
  private static final Pattern GCP_REGION = Pattern.compile("[a-z]+-[a-z]+\\d+");
  private static final Pattern GCP_PROJECT = Pattern.compile("[a-z][a-z0-9-]{4,28}[a-z0-9]");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
  private static final Pattern IMAGE_TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern OTLP_ENDPOINT =
      Pattern.compile("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?");
  private static final Pattern PATH = Pattern.compile("[^\\s\"'$]+\\.zip");
  // The values CloudWatch Logs accepts for retention.
  private static final Set<Integer> LOG_RETENTION_DAYS =
      Set.of(
          1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
          2922, 3288, 3653);
  private static final Map<String, Set<String>> SECTIONS =
      Map.ofEntries(
          Map.entry(
              "",
              Set.of(
                  "project",
                  "models",
                  "retraining",
                  "functions",
                  "training",
                  "alerts",
                  "cost",
                  "signing",
                  "state",
                  "telemetry",
                  "replication",
                  "aws",
                  "azure",
                  "gcp")),
          Map.entry("retraining", Set.of("cron")),
          Map.entry("functions", Set.of("memoryMb", "timeoutSeconds", "maxConcurrency")),
          Map.entry(
              "training",
              Set.of(
                  "gpu",
                  "gpuCount",
                  "spot",
                  "vcpus",
                  "memoryMb",
                  "timeoutMinutes",
                  "retries",
                  "maxNodes",
                  "trainerImageTag")),
          Map.entry("alerts", Set.of("email")),
          Map.entry("signing", Set.of("trustedKeys")),
          Map.entry("telemetry", Set.of("otlpEndpoint")),
          Map.entry(
              "replication",
              Set.of(
                  "models",
                  "gcpToAws",
                  "azureToAws",
                  "azureToGcp",
                  "gcpToAzure",
                  "awsToGcp",
                  "awsToAzure")),
          Map.entry("state", Set.of("aws", "azure", "gcp")),
          Map.entry(
              "aws",
              Set.of(
                  "region",
                  "lambdaPackage",
                  "logRetentionDays",
                  "reserveConcurrency",
                  "network",
                  "disposable")),
          Map.entry("azure", Set.of("location", "functionPackage")),
          Map.entry("gcp", Set.of("project", "region", "functionSource", "billingAccount")));

  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

  public TriadConfig load(Path file) {
    try {
      return read(file.toString(), Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read configuration " + file, e);
    }
  }

  /** Parses {@code text}; {@code source} names it in error messages. */
  public TriadConfig read(String source, String text) {
    JsonNode root;
    try {
      root = yaml.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InvalidConfigException(source, List.of("not YAML: " + e.getOriginalMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new InvalidConfigException(source, List.of("expected a mapping at the top level"));
    }
    Fields f = new Fields(root);
    SECTIONS.forEach(f::onlyKnown);
    List<String> models = f.names("models", MODEL);
    TriadConfig config =
        new TriadConfig(
            f.text(
                "project",
                PROJECT,
                "2-16 lowercase letters, digits or '-', starting with a letter"),
            models,
            f.cron("retraining.cron"),
            new TriadConfig.Functions(
                f.integer("functions.memoryMb", 128, 10240),
                f.integer("functions.timeoutSeconds", 1, 540),
                f.integer("functions.maxConcurrency", 1, 1000)),
            training(f),
            f.text("alerts.email", EMAIL, "an email address"),
            cost(f),
            new TriadConfig.Signing(f.publicKeys("signing.trustedKeys")),
            state(f),
            new TriadConfig.Aws(
                f.text("aws.region", AWS_REGION, "an AWS region such as eu-west-1"),
                f.text("aws.lambdaPackage", PATH, "a path to a .zip"),
                f.oneOf("aws.logRetentionDays", LOG_RETENTION_DAYS),
                f.has("aws.reserveConcurrency") && f.bool("aws.reserveConcurrency"),
                awsNetwork(f),
                f.has("aws.disposable") && f.bool("aws.disposable")),
            new TriadConfig.Azure(
                f.text("azure.location", AZURE_LOCATION, "an Azure location such as westeurope"),
                f.text("azure.functionPackage", PATH, "a path to a .zip")),
            new TriadConfig.Gcp(
                f.text("gcp.project", GCP_PROJECT, "a GCP project id"),
                f.text("gcp.region", GCP_REGION, "a GCP region such as europe-west4"),
                f.text("gcp.functionSource", PATH, "a path to a .zip"),
                f.text(
                    "gcp.billingAccount",
                    BILLING_ACCOUNT,
                    "a billing account id such as 012345-6789AB-CDEF01")),
            f.has("telemetry.otlpEndpoint")
                ? f.text(
                    "telemetry.otlpEndpoint",
                    OTLP_ENDPOINT,
                    "an http(s) address of an OTLP/HTTP collector such as"
                        + " https://otel.example.com:4318")
                : null,
            replication(f, models));
    if (config.replication() != null
        && (config.replication().azureToGcp() != null || config.replication().awsToGcp() != null)
        && TriadConfig.IntoGcp.poolId(config.project()).startsWith("gcp-")) {
      // Google reserves pool ids starting gcp-
      f.problem(
          config.replication().azureToGcp() != null
              ? "replication.azureToGcp"
              : "replication.awsToGcp",
          "the workload identity pool would be "
              + TriadConfig.IntoGcp.poolId(config.project())
              + ", and Google reserves pool ids starting with gcp-: choose a project name that"
              + " does not start with gcp-");
    }
    if (!f.problems().isEmpty()) {
      throw new InvalidConfigException(source, f.problems());
    }
    return config;
  }

  private static final Pattern S3_BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern STATE_KEY = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*");
  private static final Pattern DYNAMO_TABLE = Pattern.compile("[A-Za-z0-9_.-]{3,255}");
  private static final Pattern AZURE_GROUP = Pattern.compile("[A-Za-z0-9_.()-]{1,90}");
  private static final Pattern STORAGE_ACCOUNT = Pattern.compile("[a-z0-9]{3,24}");
  private static final Pattern CONTAINER =
      Pattern.compile("[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]");
  private static final Pattern GCS_BUCKET = Pattern.compile("[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]");

  private static final Pattern VPC_ID = Pattern.compile("vpc-[0-9a-f]{8,17}");
  private static final Pattern SUBNET_ID = Pattern.compile("subnet-[0-9a-f]{8,17}");

  private static final Pattern BILLING_ACCOUNT =
      Pattern.compile("[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}");

  /** {@code cost}: the budget, the preview's usage and each cloud's prices. */
  private static TriadConfig.Cost cost(Fields f) {
    f.onlyKnown("cost", Set.of("monthlyBudgetUsd", "usage", "prices"));
    f.onlyKnown(
        "cost.usage", Set.of("requestsPerMonth", "requestMillis", "storageGb", "hoursPerRetrain"));
    f.onlyKnown("cost.prices", Set.of("aws", "azure", "gcp"));
    java.util.Map<String, TriadConfig.Prices> prices = new java.util.TreeMap<>();
    for (String cloud : List.of("aws", "azure", "gcp")) {
      String at = "cost.prices." + cloud;
      f.onlyKnown(at, Set.of("gpuMachineHour", "gbSecond", "millionRequests", "storageGbMonth"));
      prices.put(
          cloud,
          new TriadConfig.Prices(
              f.decimal(at + ".gpuMachineHour", 0, 1000),
              f.decimal(at + ".gbSecond", 0, 1),
              f.decimal(at + ".millionRequests", 0, 100),
              f.decimal(at + ".storageGbMonth", 0, 10)));
    }
    return new TriadConfig.Cost(
        f.integer("cost.monthlyBudgetUsd", 1, 10_000_000),
        new TriadConfig.Usage(
            (long) f.decimal("cost.usage.requestsPerMonth", 0, 1e12),
            f.integer("cost.usage.requestMillis", 1, 900_000),
            f.decimal("cost.usage.storageGb", 0, 1e7),
            f.decimal("cost.usage.hoursPerRetrain", 0, 24 * 14)),
        prices);
  }

  private static final Pattern AWS_ACCOUNT = Pattern.compile("\\d{12}");
  private static final Pattern GCP_UNIQUE_ID = Pattern.compile("\\d{10,30}");
  private static final Pattern ENTRA_ID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  /** {@code replication}: the routes between stacks, or null for none. */
  private static TriadConfig.Replication replication(Fields f, List<String> served) {
    if (!f.has("replication")) {
      return null;
    }
    List<String> models = f.names("replication.models", MODEL);
    for (String model : models) {
      if (!served.contains(model)) {
        f.problem("replication.models", model + " is not one of models " + served);
      }
    }
    if (!f.has("replication.gcpToAws")
        && !f.has("replication.azureToAws")
        && !f.has("replication.azureToGcp")
        && !f.has("replication.gcpToAzure")
        && !f.has("replication.awsToGcp")
        && !f.has("replication.awsToAzure")) {
      f.problem(
          "replication",
          "names no route; the routes are gcpToAws, azureToAws, azureToGcp, gcpToAzure, awsToGcp"
              + " and awsToAzure");
    }
    TriadConfig.Replication replication =
        new TriadConfig.Replication(
            models,
            gcpToAws(f),
            azureToAws(f),
            azureToGcp(f),
            gcpToAzure(f),
            awsToGcp(f),
            awsToAzure(f));
    // one Azure stack, one tenant: the routes that name it must agree
    java.util.Set<String> tenants = new java.util.TreeSet<>();
    if (replication.azureToAws() != null) {
      tenants.add(replication.azureToAws().azureTenant());
    }
    if (replication.azureToGcp() != null) {
      tenants.add(replication.azureToGcp().azureTenant());
    }
    if (replication.gcpToAzure() != null) {
      tenants.add(replication.gcpToAzure().azureTenant());
    }
    if (replication.awsToAzure() != null) {
      tenants.add(replication.awsToAzure().azureTenant());
    }
    if (tenants.size() > 1) {
      f.problem(
          "replication",
          "the routes name different Azure tenants " + tenants + "; the Azure stack has one");
    }
    // one AWS stack and one GCP project, likewise
    java.util.Set<String> accounts = new java.util.TreeSet<>();
    java.util.Set<String> numbers = new java.util.TreeSet<>();
    if (replication.gcpToAws() != null) {
      accounts.add(replication.gcpToAws().awsAccount());
    }
    if (replication.azureToAws() != null) {
      accounts.add(replication.azureToAws().awsAccount());
    }
    if (replication.azureToGcp() != null) {
      numbers.add(replication.azureToGcp().gcpProjectNumber());
    }
    if (replication.awsToAzure() != null) {
      accounts.add(replication.awsToAzure().awsAccount());
    }
    if (replication.awsToGcp() != null) {
      accounts.add(replication.awsToGcp().awsAccount());
      numbers.add(replication.awsToGcp().gcpProjectNumber());
    }
    if (accounts.size() > 1) {
      f.problem(
          "replication",
          "the routes name different AWS accounts " + accounts + "; the AWS stack has one");
    }
    if (numbers.size() > 1) {
      f.problem(
          "replication",
          "the routes name different GCP project numbers " + numbers + "; the GCP stack has one");
    }
    return replication;
  }

  private static TriadConfig.GcpToAws gcpToAws(Fields f) {
    if (!f.has("replication.gcpToAws")) {
      return null;
    }
    f.onlyKnown("replication.gcpToAws", Set.of("awsAccount", "gcpWriters"));
    String account =
        f.text(
            "replication.gcpToAws.awsAccount",
            AWS_ACCOUNT,
            "the AWS stack's 12-digit account id, quoted");
    List<String> writers =
        f.has("replication.gcpToAws.gcpWriters")
            ? f.ids(
                "replication.gcpToAws.gcpWriters",
                GCP_UNIQUE_ID,
                "a service account's unique id (the GCP stack's output replica_writers), quoted")
            : List.of();
    return new TriadConfig.GcpToAws(account, writers);
  }

  private static TriadConfig.AzureToAws azureToAws(Fields f) {
    if (!f.has("replication.azureToAws")) {
      return null;
    }
    f.onlyKnown("replication.azureToAws", Set.of("awsAccount", "azureTenant", "azureWriters"));
    String account =
        f.text(
            "replication.azureToAws.awsAccount",
            AWS_ACCOUNT,
            "the AWS stack's 12-digit account id, quoted");
    String tenant = tenant(f, "replication.azureToAws");
    List<String> writers = azureWriters(f, "replication.azureToAws");
    return new TriadConfig.AzureToAws(account, tenant, writers);
  }

  private static final Pattern GCP_PROJECT_NUMBER = Pattern.compile("[1-9]\\d{5,19}");

  private static TriadConfig.AwsToGcp awsToGcp(Fields f) {
    if (!f.has("replication.awsToGcp")) {
      return null;
    }
    f.onlyKnown("replication.awsToGcp", Set.of("gcpProjectNumber", "awsAccount"));
    return new TriadConfig.AwsToGcp(
        gcpProjectNumber(f, "replication.awsToGcp"),
        f.text(
            "replication.awsToGcp.awsAccount",
            AWS_ACCOUNT,
            "the AWS stack's 12-digit account id, quoted"));
  }

  /** IAM outbound identity federation's issuer: one per account, on AWS's own domain. */
  private static final Pattern AWS_ISSUER =
      Pattern.compile("https://[a-z0-9-]{1,64}\\.tokens\\.sts\\.global\\.api\\.aws");

  private static TriadConfig.AwsToAzure awsToAzure(Fields f) {
    if (!f.has("replication.awsToAzure")) {
      return null;
    }
    f.onlyKnown(
        "replication.awsToAzure",
        Set.of("azureTenant", "awsAccount", "awsIssuer", "azureClientId"));
    return new TriadConfig.AwsToAzure(
        tenant(f, "replication.awsToAzure"),
        f.text(
            "replication.awsToAzure.awsAccount",
            AWS_ACCOUNT,
            "the AWS stack's 12-digit account id, quoted"),
        f.text(
            "replication.awsToAzure.awsIssuer",
            AWS_ISSUER,
            "the account's outbound identity federation issuer, such as"
                + " https://abc123.tokens.sts.global.api.aws (aws iam"
                + " get-outbound-web-identity-federation-info)"),
        f.has("replication.awsToAzure.azureClientId")
            ? f.text(
                "replication.awsToAzure.azureClientId",
                ENTRA_ID,
                "the identity's client id (the Azure stack's output aws_replica_client_id), a"
                    + " lowercase GUID")
            : null);
  }

  /** A route's {@code gcpProjectNumber}. */
  private static String gcpProjectNumber(Fields f, String route) {
    return f.text(
        route + ".gcpProjectNumber",
        GCP_PROJECT_NUMBER,
        "the GCP project's number (gcloud projects describe PROJECT), quoted");
  }

  private static TriadConfig.AzureToGcp azureToGcp(Fields f) {
    if (!f.has("replication.azureToGcp")) {
      return null;
    }
    f.onlyKnown(
        "replication.azureToGcp", Set.of("gcpProjectNumber", "azureTenant", "azureWriters"));
    String number = gcpProjectNumber(f, "replication.azureToGcp");
    String tenant = tenant(f, "replication.azureToGcp");
    List<String> writers = azureWriters(f, "replication.azureToGcp");
    return new TriadConfig.AzureToGcp(number, tenant, writers);
  }

  /** A route's {@code azureTenant}. */
  private static String tenant(Fields f, String route) {
    return f.text(
        route + ".azureTenant", ENTRA_ID, "the Entra tenant's id, a lowercase GUID, quoted");
  }

  /** A route's {@code azureWriters}: none until the Azure stack has made them. */
  private static List<String> azureWriters(Fields f, String route) {
    return f.has(route + ".azureWriters")
        ? f.ids(
            route + ".azureWriters",
            ENTRA_ID,
            "a managed identity's object id (the Azure stack's output replica_writers), a lowercase"
                + " GUID")
        : List.of();
  }

  private static TriadConfig.GcpToAzure gcpToAzure(Fields f) {
    if (!f.has("replication.gcpToAzure")) {
      return null;
    }
    f.onlyKnown("replication.gcpToAzure", Set.of("azureTenant", "gcpWriters", "azureClientId"));
    String tenant = tenant(f, "replication.gcpToAzure");
    List<String> writers =
        f.has("replication.gcpToAzure.gcpWriters")
            ? f.ids(
                "replication.gcpToAzure.gcpWriters",
                GCP_UNIQUE_ID,
                "a service account's unique id (the GCP stack's output replica_writers), quoted")
            : List.of();
    String clientId =
        f.has("replication.gcpToAzure.azureClientId")
            ? f.text(
                "replication.gcpToAzure.azureClientId",
                ENTRA_ID,
                "the identity's client id (the Azure stack's output gcp_replica_client_id), a"
                    + " lowercase GUID")
            : null;
    if (writers.size() > 20) {
      // Entra allows 20 federated identity credentials on one identity
      f.problem("replication.gcpToAzure.gcpWriters", "at most 20 (Entra's limit per identity)");
    }
    return new TriadConfig.GcpToAzure(tenant, writers, clientId);
  }

  /** {@code aws.network}: a VPC and its subnets, or null for the default VPC. */
  private static TriadConfig.AwsNetwork awsNetwork(Fields f) {
    if (!f.has("aws.network")) {
      return null;
    }
    f.onlyKnown("aws.network", Set.of("vpcId", "subnetIds"));
    String vpc = f.text("aws.network.vpcId", VPC_ID, "a VPC id such as vpc-0a1b2c3d");
    List<String> subnets = f.ids("aws.network.subnetIds", SUBNET_ID, "a subnet id");
    return new TriadConfig.AwsNetwork(vpc, subnets);
  }

  /** {@code state.*}: each cloud's backend, or local when the cloud is not named. */
  private static TriadConfig.State state(Fields f) {
    if (!f.has("state")) {
      return TriadConfig.State.local();
    }
    f.onlyKnown("state.aws", Set.of("bucket", "key", "region", "lockTable"));
    f.onlyKnown("state.azure", Set.of("resourceGroup", "storageAccount", "container", "key"));
    f.onlyKnown("state.gcp", Set.of("bucket", "prefix"));
    TriadConfig.AwsState aws =
        f.has("state.aws")
            ? new TriadConfig.AwsState(
                f.text("state.aws.bucket", S3_BUCKET, "an S3 bucket name"),
                f.text("state.aws.key", STATE_KEY, "an object key such as triad/aws.tfstate"),
                f.text("state.aws.region", AWS_REGION, "an AWS region such as eu-west-1"),
                f.text(
                    "state.aws.lockTable",
                    DYNAMO_TABLE,
                    "a DynamoDB table name (partition key LockID, a string)"))
            : null;
    TriadConfig.AzureState azure =
        f.has("state.azure")
            ? new TriadConfig.AzureState(
                f.text("state.azure.resourceGroup", AZURE_GROUP, "a resource group name"),
                f.text("state.azure.storageAccount", STORAGE_ACCOUNT, "a storage account name"),
                f.text("state.azure.container", CONTAINER, "a blob container name"),
                f.text("state.azure.key", STATE_KEY, "a blob name such as triad/azure.tfstate"))
            : null;
    TriadConfig.GcpState gcp =
        f.has("state.gcp")
            ? new TriadConfig.GcpState(
                f.text("state.gcp.bucket", GCS_BUCKET, "a GCS bucket name"),
                f.text("state.gcp.prefix", STATE_KEY, "a folder such as triad/gcp"))
            : null;
    return new TriadConfig.State(aws, azure, gcp);
  }

  private static TriadConfig.Training training(Fields f) {
    GpuType gpu = f.gpu("training.gpu");
    int count = f.integer("training.gpuCount", 1, 8);
    if (gpu != null && count >= 1 && !gpu.counts().contains(count)) {
      f.problem(
          "training.gpuCount",
          count
              + " "
              + gpu
              + " GPUs do not fit one machine on every cloud; use one of "
              + gpu.counts());
    }
    int vcpus = f.integer("training.vcpus", 1, 192);
    int memoryMb = f.integer("training.memoryMb", 1024, 2_000_000);
    if (gpu != null && gpu.counts().contains(count)) {
      // The job must fit the smallest of the three machines, or it never leaves the queue there.
      for (GpuType.Machine machine : gpu.machines(count)) {
        if (vcpus > machine.vcpus()) {
          f.problem(
              "training.vcpus",
              vcpus + " vCPUs do not fit " + machine.name() + " (" + machine.vcpus() + " vCPUs)");
        }
        if (memoryMb > machine.usableMemoryMib()) {
          f.problem(
              "training.memoryMb",
              memoryMb
                  + " MiB does not fit "
                  + machine.name()
                  + " (at most "
                  + machine.usableMemoryMib()
                  + " MiB of its "
                  + machine.memoryMib()
                  + " MiB for a job)");
        }
      }
    }
    return new TriadConfig.Training(
        gpu,
        count,
        f.bool("training.spot"),
        vcpus,
        memoryMb,
        f.integer("training.timeoutMinutes", 1, 14 * 24 * 60),
        f.integer("training.retries", 0, 9),
        f.integer("training.maxNodes", 1, 100),
        f.text("training.trainerImageTag", IMAGE_TAG, "a container image tag"));
  }

  /** Typed access by dotted path; a bad or missing value is noted and a placeholder returned. */
  private static final class Fields {
    private final JsonNode root;
    private final List<String> problems = new ArrayList<>();

    Fields(JsonNode root) {
      this.root = root;
    }

    List<String> problems() {
      return problems;
    }

    void problem(String path, String message) {
      problems.add(path + ": " + message);
    }

    /** Whether {@code path} is given at all (an optional section). */
    boolean has(String path) {
      JsonNode node = root;
      for (String part : path.split("\\.")) {
        node = node.path(part);
      }
      return !node.isMissingNode() && !node.isNull();
    }

    void onlyKnown(String section, Set<String> known) {
      JsonNode node = root;
      if (!section.isEmpty()) {
        for (String part : section.split("\\.")) {
          node = node.path(part);
        }
      }
      node.fieldNames()
          .forEachRemaining(
              name -> {
                if (!known.contains(name)) {
                  problem(
                      section.isEmpty() ? name : section + "." + name,
                      "unknown field; known: " + known.stream().sorted().toList());
                }
              });
    }

    private JsonNode node(String path) {
      JsonNode node = root;
      for (String part : path.split("\\.")) {
        node = node.path(part);
      }
      if (node.isMissingNode() || node.isNull()) {
        problem(path, "missing");
        return null;
      }
      return node;
    }

    String text(String path, Pattern pattern, String expected) {
      JsonNode node = node(path);
      if (node == null) {
        return null;
      }
      if (!node.isTextual() || !pattern.matcher(node.asText()).matches()) {
        problem(path, "'" + node.asText() + "' is not " + expected);
      }
      return node.asText();
    }

    int integer(String path, int min, int max) {
      JsonNode node = node(path);
      if (node == null) {
        return 0;
      }
      if (!node.canConvertToInt()
          || !node.isIntegralNumber()
          || node.asInt() < min
          || node.asInt() > max) {
        problem(path, "'" + node.asText() + "' must be a whole number from " + min + " to " + max);
      }
      return node.asInt();
    }

    double decimal(String path, double min, double max) {
      JsonNode node = node(path);
      if (node == null) {
        return 0;
      }
      if (!node.isNumber() || node.asDouble() < min || node.asDouble() > max) {
        problem(path, "'" + node.asText() + "' must be a number from " + min + " to " + max);
      }
      return node.asDouble();
    }

    int oneOf(String path, Set<Integer> allowed) {
      JsonNode node = node(path);
      if (node == null) {
        return 0;
      }
      if (!node.isIntegralNumber() || !allowed.contains(node.asInt())) {
        problem(
            path, "'" + node.asText() + "' must be one of " + allowed.stream().sorted().toList());
      }
      return node.asInt();
    }

    boolean bool(String path) {
      JsonNode node = node(path);
      if (node != null && !node.isBoolean()) {
        problem(path, "'" + node.asText() + "' must be true or false");
      }
      return node != null && node.asBoolean();
    }

    List<String> names(String path, Pattern pattern) {
      JsonNode node = node(path);
      if (node == null) {
        return List.of();
      }
      if (!node.isArray() || node.isEmpty()) {
        problem(path, "must be a non-empty list of model names");
        return List.of();
      }
      List<String> names = new ArrayList<>();
      node.forEach(
          item -> {
            if (!item.isTextual() || !pattern.matcher(item.asText()).matches()) {
              problem(
                  path,
                  "'"
                      + item.asText()
                      + "' is not a model name (lowercase letters, digits, '_', '-')");
            } else if (names.contains(item.asText())) {
              problem(path, "'" + item.asText() + "' is listed twice");
            }
            names.add(item.asText());
          });
      return names;
    }

    /** A non-empty list of distinct ids that each match {@code pattern}. */
    List<String> ids(String path, Pattern pattern, String expected) {
      JsonNode node = node(path);
      if (node == null) {
        return List.of();
      }
      if (!node.isArray() || node.isEmpty()) {
        problem(path, "must be a non-empty list");
        return List.of();
      }
      List<String> ids = new ArrayList<>();
      node.forEach(
          item -> {
            if (!item.isTextual() || !pattern.matcher(item.asText()).matches()) {
              problem(path, "'" + item.asText() + "' is not " + expected);
            } else if (ids.contains(item.asText())) {
              problem(path, "'" + item.asText() + "' is listed twice");
            }
            ids.add(item.asText());
          });
      return ids;
    }

    /** Ed25519 public keys, Base64 of their X.509 encoding; at least one. */
    List<String> publicKeys(String path) {
      JsonNode node = node(path);
      if (node == null) {
        return List.of();
      }
      if (!node.isArray() || node.isEmpty()) {
        problem(
            path,
            "must list at least one Ed25519 public key (run keygen, see the README's \"Signed"
                + " model packages\"); nothing unsigned is ever served");
        return List.of();
      }
      List<String> keys = new ArrayList<>();
      node.forEach(
          item -> {
            String text = item.asText().strip();
            if (!item.isTextual() || !isEd25519PublicKey(text)) {
              problem(path, "'" + text + "' is not an Ed25519 public key (Base64 X.509)");
            } else if (keys.contains(text)) {
              problem(path, "'" + text + "' is listed twice");
            }
            keys.add(text);
          });
      return keys;
    }

    private static boolean isEd25519PublicKey(String text) {
      try {
        java.security.KeyFactory.getInstance("Ed25519")
            .generatePublic(
                new java.security.spec.X509EncodedKeySpec(
                    java.util.Base64.getDecoder().decode(text)));
        return true;
      } catch (IllegalArgumentException | java.security.GeneralSecurityException e) {
        return false;
      }
    }

    Cron cron(String path) {
      JsonNode node = node(path);
      if (node == null) {
        return null;
      }
      try {
        return Cron.parse(node.asText());
      } catch (IllegalArgumentException e) {
        problem(path, e.getMessage());
        return null;
      }
    }

    GpuType gpu(String path) {
      JsonNode node = node(path);
      if (node == null) {
        return null;
      }
      return GpuType.named(node.asText())
          .orElseGet(
              () -> {
                String retired =
                    node.asText().equalsIgnoreCase("V100")
                        ? " (Azure retired its V100 sizes on 2025-09-30)"
                        : "";
                problem(
                    path,
                    "unknown GPU type '"
                        + node.asText()
                        + "'"
                        + retired
                        + "; one of "
                        + GpuType.names());
                return null;
              });
    }
  }
}
