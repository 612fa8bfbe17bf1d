package io.triad.infra.azure;

import com.hashicorp.cdktf.TerraformVariable;
import com.hashicorp.cdktf.TerraformVariableConfig;
import io.triad.infra.config.TriadConfig;
import io.triad.layout.BucketLayout;
import io.triad.settings.AzureContract;
import io.triad.settings.TriadContract;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.constructs.Construct;

/**
 * The Linux Function App running the Azure adapter's package: its settings (the names the adapter
 * reads, the Timer trigger's NCRONTAB), Application Insights, blob-created events for the upload
 * prefixes delivered by Event Grid to {@code onObjectCreated}, and a managed identity that may use
 * its own prefixes of the container and submit Batch jobs, nothing more.
 */
final class AzureFunctions extends Construct {

  private final AzureFlexFunctionApp app;
  private final AzureFlexFunctionApp serve;

  AzureFunctions(
      Construct scope,
      String id,
      TriadConfig config,
      AzureResourceGroup group,
      AzureStorage storage,
      AzureTraining training,
      AzureApplicationInsights insights) {
    super(scope, id);
    // A variable, so synth does not need the package; a plan reads it.
    TerraformVariable functionPackage =
        new TerraformVariable(
            this,
            "function_package",
            TerraformVariableConfig.builder()
                .type("string")
                .defaultValue(config.azure().functionPackage())
                .description(
                    "Path to the Azure adapter's zip-deploy package ("
                        + AzureContract.PACKAGE
                        + ")")
                .build());
    functionPackage.overrideLogicalId("function_package");

    Map<String, String> settings = new TreeMap<>();
    settings.put(AzureContract.CONTAINER, storage.container().name());
    settings.put(AzureContract.STORAGE_ACCOUNT, storage.data().name());
    settings.put(AzureContract.BATCH_ACCOUNT, training.account().name());
    // The account's endpoint attribute is a bare host name; the launcher wants a URL.
    settings.put(AzureContract.BATCH_ENDPOINT, "https://" + training.account().endpoint());
    settings.put(AzureContract.BATCH_POOL, training.pool().name());
    settings.put(
        AzureContract.BATCH_PLACEMENT,
        "azure/" + config.azure().location() + (config.training().spot() ? "/spot" : "/on-demand"));
    settings.put(
        AzureContract.TRAINER_IMAGE,
        training.registry().loginServer()
            + "/"
            + TriadContract.TRAINER_IMAGE_NAME
            + ":"
            + config.training().trainerImageTag());
    // The client id, not the resource id: the trainer hands it to DefaultAzureCredential as
    // AZURE_CLIENT_ID.
    settings.put(AzureContract.TRAINER_IDENTITY, training.trainer().clientId());
    settings.put(AzureContract.MODELS, config.modelList());
    settings.put(AzureContract.RETRAIN_SCHEDULE, config.retrainCron().ncrontab());
    settings.put(AzureContract.ORT_DISABLE_TELEMETRY, "1");
    settings.put(AzureContract.SIGNING_TRUSTED_KEYS, config.signing().setting());
    settings.putAll(config.telemetrySettings());
    // launches estimate what each training job costs, the gate files what it cost
    settings.putAll(config.costSettings("azure"));
    settings.putAll(config.azureReplicaSettings());
    // host.json's functionTimeout, set here so the config file stays the one source.
    settings.put(
        "AzureFunctionsJobHost__functionTimeout", duration(config.functions().timeoutSeconds()));

    // The serving app: HTTP only, public keys only, reads models/ and candidates/ and nothing else.
    Map<String, String> serving = new TreeMap<>();
    for (String name : AzureContract.servingNames()) {
      serving.put(name, settings.get(name));
    }
    serving.put(
        "AzureFunctionsJobHost__functionTimeout",
        settings.get("AzureFunctionsJobHost__functionTimeout"));
    serving.putAll(config.telemetrySettings());
    serving.put(AzureContract.disabled(AzureContract.OBJECT_CREATED_FUNCTION), "true");
    serving.put(AzureContract.disabled(AzureContract.SCHEDULE_FUNCTION), "true");

    // The signing key: a Key Vault secret whose value is put there by hand (README, "Signed model
    // packages"), never by Terraform, so no state file holds it; the events app alone may read it.
    AzureClientConfig client = new AzureClientConfig(this, "client");
    AzureKeyVault vault =
        new AzureKeyVault(this, "keys", config.project() + "-keys", group, client.tenantId());
    // A vault of its own holds only this secret, so the vault is the scope: a role assignment on
    // a secret that does not exist yet cannot be made.
    String secret = vault.id();
    settings.put(
        AzureContract.SIGNING_KEY,
        AzureContract.KEY_VAULT_SCHEME
            + ":"
            + vault.uri()
            + "secrets/"
            + AzureContract.SIGNING_SECRET);
    settings.put(AzureContract.disabled(AzureContract.HTTP_FUNCTION), "true");

    app = flexApp("app", "functions", group, storage, functionPackage, insights, config, settings);
    serve = flexApp("serve", "serve", group, storage, functionPackage, insights, config, serving);
    // reads what it serves; writes the payload log (sampled requests and responses, when a
    // model's payload logging is on) and its rollouts: live figures, claims and decisions under
    // rollouts/, the production alias moved and the canary alias removed, never a package
    String productionAliases = BucketLayout.MODELS + "*/aliases/" + BucketLayout.PRODUCTION;
    String canaryAliases = BucketLayout.MODELS + "*/aliases/" + BucketLayout.CANARY;
    AzureRoleAssignment.builtIn(
        this,
        "serve-blob-access",
        "Storage Blob Data Contributor",
        storage.container().resourceManagerId(),
        serve.principalId(),
        BlobAccessCondition.readsWritesAndDeletes(
            // monitoring/: a fresh promotion that drifted goes back to its parent
            List.of(
                BucketLayout.MODELS,
                BucketLayout.CANDIDATES,
                BucketLayout.ROLLOUTS,
                BucketLayout.MONITORING),
            List.of(BucketLayout.PAYLOADS, BucketLayout.ROLLOUTS, productionAliases),
            List.of(canaryAliases)));
    AzureRoleAssignment.builtIn(
        this, "signing-key-read", "Key Vault Secrets User", secret, app.principalId(), null);
    AzureRoleAssignment.forDeployer(
        this, "signing-key-write", "Key Vault Secrets Officer", secret, client.objectId());

    AzureRoleAssignment.builtIn(
        this,
        "blob-access",
        "Storage Blob Data Contributor",
        storage.container().resourceManagerId(),
        app.principalId(),
        BlobAccessCondition.readsWritesAndDeletes(
            withReplication(
                config,
                BucketLayout.INCOMING,
                BucketLayout.LABELLED,
                BucketLayout.CANDIDATES,
                BucketLayout.MODELS,
                BucketLayout.DATA,
                BucketLayout.FAILED,
                // each schedule tick's drift check reads what the served version was given
                BucketLayout.PAYLOADS,
                // training costs: the last job's runtime, the month's jobs summed again
                BucketLayout.COSTS),
            withReplication(
                config,
                BucketLayout.PREDICTIONS,
                BucketLayout.EVALUATIONS,
                BucketLayout.MONITORING,
                BucketLayout.PAYLOADS,
                BucketLayout.FAILED,
                BucketLayout.MODELS,
                BucketLayout.CANDIDATES,
                BucketLayout.COSTS),
            // a success removes the failure record an earlier attempt left; a refused submission
            // gives its claim on a version back (the launch record), so a retry may submit it
            List.of(
                BucketLayout.FAILED, BucketLayout.CANDIDATES + "*/" + BucketLayout.LAUNCH_FILE)));
    AzureRoleDefinition submitter =
        new AzureRoleDefinition(
            this,
            "job-submitter",
            config.project() + "-job-submitter",
            "Submit and read Triad training jobs on one Batch account",
            training.account().id(),
            List.of("Microsoft.Batch/batchAccounts/read"),
            List.of(
                "Microsoft.Batch/batchAccounts/jobs/read",
                "Microsoft.Batch/batchAccounts/jobs/write",
                // the launcher deletes a job whose task could not be added, so no empty job lingers
                "Microsoft.Batch/batchAccounts/jobs/delete",
                "Microsoft.Batch/batchAccounts/jobs/tasks/read",
                "Microsoft.Batch/batchAccounts/jobs/tasks/write"));
    AzureRoleAssignment.custom(
        this, "job-submit", submitter, training.account().id(), app.principalId());
    // Creating a task that runs as the trainer identity needs the right to hand that identity out.
    AzureRoleAssignment.builtIn(
        this,
        "trainer-identity-operator",
        "Managed Identity Operator",
        training.trainer().id(),
        app.principalId(),
        null);

    if (!config.fromAzureModels().isEmpty()) {
      // what the AWS stack's role and the GCP stack's provider trust (replication.azureToAws
      // and azureToGcp, azureWriters)
      com.hashicorp.cdktf.TerraformOutput writers =
          new com.hashicorp.cdktf.TerraformOutput(
              this,
              "replica_writers",
              com.hashicorp.cdktf.TerraformOutputConfig.builder()
                  .value(List.of(app.principalId()))
                  .description(
                      "the object id of the events app's managed identity, which copies promotions"
                          + " to AWS and GCP: replication.azureToAws.azureWriters,"
                          + " replication.azureToGcp.azureWriters")
                  .build());
      // the name the README and the other stack's config refer to
      writers.overrideLogicalId("replica_writers");
    }

    AzureEventGridSystemTopic topic =
        new AzureEventGridSystemTopic(
            this, "blob-events", config.project() + "-blob-events", group, storage.data());
    String blobs = "/blobServices/default/containers/" + AzureStorage.CONTAINER + "/blobs/";
    // Event Grid checks the function exists when the subscription is made: not before the app's
    // host runs the deployed package
    AzureFunctionHostKeys running = new AzureFunctionHostKeys(this, "app-running", app, group);
    AzureEventGridSubscription objectCreated =
        new AzureEventGridSubscription(
            this,
            "object-created",
            config.project() + "-object-created",
            group,
            topic,
            app.id() + "/functions/" + AzureContract.OBJECT_CREATED_FUNCTION,
            List.of(
                blobs + BucketLayout.INCOMING,
                blobs + BucketLayout.LABELLED,
                blobs + BucketLayout.CANDIDATES));
    objectCreated.addOverride(
        "depends_on",
        List.of("data.azurerm_function_app_host_keys." + running.getFriendlyUniqueId()));
  }

