package io.triad.infra.gcp;

import com.hashicorp.cdktf.Fn;
import com.hashicorp.cdktf.TerraformOutput;
import com.hashicorp.cdktf.TerraformOutputConfig;
import com.hashicorp.cdktf.TerraformVariable;
import com.hashicorp.cdktf.TerraformVariableConfig;
import com.hashicorp.cdktf.providers.google.cloud_run_service_iam_member.CloudRunServiceIamMember;
import com.hashicorp.cdktf.providers.google.cloud_run_service_iam_member.CloudRunServiceIamMemberConfig;
import com.hashicorp.cdktf.providers.google.cloudfunctions2_function.Cloudfunctions2Function;
import com.hashicorp.cdktf.providers.google.cloudfunctions2_function.Cloudfunctions2FunctionBuildConfig;
import com.hashicorp.cdktf.providers.google.cloudfunctions2_function.Cloudfunctions2FunctionBuildConfigSource;
import com.hashicorp.cdktf.providers.google.cloudfunctions2_function.Cloudfunctions2FunctionBuildConfigSourceStorageSource;
import com.hashicorp.cdktf.providers.google.cloudfunctions2_function.Cloudfunctions2FunctionConfig;
import com.hashicorp.cdktf.providers.google.cloudfunctions2_function.Cloudfunctions2FunctionEventTrigger;
import com.hashicorp.cdktf.providers.google.cloudfunctions2_function.Cloudfunctions2FunctionServiceConfig;
import com.hashicorp.cdktf.providers.google.data_google_storage_project_service_account.DataGoogleStorageProjectServiceAccount;
import com.hashicorp.cdktf.providers.google.project_iam_member.ProjectIamMember;
import com.hashicorp.cdktf.providers.google.project_iam_member.ProjectIamMemberConfig;
import com.hashicorp.cdktf.providers.google.pubsub_topic.PubsubTopic;
import com.hashicorp.cdktf.providers.google.pubsub_topic.PubsubTopicConfig;
import com.hashicorp.cdktf.providers.google.pubsub_topic_iam_member.PubsubTopicIamMember;
import com.hashicorp.cdktf.providers.google.pubsub_topic_iam_member.PubsubTopicIamMemberConfig;
import com.hashicorp.cdktf.providers.google.secret_manager_secret.SecretManagerSecret;
import com.hashicorp.cdktf.providers.google.secret_manager_secret.SecretManagerSecretConfig;
import com.hashicorp.cdktf.providers.google.secret_manager_secret.SecretManagerSecretReplication;
import com.hashicorp.cdktf.providers.google.secret_manager_secret.SecretManagerSecretReplicationAuto;
import com.hashicorp.cdktf.providers.google.secret_manager_secret_iam_member.SecretManagerSecretIamMember;
import com.hashicorp.cdktf.providers.google.secret_manager_secret_iam_member.SecretManagerSecretIamMemberConfig;
import com.hashicorp.cdktf.providers.google.service_account.ServiceAccount;
import com.hashicorp.cdktf.providers.google.service_account.ServiceAccountConfig;
import com.hashicorp.cdktf.providers.google.service_account_iam_member.ServiceAccountIamMember;
import com.hashicorp.cdktf.providers.google.service_account_iam_member.ServiceAccountIamMemberConfig;
import com.hashicorp.cdktf.providers.google.storage_bucket_object.StorageBucketObject;
import com.hashicorp.cdktf.providers.google.storage_bucket_object.StorageBucketObjectConfig;
import com.hashicorp.cdktf.providers.google.storage_notification.StorageNotification;
import com.hashicorp.cdktf.providers.google.storage_notification.StorageNotificationConfig;
import io.triad.infra.config.TriadConfig;
import io.triad.layout.BucketLayout;
import io.triad.settings.GcpContract;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.constructs.Construct;

/**
 * The three 2nd-gen functions from the GCP adapter's one source archive: {@code http} (IAM invoker
 * only, no public access), {@code objects} on GCS finalize CloudEvents, {@code schedule} on the
 * retraining topic. Each runs as its own service account with prefix-scoped bucket grants; only the
 * schedule account may create Batch jobs, and only as the training account.
 */
final class GcpFunctions extends Construct {

