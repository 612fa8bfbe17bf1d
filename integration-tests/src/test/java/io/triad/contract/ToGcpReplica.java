package io.triad.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.triad.aws.testing.CallerIdentityStandIn;
import io.triad.functions.store.BlobStore;
import io.triad.gcs.testing.GoogleFederationDouble;
import io.triad.layout.BucketLayout;
import io.triad.permissions.GcpFederatedGrants;
import io.triad.settings.TriadContract;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Another cloud's copy of each promotion into the GCP stack's bucket, as the built stacks configure
 * it: the Azure events app's ({@code replication.azureToGcp} of {@code infra/triad.yaml}) or AWS's
 * s3 and schedule functions' ({@code replication.awsToGcp}). The provider is the one the writing
 * stack names; Google's token exchange decides from the built GCP stack's workload identity
 * provider (for Azure its issuer, audience and attribute condition, and the Entra key the tokens
 * are signed with; for AWS its account and attribute condition on the role, with AWS STS saying who
 * signed each request); the bucket enforces the built stack's grants to federated principals
 * ({@link GcpFederatedGrants}). Google's side is {@link GoogleFederationDouble} and AWS STS {@link
 * CallerIdentityStandIn}: none of these services runs here.
 */
final class ToGcpReplica implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SUBJECTS =
      Pattern.compile("assertion\\.sub in \\[('[^']+'(, '[^']+')*)]");
  private static final Pattern NUMBER = Pattern.compile("\\.number == \"(\\d+)\"");
  private static final Pattern ROLES =
      Pattern.compile("attribute\\.aws_role in \\[('[^']+'(, '[^']+')*)]");

  /** The built GCP stack's provider for AWS's functions (TriadConfig.AwsToGcp.PROVIDER_ID). */
  private static final String AWS_PROVIDER = "aws-functions";

  private final GoogleFederationDouble google;
  private final AutoCloseable trusted;
  private final Map<String, String> settings = new LinkedHashMap<>();
  private final String uri;
  private final String provider;
  private final Set<String> principals;

  /**
   * @param entraKey the key the Entra tokens the app is given are signed with (the tenant's
   *     published keys, to Google)
   */
  static ToGcpReplica azure(PublicKey entraKey, String model) throws Exception {
    JsonNode env = null;
    for (JsonNode app : stack("azure").at("/resource/azurerm_function_app_flex_consumption")) {
      if (!app.path("name").asText().endsWith("-serve")) {
        env = app.path("app_settings");
      }
    }
    if (env == null || !env.has(TriadContract.REPLICA_GCP_AUDIENCE)) {
      throw new IllegalStateException("the built Azure stack copies no promotion to GCP");
    }
    return new ToGcpReplica(env, stack("gcp"), entraKey, model);
  }

  /**
   * The AWS s3 function's copy, as the built AWS stack configures it, through the built GCP stack's
   * AWS provider. In this JVM every function signs with one key, which AWS STS here answers as the
   * s3 function's role (whose session Lambda would give it).
   *
   * @param accessKey the key this JVM's AWS clients sign with, and its secret
   */
  static ToGcpReplica aws(String accessKey, String secretKey, String model) throws Exception {
    AwsCopyingFunction s3 = AwsCopyingFunction.built();
    if (!s3.copiesWith(TriadContract.REPLICA_GCP_AUDIENCE)) {
      throw new IllegalStateException("the built AWS stack copies no promotion to GCP");
    }
    String arn =
        "arn:aws:sts::" + AwsCloudDouble.ACCOUNT + ":assumed-role/" + s3.roleName() + "/s3";
    return new ToGcpReplica(s3.env(), stack("gcp"), model, accessKey, secretKey, arn);
  }

  /**
   * @param model the loop's promoted model, which stands for the model the stack replicates (the
   *     bucket's grants are read as if it were that one)
   */
  private ToGcpReplica(JsonNode env, JsonNode gcp, PublicKey entraKey, String model)
      throws Exception {
    JsonNode models = models(env);
    String replicated = models.fieldNames().next();
    this.uri = gs(models, replicated);
    JsonNode wip = provider(gcp, "azure");
    this.provider = providerName(gcp, wip);
    Matcher subjects = SUBJECTS.matcher(wip.path("attribute_condition").asText());
    if (!subjects.matches()) {
      throw new IllegalStateException("the built provider reads otherwise than this check expects");
    }
    if (!"assertion.sub".equals(wip.at("/attribute_mapping/google.subject").asText())) {
      throw new IllegalStateException("the built provider maps google.subject otherwise");
    }
    Set<String> writers = quoted(subjects.group(1));
    String bucket = URI.create(uri).getHost();
    this.google =
        new GoogleFederationDouble(
            new GoogleFederationDouble.Provider(
                provider,
                wip.at("/oidc/issuer_uri").asText(),
                wip.at("/oidc/allowed_audiences/0").asText(),
                writers),
            asReplicated(GcpFederatedGrants.of(gcp, bucket), bucket, model, replicated),
            token -> io.triad.permissions.TokenSigner.verifies(entraKey, token));
    this.principals = new LinkedHashSet<>();
    writers.forEach(w -> principals.add(google.principalOf(w)));
    this.trusted = google.trust();
    endpoints(env);
  }

  /**
   * AWS's route: the built GCP stack's AWS provider, AWS STS knowing this JVM's key as the role.
   */
  private ToGcpReplica(
      JsonNode env, JsonNode gcp, String model, String accessKey, String secretKey, String arn)
      throws Exception {
    JsonNode models = models(env);
    String replicated = models.fieldNames().next();
    this.uri = gs(models, replicated);
    JsonNode wip = provider(gcp, AWS_PROVIDER);
    this.provider = providerName(gcp, wip);
    Matcher roles = ROLES.matcher(wip.path("attribute_condition").asText());
    if (!roles.matches()
        || !"assertion.arn.extract('assumed-role/{role}/')"
            .equals(wip.at("/attribute_mapping/attribute.aws_role").asText())
        || !"assertion.arn".equals(wip.at("/attribute_mapping/google.subject").asText())) {
      throw new IllegalStateException(
          "the built AWS provider reads otherwise than this check expects");
    }
    String bucket = URI.create(uri).getHost();
    this.google =
        new GoogleFederationDouble(
            new GoogleFederationDouble.AwsProvider(
                provider,
                wip.at("/aws/account_id").asText(),
                quoted(roles.group(1)),
                new CallerIdentityStandIn(
                    Map.of(accessKey, new CallerIdentityStandIn.Session(secretKey, null, arn)))),
            asReplicated(GcpFederatedGrants.of(gcp, bucket), bucket, model, replicated));
    this.principals = Set.of(google.principalOf(arn));
    this.trusted = google.trust();
    endpoints(env);
    // the loop's model copied where the stack copies its replicated one
    ObjectNode loop = JSON.createObjectNode();
    loop.putObject("triad").putObject("models").set(model, models.path(replicated));
    settings.put("spring.application.json", JSON.writeValueAsString(loop));
  }

  /** {"triad":{"models":{"iris":{"replicas":[...]}}}}, as the writing stack sets it. */
  private static JsonNode models(JsonNode env) throws IOException {
    return JSON.readTree(env.path(TriadContract.MODEL_SETTINGS).asText()).at("/triad/models");
  }

  private static String gs(JsonNode models, String replicated) {
    for (JsonNode replica : models.path(replicated).path("replicas")) {
      if (replica.asText().startsWith("gs://")) {
        return replica.asText();
      }
    }
    throw new IllegalStateException("the built stack lists no gs:// replica");
  }

  /** The built GCP stack's provider of that id. */
  private static JsonNode provider(JsonNode gcp, String id) {
    for (JsonNode wip : gcp.at("/resource/google_iam_workload_identity_pool_provider")) {
      if (id.equals(wip.path("workload_identity_pool_provider_id").asText())) {
        return wip;
      }
    }
    throw new IllegalStateException("the built GCP stack has no provider " + id);
  }

  /** The provider's full name, from the built pool and its precondition's project number. */
  private static String providerName(JsonNode gcp, JsonNode wip) {
    JsonNode pool = gcp.at("/resource/google_iam_workload_identity_pool").elements().next();
    Matcher number = NUMBER.matcher(pool.at("/lifecycle/precondition/0/condition").asText());
    if (!number.find()) {
      throw new IllegalStateException("the built pool reads otherwise than this check expects");
    }
    return "//iam.googleapis.com/projects/"
        + number.group(1)
        + "/locations/global/workloadIdentityPools/"
        + pool.path("workload_identity_pool_id").asText()
        + "/providers/"
        + wip.path("workload_identity_pool_provider_id").asText();
  }

  /** {@code 'a', 'b'}: a, b. */
  private static Set<String> quoted(String list) {
    Set<String> values = new LinkedHashSet<>();
    for (String quoted : list.split(", ")) {
      values.add(quoted.substring(1, quoted.length() - 1));
    }
    return values;
  }

  /** The provider as the writing stack names it (another is refused), and the doubles' places. */
  private void endpoints(JsonNode env) {
    settings.put(
        TriadContract.REPLICA_GCP_AUDIENCE, env.path(TriadContract.REPLICA_GCP_AUDIENCE).asText());
    settings.put(TriadContract.REPLICA_GCP_STS_ENDPOINT, google.sts().toString());
    settings.put(TriadContract.REPLICA_GCS_ENDPOINT, google.storage().toString());
  }

  private static GoogleFederationDouble.Grants asReplicated(
      GoogleFederationDouble.Grants grants, String bucket, String model, String replicated) {
    String loop = bucket + "/" + BucketLayout.MODELS + model + "/";
    String stack = bucket + "/" + BucketLayout.MODELS + replicated + "/";
    return (principal, permission, object) ->
        grants.allow(
            principal,
            permission,
            object.startsWith(loop) ? stack + object.substring(loop.length()) : object);
  }

  private static JsonNode stack(String cloud) throws IOException {
    return JSON.readTree(Files.readString(Path.of(System.getProperty("triad.stack." + cloud))));
  }

  /** What the app is started with besides {@link ToAwsReplica#settings()}. */
  Map<String, String> settings() {
    return Map.copyOf(settings);
  }

  /**
   * The promoted {@code version} reaches the GCP bucket byte for byte, its alias moved; the
   * source's record says so; every exchange was at the built provider, and every request ran as a
   * writer the pool trusts.
   */
  void assertCopied(BlobStore source, String model, String version) throws Exception {
    String bucket = URI.create(uri).getHost();
    ReplicaCopied.assertCopied(
        source, key -> google.object(bucket, key), "GCP bucket", uri, model, version);
    assertThat(google.exchanges())
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.get("audience")).isEqualTo(provider));
    assertThat(google.calls())
        .isNotEmpty()
        .allSatisfy(
            call -> {
              assertThat(call.principal()).isIn(principals);
              // a head of a file not copied yet is the one refusal a copy expects
              assertThat(call.status()).as("%s", call).isIn(200, 206, 308, 404);
            });
    // no grant goes unused: the copy read, created and replaced (the alias) under the grant
    assertThat(google.calls())
        .extracting(GoogleFederationDouble.Call::method)
        .contains("GET", "POST");
    assertThat(google.calls())
        .as("the alias written over an older one (delete, which the grant's role carries)")
        .anySatisfy(call -> assertThat(call.replaced()).isTrue());
  }

  @Override
  public void close() {
    // the JVM's HTTPS trust first, then the double
    Closing.all(trusted, google);
  }
}
