package io.triad.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * The Azure events app's copy of each promotion into the GCP stack's bucket ({@code
 * replication.azureToGcp} of {@code infra/triad.yaml}), as the built stacks configure it: the
 * provider the Azure stack names, Google's token exchange deciding from the built GCP stack's
 * workload identity provider (its issuer, audience and attribute condition, and the Entra key the
 * tokens are signed with), the bucket enforcing the built stack's grants to federated principals
 * ({@link GcpFederatedGrants}). Google's side is {@link GoogleFederationDouble}: neither service
 * runs here.
 */
final class ToGcpReplica implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SUBJECTS =
      Pattern.compile("assertion\\.sub in \\[('[^']+'(, '[^']+')*)]");
  private static final Pattern NUMBER = Pattern.compile("\\.number == \"(\\d+)\"");

  private final GoogleFederationDouble google;
  private final AutoCloseable trusted;
  private final Map<String, String> settings = new LinkedHashMap<>();
  private final String uri;
  private final String provider;
  private final Set<String> writers;

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
   * @param model the loop's promoted model, which stands for the model the stack replicates (the
   *     bucket's grants are read as if it were that one)
   */
  private ToGcpReplica(JsonNode env, JsonNode gcp, PublicKey entraKey, String model)
      throws Exception {
    JsonNode models =
        JSON.readTree(env.path(TriadContract.MODEL_SETTINGS).asText()).at("/triad/models");
    String replicated = models.fieldNames().next();
    String gs = null;
    for (JsonNode replica : models.path(replicated).path("replicas")) {
      if (replica.asText().startsWith("gs://")) {
        gs = replica.asText();
      }
    }
    if (gs == null) {
      throw new IllegalStateException("the built Azure stack lists no gs:// replica");
    }
    this.uri = gs;
    JsonNode pool = gcp.at("/resource/google_iam_workload_identity_pool").elements().next();
    JsonNode wip = gcp.at("/resource/google_iam_workload_identity_pool_provider").elements().next();
    Matcher number = NUMBER.matcher(pool.at("/lifecycle/precondition/0/condition").asText());
    Matcher subjects = SUBJECTS.matcher(wip.path("attribute_condition").asText());
    if (!number.find() || !subjects.matches()) {
      throw new IllegalStateException("the built pool reads otherwise than this check expects");
    }
    if (!"assertion.sub".equals(wip.at("/attribute_mapping/google.subject").asText())) {
      throw new IllegalStateException("the built provider maps google.subject otherwise");
    }
    this.provider =
        "//iam.googleapis.com/projects/"
            + number.group(1)
            + "/locations/global/workloadIdentityPools/"
            + pool.path("workload_identity_pool_id").asText()
            + "/providers/"
            + wip.path("workload_identity_pool_provider_id").asText();
    this.writers = new LinkedHashSet<>();
    for (String quoted : subjects.group(1).split(", ")) {
      writers.add(quoted.substring(1, quoted.length() - 1));
    }
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
    this.trusted = google.trust();
    // the provider as the Azure stack names it: another than the GCP stack's is refused
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
    Set<String> principals = new LinkedHashSet<>();
    writers.forEach(w -> principals.add(google.principalOf(w)));
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
    try {
      trusted.close();
    } catch (Exception e) {
      throw new IllegalStateException("restoring the JVM's HTTPS trust", e);
    } finally {
      google.close();
    }
  }
}