  static final String RUNTIME = "java21";

  private final TriadConfig config;
  private final StorageBucketObject source;
  private final ServiceAccount trigger;
  private final ServiceAccount builder;
  private final ProjectIamMember buildRole;

  GcpFunctions(
      Construct scope,
      String id,
      TriadConfig config,
      GcpStorage storage,
      GcpTraining training,
      GcpSchedule schedule) {
    super(scope, id);
    this.config = config;
    String project = config.gcp().project();
    // A variable, so synth does not need the archive; a plan reads it. The object name carries its
    // hash so a new archive redeploys the functions.
    TerraformVariable archive =
        new TerraformVariable(
            this,
            "function_source",
            TerraformVariableConfig.builder()
                .type("string")
                .defaultValue(config.gcp().functionSource())
                .description(
                    "Path to the GCP adapter's function source zip, the deploy jar at its root ("
                        + GcpContract.SOURCE_ARCHIVE
                        + "); uploaded to the sources bucket")
                .build());
    archive.overrideLogicalId("function_source");
    source =
        new StorageBucketObject(
            this,
            "source",
            StorageBucketObjectConfig.builder()
                .bucket(storage.sources().getName())
                .name("functions-" + Fn.filemd5(archive.getStringValue()) + ".zip")
                .source(archive.getStringValue())
                .build());

    // Cloud Build builds each function as this account: new projects no longer give the default
    // compute account the rights to, and a build must not run with the project's editor role.
    builder = account("build", "Triad function builds");
    buildRole =
        new ProjectIamMember(
            this,
            "build-builder",
            ProjectIamMemberConfig.builder()
                .project(project)
                .role("roles/cloudbuild.builds.builder")
                .member(member(builder))
                .build());

    trigger = account("trigger", "Triad event delivery");
    ProjectIamMember receiver =
        new ProjectIamMember(
            this,
            "trigger-receiver",
            ProjectIamMemberConfig.builder()
                .project(project)
                .role("roles/eventarc.eventReceiver")
                .member(member(trigger))
                .build());
    // Uploads arrive as Cloud Storage notifications on a topic of their own, limited to the
    // prefixes that are uploads: Eventarc's direct storage trigger can filter by bucket only, and
    // would invoke the function for every prediction, evaluation and failure record it writes.
    PubsubTopic uploads =
        new PubsubTopic(
            this,
            "uploads",
            PubsubTopicConfig.builder().name(config.project() + "-uploads").build());
    // GCS publishes notifications as the project's storage service agent: on this topic only.
    DataGoogleStorageProjectServiceAccount gcsAgent =
        new DataGoogleStorageProjectServiceAccount(this, "gcs-agent");
    PubsubTopicIamMember publisher =
        new PubsubTopicIamMember(
            this,
            "gcs-agent-publisher",
            PubsubTopicIamMemberConfig.builder()
                .topic(uploads.getName())
                .role("roles/pubsub.publisher")
                .member("serviceAccount:" + gcsAgent.getEmailAddress())
                .build());
    for (String prefix :
        List.of(BucketLayout.INCOMING, BucketLayout.LABELLED, BucketLayout.CANDIDATES)) {
      StorageNotification notification =
          new StorageNotification(
              this,
              "notify-" + prefix.replace("/", ""),
              StorageNotificationConfig.builder()
                  .bucket(storage.name())
                  .topic(uploads.getId())
                  .payloadFormat("JSON_API_V1")
                  .eventTypes(List.of("OBJECT_FINALIZE"))
                  .objectNamePrefix(prefix)
                  .build());
      // GCS checks it may publish when the notification is made
      GcpDependencies.add(notification, List.of(publisher.getFqn()));
    }

    Map<String, String> common =
        new TreeMap<>(
            Map.of(
                GcpContract.BUCKET, storage.name(),
                GcpContract.MODELS, config.modelList(),
                GcpContract.ORT_DISABLE_TELEMETRY, "1",
                GcpContract.SIGNING_TRUSTED_KEYS, config.signing().setting(),
                // C1 only and the build's Spring AOT: the cold start (docs/benchmarks.md)
                GcpContract.JAVA_TOOL_OPTIONS, GcpContract.JVM_OPTIONS));
    common.putAll(config.telemetrySettings());

    ServiceAccount http = account("http", "Triad HTTP inference");
    // models to serve; candidates/ for GET /v2/models's training state; rollouts/ for every
    // instance's live figures and the decisions' claims
    storage.grantRead(
        "http-read",
        member(http),
        List.of(
            BucketLayout.MODELS,
            BucketLayout.CANDIDATES,
            BucketLayout.ROLLOUTS,
            // drift reports: a fresh promotion that drifted goes back to its parent
            BucketLayout.MONITORING));
    // rollouts decided from live figures: this instance's figures (rewritten), claims, decisions;
    // the production alias moved and the canary alias removed, never a package
    storage.grantWrite(
        "http-rollouts", member(http), "roles/storage.objectUser", List.of(BucketLayout.ROLLOUTS));
    storage.grantFiles(
        "http-production-alias",
        member(http),
        BucketLayout.MODELS,
        "aliases/" + BucketLayout.PRODUCTION);
    storage.grantFiles(
        "http-canary-alias", member(http), BucketLayout.MODELS, "aliases/" + BucketLayout.CANARY);
    // sampled requests and responses, when a model's payload logging is on: new objects only
    storage.grantWrite(
        "http-payloads",
        member(http),
        "roles/storage.objectCreator",
        List.of(BucketLayout.PAYLOADS));
    function("http", GcpContract.HTTP_ENTRY, http, common, null);

    ServiceAccount objects = account("objects", "Triad object events");
    storage.grantRead(
        "objects-read",
        member(objects),
        List.of(
            BucketLayout.INCOMING,
            BucketLayout.LABELLED,
            BucketLayout.CANDIDATES,
            BucketLayout.MODELS,
            // each month's training costs, summed again as each job's is filed
            BucketLayout.COSTS));
    storage.grantWrite(
        "objects-write",
        member(objects),
        "roles/storage.objectUser",
        List.of(
            BucketLayout.PREDICTIONS,
            BucketLayout.EVALUATIONS,
            BucketLayout.MONITORING,
            BucketLayout.PAYLOADS,
            BucketLayout.FAILED,
            BucketLayout.MODELS,
            BucketLayout.CANDIDATES,
            BucketLayout.COSTS));
    // The key the objects function signs promoted packages with: its value is added by hand
    // (README, "Signed model packages"), never by Terraform, so no state file holds it; only this
    // function's account may read it.
    SecretManagerSecret signingKey =
        new SecretManagerSecret(
            this,
            "signing-key",
            SecretManagerSecretConfig.builder()
                .secretId(config.project() + "-signing-key")
                .replication(
                    SecretManagerSecretReplication.builder()
                        .auto(SecretManagerSecretReplicationAuto.builder().build())
                        .build())
                .build());
    new SecretManagerSecretIamMember(
        this,
        "objects-signing-key",
        SecretManagerSecretIamMemberConfig.builder()
            .secretId(signingKey.getId())
            .role("roles/secretmanager.secretAccessor")
            .member(member(objects))
            .build());
    Map<String, String> promoting = new TreeMap<>(common);
    // the gate files what each training job cost when its candidate arrives
    promoting.putAll(config.costSettings("gcp"));
    promoting.put(
        GcpContract.SIGNING_KEY,
        GcpContract.SECRET_MANAGER_SCHEME + ":" + signingKey.getId() + "/versions/latest");
    promoting.putAll(config.gcpReplicaSettings());
    Cloudfunctions2Function objectsFunction =
        function(
            "objects",
            GcpContract.STORAGE_ENTRY,
            objects,
            promoting,
            Cloudfunctions2FunctionEventTrigger.builder()
                .triggerRegion(config.gcp().region())
                .eventType("google.cloud.pubsub.topic.v1.messagePublished")
                .pubsubTopic(uploads.getId())
                .retryPolicy("RETRY_POLICY_RETRY")
                .serviceAccountEmail(trigger.getEmail())
                .build());
    // Eventarc checks, when the trigger is made, that its account may receive: that grant first
    // (and the topic's publisher, so no notification is lost before the trigger exists).
    GcpDependencies.add(objectsFunction, List.of(publisher.getFqn(), receiver.getFqn()));
    invokedByTrigger("objects", objectsFunction);

    ServiceAccount scheduler = account("schedule", "Triad retraining launcher");
    // payloads/: each tick's drift check reads what the served version was given
    storage.grantRead(
        "schedule-read",
        member(scheduler),
        List.of(
            BucketLayout.DATA,
            BucketLayout.MODELS,
            BucketLayout.CANDIDATES,
            BucketLayout.PAYLOADS,
            // the last job's runtime: each launch's cost estimate
            BucketLayout.COSTS));
    // the drift check's report: new objects, or a newer check of the same day replacing its own
    storage.grantWrite(
        "schedule-monitoring",
        member(scheduler),
        "roles/storage.objectUser",
        List.of(BucketLayout.MONITORING));
    // candidates/{m}/{v}/launch.json: what a tick launched, so a redelivered tick does not launch
    // again
    storage.grantFiles(
        "schedule-launches", member(scheduler), BucketLayout.CANDIDATES, BucketLayout.LAUNCH_FILE);
    // candidates/{m}/{v}/moves/…/move.json: the claim on moving a job that waits too long for
    // machines (Cloud Batch's are asked about and withdrawn), so one delivery of a tick moves it
    storage.grantFiles(
        "schedule-moves", member(scheduler), BucketLayout.CANDIDATES, BucketLayout.MOVE_FILE);
    new ProjectIamMember(
        this,
        "schedule-batch",
        ProjectIamMemberConfig.builder()
            .project(project)
            .role("roles/batch.jobsEditor")
            .member(member(scheduler))
            .build());
    // A job runs as the training account; the launcher may hand out that account and no other.
    new ServiceAccountIamMember(
        this,
        "schedule-acts-as-trainer",
        ServiceAccountIamMemberConfig.builder()
            .serviceAccountId(training.jobAccount().getName())
            .role("roles/iam.serviceAccountUser")
            .member(member(scheduler))
            .build());
    Map<String, String> launcher = new TreeMap<>(common);
    // each launch records what it is expected to cost
    launcher.putAll(config.costSettings("gcp"));
    TriadConfig.Training job = config.training();
    launcher.put(GcpContract.BATCH_PROJECT, project);
    launcher.put(GcpContract.BATCH_REGION, config.gcp().region());
    launcher.put(GcpContract.BATCH_SERVICE_ACCOUNT, training.jobAccount().getEmail());
    launcher.put(GcpContract.BATCH_NETWORK, training.network());
    launcher.put(GcpContract.BATCH_SUBNETWORK, training.subnetwork());
    launcher.put(GcpContract.BATCH_IMAGE, training.image());
    launcher.put(GcpContract.BATCH_ACCELERATOR_TYPE, job.gpu().gcpAccelerator());
    launcher.put(GcpContract.BATCH_ACCELERATOR_COUNT, String.valueOf(job.gpuCount()));
    launcher.put(GcpContract.BATCH_MACHINE_TYPE, job.gpu().gcp(job.gpuCount()).name());
    launcher.put(GcpContract.BATCH_SPOT, String.valueOf(job.spot()));
    // what the task asks of its VM: the configured vCPUs and memory, not Batch's defaults
    launcher.put(GcpContract.BATCH_CPU_MILLI, String.valueOf(job.vcpus() * 1000));
    launcher.put(GcpContract.BATCH_MEMORY_MIB, String.valueOf(job.memoryMb()));
    // ISO-8601, as the adapter parses it (java.time.Duration)
    launcher.put(
        GcpContract.BATCH_MAX_RUN_DURATION, Duration.ofMinutes(job.timeoutMinutes()).toString());
    launcher.put(GcpContract.BATCH_MAX_RETRIES, String.valueOf(job.retries()));
    launcher.putAll(config.gcpReplicaSettings());
    if (!config.fromGcpModels().isEmpty()) {
      // each promotion's copy is recorded under replication/ by the promoting function, and
      // each tick reads it and catches a copy that did not finish up
      storage.grantWrite(
          "objects-replication",
          member(objects),
          "roles/storage.objectUser",
          List.of(BucketLayout.REPLICATION));
      storage.grantWrite(
          "schedule-replication",
          member(scheduler),
          "roles/storage.objectUser",
          List.of(BucketLayout.REPLICATION));
    }
    if (config.gcpWrites()) {
      // what the AWS stack's role and the Azure stack's federated credentials trust
      // (replication.gcpToAws and gcpToAzure, gcpWriters)
      com.hashicorp.cdktf.TerraformOutput writers =
          new TerraformOutput(
              this,
              "replica_writers",
              TerraformOutputConfig.builder()
                  .value(List.of(objects.getUniqueId(), scheduler.getUniqueId()))
                  .description(
                      "the unique ids of the functions that copy promotions to other stacks:"
                          + " replication.gcpToAws.gcpWriters, replication.gcpToAzure.gcpWriters")
                  .build());
      // the name the README and the other stack's config refer to
      writers.overrideLogicalId("replica_writers");
    }
    invokedByTrigger(
        "schedule",
        function(
            "schedule",
            GcpContract.SCHEDULE_ENTRY,
            scheduler,
            launcher,
            Cloudfunctions2FunctionEventTrigger.builder()
                .triggerRegion(config.gcp().region())
                .eventType("google.cloud.pubsub.topic.v1.messagePublished")
                .pubsubTopic(schedule.topic().getId())
                // a failed tick is redelivered; onSchedule claims each version before it submits,
                // so a redelivery starts no second job (ScheduleEntry says the same)
                .retryPolicy("RETRY_POLICY_RETRY")
                .serviceAccountEmail(trigger.getEmail())
                .build()));
  }