  /**
   * {@code prefixes}, and {@code replication/} where the app copies promotions to another stack:
   * each promotion's copy is recorded there, and each tick reads it and catches up.
   */
  private static List<String> withReplication(TriadConfig config, String... prefixes) {
    List<String> all = new java.util.ArrayList<>(List.of(prefixes));
    if (!config.fromAzureModels().isEmpty()) {
      all.add(BucketLayout.REPLICATION);
    }
    return all;
  }

  private static String duration(int seconds) {
    return String.format("%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
  }

  /** The events app: uploads, promotion, the schedule. */
  /**
   * One Flex app, on its own plan (Flex takes one app per plan), deployed from its own container.
   */
  private AzureFlexFunctionApp flexApp(
      String id,
      String suffix,
      AzureResourceGroup group,
      AzureStorage storage,
      TerraformVariable functionPackage,
      AzureApplicationInsights insights,
      TriadConfig config,
      Map<String, String> appSettings) {
    String name = config.project() + "-" + suffix;
    return new AzureFlexFunctionApp(
        this,
        id,
        group,
        new AzureFlexFunctionApp.Settings(
            name,
            new AzureServicePlan(this, id + "-plan", name, group),
            storage.host(),
            new AzureStorageContainer(
                this, id + "-deployments", suffix + "-package", storage.host()),
            functionPackage.getStringValue(),
            insights.connectionString(),
            config.functions().maxConcurrency(),
            config.functions().memoryMb(),
            appSettings));
  }

  AzureFlexFunctionApp app() {
    return app;
  }

  /** The serving app: HTTP. */
  AzureFlexFunctionApp serve() {
    return serve;
  }
}