  private ServiceAccount account(String kind, String displayName) {
    return new ServiceAccount(
        this,
        kind + "-account",
        ServiceAccountConfig.builder()
            .accountId(config.project() + "-" + kind)
            .displayName(displayName)
            .build());
  }

  private static String member(ServiceAccount account) {
    return "serviceAccount:" + account.getEmail();
  }

  private Cloudfunctions2Function function(
      String kind,
      String entryPoint,
      ServiceAccount account,
      Map<String, String> environment,
      Cloudfunctions2FunctionEventTrigger trigger) {
    Cloudfunctions2FunctionConfig.Builder function =
        Cloudfunctions2FunctionConfig.builder()
            .name(config.project() + "-" + kind)
            .location(config.gcp().region())
            .buildConfig(
                Cloudfunctions2FunctionBuildConfig.builder()
                    .runtime(RUNTIME)
                    .entryPoint(entryPoint)
                    .source(
                        Cloudfunctions2FunctionBuildConfigSource.builder()
                            .storageSource(
                                Cloudfunctions2FunctionBuildConfigSourceStorageSource.builder()
                                    .bucket(source.getBucket())
                                    .object(source.getName())
                                    .build())
                            .build())
                    .build())
            .serviceConfig(
                Cloudfunctions2FunctionServiceConfig.builder()
                    .availableMemory(config.functions().memoryMb() + "M")
                    .timeoutSeconds(config.functions().timeoutSeconds())
                    .maxInstanceCount(config.functions().maxConcurrency())
                    .serviceAccountEmail(account.getEmail())
                    // Events arrive from inside Google; HTTP callers still need the invoker role.
                    .ingressSettings(trigger == null ? "ALLOW_ALL" : "ALLOW_INTERNAL_ONLY")
                    .allTrafficOnLatestRevision(true)
                    .environmentVariables(environment)
                    .build());
    if (trigger != null) {
      function.eventTrigger(trigger);
    }
    Cloudfunctions2Function made = new Cloudfunctions2Function(this, kind, function.build());
    // build_config.service_account is newer than the bindings' provider (5.4); 5.43 has it.
    made.addOverride("build_config.service_account", builder.getId());
    // The build starts as soon as the function is made: its account's role first.
    GcpDependencies.add(made, List.of(buildRole.getFqn()));
    return made;
  }

  /**
   * A 2nd-gen function is a Cloud Run service of the same name; the trigger's account must invoke
   * it.
   */
  private void invokedByTrigger(String kind, Cloudfunctions2Function function) {
    new CloudRunServiceIamMember(
        this,
        kind + "-invoker",
        CloudRunServiceIamMemberConfig.builder()
            .location(function.getLocation())
            .service(function.getName())
            .role("roles/run.invoker")
            .member(member(trigger))
            .build());
  }
}
