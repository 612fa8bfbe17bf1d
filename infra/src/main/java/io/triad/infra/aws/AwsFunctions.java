package io.triad.infra.aws;

import com.hashicorp.cdktf.Fn;
import com.hashicorp.cdktf.TerraformVariable;
import com.hashicorp.cdktf.TerraformVariableConfig;
import com.hashicorp.cdktf.providers.aws.cloudwatch_log_group.CloudwatchLogGroup;
import com.hashicorp.cdktf.providers.aws.cloudwatch_log_group.CloudwatchLogGroupConfig;
import com.hashicorp.cdktf.providers.aws.iam_role.IamRole;
import com.hashicorp.cdktf.providers.aws.iam_role.IamRoleConfig;
import com.hashicorp.cdktf.providers.aws.iam_role_policy.IamRolePolicy;
import com.hashicorp.cdktf.providers.aws.iam_role_policy.IamRolePolicyConfig;
import com.hashicorp.cdktf.providers.aws.lambda_alias.LambdaAlias;
import com.hashicorp.cdktf.providers.aws.lambda_alias.LambdaAliasConfig;
import com.hashicorp.cdktf.providers.aws.lambda_function.LambdaFunction;
import com.hashicorp.cdktf.providers.aws.lambda_function.LambdaFunctionConfig;
import com.hashicorp.cdktf.providers.aws.lambda_function.LambdaFunctionDeadLetterConfig;
import com.hashicorp.cdktf.providers.aws.lambda_function.LambdaFunctionEnvironment;
import com.hashicorp.cdktf.providers.aws.lambda_function.LambdaFunctionSnapStart;
import com.hashicorp.cdktf.providers.aws.lambda_function_event_invoke_config.LambdaFunctionEventInvokeConfig;
import com.hashicorp.cdktf.providers.aws.lambda_function_event_invoke_config.LambdaFunctionEventInvokeConfigConfig;
import com.hashicorp.cdktf.providers.aws.lambda_function_url.LambdaFunctionUrl;
import com.hashicorp.cdktf.providers.aws.lambda_function_url.LambdaFunctionUrlConfig;
import com.hashicorp.cdktf.providers.aws.lambda_permission.LambdaPermission;
import com.hashicorp.cdktf.providers.aws.lambda_permission.LambdaPermissionConfig;
import com.hashicorp.cdktf.providers.aws.s3_bucket_notification.S3BucketNotification;
import com.hashicorp.cdktf.providers.aws.s3_bucket_notification.S3BucketNotificationConfig;
import com.hashicorp.cdktf.providers.aws.s3_bucket_notification.S3BucketNotificationLambdaFunction;
import com.hashicorp.cdktf.providers.aws.s3_object.S3Object;
import com.hashicorp.cdktf.providers.aws.s3_object.S3ObjectConfig;
import com.hashicorp.cdktf.providers.aws.secretsmanager_secret.SecretsmanagerSecret;
import com.hashicorp.cdktf.providers.aws.secretsmanager_secret.SecretsmanagerSecretConfig;
import com.hashicorp.cdktf.providers.aws.sqs_queue.SqsQueue;
import com.hashicorp.cdktf.providers.aws.sqs_queue.SqsQueueConfig;
import io.triad.infra.config.TriadConfig;
import io.triad.layout.BucketLayout;
import io.triad.settings.AwsContract;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * The three Lambda functions from the AWS adapter's one package: {@code http} behind an IAM-auth
 * function URL, {@code s3} on object-created notifications, {@code schedule} on the retraining
 * tick. Each has its own role scoped to the bucket prefixes it uses; failed asynchronous events
 * land in one encrypted dead-letter queue.
 *
 * <p>Every function that reads a key which may not exist yet (an alias before the first promotion,
 * a candidate's rejected.json, a failure record) is allowed {@code s3:ListBucket} on the bucket
 * without a prefix condition: S3 answers a missing key with 404 only to a caller that holds
 * ListBucket, and the request for one object carries no {@code s3:prefix} for a condition to match,
 * so a prefix-scoped ListBucket turns every "absent" into 403. Listing shows key names only;
 * reading stays scoped by prefix.
 */
final class AwsFunctions extends Construct {

  private final SqsQueue deadLetters;
  private final LambdaFunction schedule;
  private final LambdaFunction objects;
  private final SecretsmanagerSecret signingKey;
  private final LambdaFunctionUrl url;

  /**
   * Where the package is put in the stack's bucket for Lambda to take it from: a zip over 50 MB
   * cannot be handed to Lambda directly (the package carries three clouds' storage clients). No
   * function's role may read it; Lambda reads it with the deployer's.
   */
  static final String PACKAGE_KEY = "code/triad-aws-lambda.zip";

  /** The alias the HTTP function's URL serves: the latest published (SnapStart) version. */
  static final String HTTP_ALIAS = "live";

  AwsFunctions(
      Construct scope,
      String id,
      TriadConfig config,
      AwsStorage storage,
      AwsTraining training,
      String accountId) {
    super(scope, id);
    // A variable, so synth does not need the package; a plan reads and hashes it.
    TerraformVariable lambdaPackage =
        new TerraformVariable(
            this,
            "lambda_package",
            TerraformVariableConfig.builder()
                .type("string")
                .defaultValue(config.aws().lambdaPackage())
                .description(
                    "Path to the AWS adapter's Lambda zip ("
                        + AwsContract.PACKAGE
                        + ", built by ./mvnw package)")
                .build());
    lambdaPackage.overrideLogicalId("lambda_package");
    // uploaded again whenever the file's bytes change; each function then takes the new one
    // (its source_code_hash changes with them)
    S3Object code =
        new S3Object(
            this,
            "lambda-package-object",
            S3ObjectConfig.builder()
                .bucket(storage.bucket().getId())
                .key(PACKAGE_KEY)
                .source(lambdaPackage.getStringValue())
                .sourceHash(Fn.filemd5(lambdaPackage.getStringValue()))
                .build());
    Package deployed = new Package(code, lambdaPackage);
    deadLetters =
        new SqsQueue(
            this,
            "dead-letters",
            SqsQueueConfig.builder()
                .name(config.project() + "-dead-letters")
                .messageRetentionSeconds(14 * 24 * 3600)
                .sqsManagedSseEnabled(true)
                .build());

    // The key the upload function signs promoted packages with. Its value is put there by hand
    // (README, "Signed model packages"), never by Terraform, so no state file holds it; only the
    // upload function's role may read it, and the serving function holds public keys only.
    signingKey =
        new SecretsmanagerSecret(
            this,
            "signing-key",
            SecretsmanagerSecretConfig.builder()
                .name(config.project() + "-signing-key")
                .description(
                    "Ed25519 private key (PKCS#8 PEM) that Triad's upload function signs promoted"
                        + " model packages with")
                // a disposable stack's secret goes at once, so its name can be made again
                .recoveryWindowInDays(config.aws().disposable() ? 0 : 7)
                .build());

    String bucket = storage.name();
    Map<String, String> common =
        new LinkedHashMap<>(
            Map.of(
                AwsContract.BUCKET,
                bucket,
                AwsContract.MODELS,
                config.modelList(),
                AwsContract.ORT_DISABLE_TELEMETRY,
                "1",
                AwsContract.SIGNING_TRUSTED_KEYS,
                config.signing().setting()));
    common.putAll(config.telemetrySettings());
    // C1 only: a shorter cold start; the inference is ONNX Runtime's native code either way
    common.put(AwsContract.JAVA_TOOL_OPTIONS, AwsContract.JVM_OPTIONS);
    Map<String, String> promoting = new LinkedHashMap<>(common);
    promoting.put(
        AwsContract.SIGNING_KEY, AwsContract.SECRETS_MANAGER_SCHEME + ":" + signingKey.getArn());
    // the gate files what each training job cost when its candidate arrives
    promoting.putAll(config.costSettings("aws"));
    // each promotion copied to the other stacks' buckets (replication.awsToGcp), and each tick
    // catching up a copy that did not finish
    promoting.putAll(config.fromAwsReplicaSettings());

    LambdaFunction http =
        function(
            config,
            deployed,
            AwsContract.HTTP,
            AwsContract.HTTP_HANDLER,
            common,
            false,
            IamPolicy.create()
                .allow(
                    // models to serve; candidates/ for GET /v2/models's training state; rollouts/
                    // for every instance's live figures and the decisions' claims
                    "ReadModelsAndTrainingState",
                    List.of("s3:GetObject"),
                    List.of(
                        storage.objects(BucketLayout.MODELS),
                        storage.objects(BucketLayout.CANDIDATES),
                        storage.objects(BucketLayout.ROLLOUTS),
                        // drift reports: a fresh promotion that drifted goes back to its parent
                        storage.objects(BucketLayout.MONITORING)))
                .allow(
                    // sampled requests and responses, when a model's payload logging is on
                    "WritePayloadLog",
                    List.of("s3:PutObject"),
                    List.of(storage.objects(BucketLayout.PAYLOADS)))
                .allow(
                    // rollouts decided from live figures: this instance's figures, claims and
                    // decisions; the production alias moved (a canary promoted, a fresh promotion
                    // rolled back to its parent) and the canary alias removed; never a package
                    "DecideRollouts",
                    List.of("s3:PutObject"),
                    List.of(
                        storage.objects(BucketLayout.ROLLOUTS),
                        aliasObjects(storage, BucketLayout.PRODUCTION)))
                .allow(
                    "EndCanaries",
                    List.of("s3:DeleteObject"),
                    List.of(aliasObjects(storage, BucketLayout.CANARY)))
                .allow("ListBucket", List.of("s3:ListBucket"), List.of(storage.arn())));
    // SnapStart: each published version is started once, primed (the adapter's SnapStartPriming
    // loads every model and runs an inference before the snapshot) and restored from that snapshot
    // on a cold start. It applies to published versions only: the URL serves the "live" alias,
    // which each apply moves to the version just published.
    http.setPublish(true);
    http.putSnapStart(LambdaFunctionSnapStart.builder().applyOn("PublishedVersions").build());
    LambdaAlias live =
        new LambdaAlias(
            this,
            "http-live",
            LambdaAliasConfig.builder()
                .name(HTTP_ALIAS)
                .functionName(http.getFunctionName())
                .functionVersion(http.getVersion())
                .build());
    url =
        new LambdaFunctionUrl(
            this,
            "http-url",
            LambdaFunctionUrlConfig.builder()
                .functionName(http.getFunctionName())
                .qualifier(live.getName())
                // Callers sign with SigV4; nothing is served anonymously.
                .authorizationType("AWS_IAM")
                .build());

    objects =
        function(
            config,
            deployed,
            AwsContract.S3,
            AwsContract.S3_HANDLER,
            promoting,
            true,
            replicating(config, storage)
                .allow(
                    // failed/: whether an earlier attempt left a record to clear
                    "ReadUploadsModelsAndFailures",
                    List.of("s3:GetObject"),
                    List.of(
                        storage.objects(BucketLayout.INCOMING),
                        storage.objects(BucketLayout.LABELLED),
                        storage.objects(BucketLayout.CANDIDATES),
                        storage.objects(BucketLayout.MODELS),
                        storage.objects(BucketLayout.FAILED)))
                .allow(
                    "WriteResults",
                    List.of("s3:PutObject"),
                    List.of(
                        storage.objects(BucketLayout.PREDICTIONS),
                        storage.objects(BucketLayout.EVALUATIONS),
                        // drift reports: each labelled evaluation checks drift
                        storage.objects(BucketLayout.MONITORING),
                        // sampled uploads, when a model's payload logging is on
                        storage.objects(BucketLayout.PAYLOADS),
                        storage.objects(BucketLayout.FAILED),
                        storage.objects(BucketLayout.MODELS),
                        storage.objects(BucketLayout.CANDIDATES),
                        // what each training job cost, and the month's summary made again
                        storage.objects(BucketLayout.COSTS)))
                .allow(
                    "ReadTrainingCosts",
                    List.of("s3:GetObject"),
                    List.of(storage.objects(BucketLayout.COSTS)))
                .allow("ListBucket", List.of("s3:ListBucket"), List.of(storage.arn()))
                .allow(
                    // a success removes the failure record an earlier attempt left
                    "ClearFailureRecords",
                    List.of("s3:DeleteObject"),
                    List.of(storage.objects(BucketLayout.FAILED)))
                .allow(
                    "ReadSigningKey",
                    List.of("secretsmanager:GetSecretValue"),
                    List.of(signingKey.getArn())));
    notifications(storage, objects, accountId);

    Map<String, String> scheduleEnv = new LinkedHashMap<>(common);
    scheduleEnv.put(AwsContract.BATCH_JOB_QUEUE, training.queueName());
    // what the queue's compute environment is, so a placement knows which target it serves
    scheduleEnv.put(
        AwsContract.BATCH_PLACEMENT,
        "aws/" + config.aws().region() + (config.training().spot() ? "/spot" : "/on-demand"));
    scheduleEnv.put(AwsContract.BATCH_JOB_DEFINITION, training.jobDefinitionName());
    // each launch records what it is expected to cost
    scheduleEnv.putAll(config.costSettings("aws"));
    scheduleEnv.putAll(config.fromAwsReplicaSettings());
    schedule =
        function(
            config,
            deployed,
            AwsContract.SCHEDULE,
            AwsContract.SCHEDULE_HANDLER,
            scheduleEnv,
            true,
            replicating(config, storage)
                .allow(
                    // payloads/: each tick's drift check reads what the served version was given
                    "ReadDataModelsAndPayloads",
                    List.of("s3:GetObject"),
                    List.of(
                        storage.objects(BucketLayout.DATA),
                        storage.objects(BucketLayout.MODELS),
                        storage.objects(BucketLayout.PAYLOADS),
                        // the last job's runtime: each launch's cost estimate
                        storage.objects(BucketLayout.COSTS)))
                .allow(
                    "WriteDriftReports",
                    List.of("s3:PutObject"),
                    List.of(storage.objects(BucketLayout.MONITORING)))
                .allow(
                    // candidates/{m}/{v}/launch.json: the claim on a version (a conditional
                    // create), then the job it launched, so a redelivered tick does not launch
                    // again; deleted when the submission failed; nothing else under candidates/
                    "RecordLaunches",
                    List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"),
                    List.of(
                        storage.objects(BucketLayout.CANDIDATES) + "/" + BucketLayout.LAUNCH_FILE))
                .allow("ListBucket", List.of("s3:ListBucket"), List.of(storage.arn()))
                .allow(
                    "SubmitTraining",
                    List.of("batch:SubmitJob"),
                    List.of(training.queueArn(), training.jobDefinitionArns(accountId)))
                // whether a placed model's last job still waits for instances, so a tick does not
                // queue a second one behind it; DescribeJobs has no resource types (the service
                // authorization reference), so "*" is the only resource it can be granted on
                .allow("AskAboutJobs", List.of("batch:DescribeJobs"), List.of("*")));
  }

  /**
   * A copy into Azure (replication.awsToAzure) presents the role's token to Entra: the role may ask
   * AWS STS for tokens made out to Entra's token exchange only. GetWebIdentityToken has no resource
   * types (the service authorization reference): "*" is its only resource, the audience its limit.
   */
  private static final Map<String, Object> REPLICA_TOKEN_AUDIENCE =
      Map.of(
          "StringEquals",
          Map.of(
              "sts:IdentityTokenAudience",
              TriadConfig.AwsToAzure.AUDIENCE,
              "sts:SigningAlgorithm",
              "RS256"));

  /**
   * A policy for a function that copies promotions to the other stacks (the s3 function each
   * promotion, the schedule each tick's catch-up), with what copying needs when a route out of AWS
   * is configured: its records under replication/ (written, and read back to resume), and the
   * role's tokens for Entra's exchange once the Azure identity is known.
   */
  private static IamPolicy replicating(TriadConfig config, AwsStorage storage) {
    return IamPolicy.create()
        .allowIf(
            !config.fromAwsModels().isEmpty(),
            "RecordReplication",
            List.of("s3:GetObject", "s3:PutObject"),
            List.of(storage.objects(BucketLayout.REPLICATION)))
        .allowIf(
            config.awsToAzureReady(),
            "GetReplicaTokens",
            List.of("sts:GetWebIdentityToken"),
            List.of("*"),
            REPLICA_TOKEN_AUDIENCE);
  }

  /** The package in the bucket, and the file it was uploaded from (for its hash). */
  private record Package(S3Object object, TerraformVariable file) {}

  /** Every model's alias named {@code alias}: {@code models/*\/aliases/{alias}}. */
  private static String aliasObjects(AwsStorage storage, String alias) {
    return storage.arn() + "/" + BucketLayout.MODELS + "*/aliases/" + alias;
  }

  private LambdaFunction function(
      TriadConfig config,
      Package deployed,
      String kind,
      String handler,
      Map<String, String> environment,
      boolean async,
      IamPolicy policy) {
    String name = config.project() + "-" + kind;
    CloudwatchLogGroup logs =
        new CloudwatchLogGroup(
            this,
            kind + "-logs",
            CloudwatchLogGroupConfig.builder()
                .name("/aws/lambda/" + name)
                .retentionInDays(config.aws().logRetentionDays())
                .build());
    IamRole role =
        new IamRole(
            this,
            kind + "-role",
            IamRoleConfig.builder()
                .name(TriadConfig.awsFunctionRole(config.project(), kind))
                .assumeRolePolicy(IamPolicy.trust("lambda.amazonaws.com"))
                .build());
    policy.allow(
        "WriteOwnLogs",
        List.of("logs:CreateLogStream", "logs:PutLogEvents"),
        List.of(logs.getArn() + ":*"));
    if (async) {
      policy.allow("DeadLetter", List.of("sqs:SendMessage"), List.of(deadLetters.getArn()));
    }
    IamRolePolicy rolePolicy =
        new IamRolePolicy(
            this,
            kind + "-policy",
            IamRolePolicyConfig.builder()
                .name(name + "-least-privilege")
                .role(role.getId())
                .policy(policy.json())
                .build());
    Map<String, String> env = new LinkedHashMap<>(environment);
    env.put(AwsContract.FUNCTION, kind);
    LambdaFunctionConfig.Builder function =
        LambdaFunctionConfig.builder()
            .functionName(name)
            .role(role.getArn())
            .handler(handler)
            .runtime("java21")
            .architectures(List.of("x86_64"))
            .memorySize(config.functions().memoryMb())
            .timeout(config.functions().timeoutSeconds())
            // -1: unreserved (Lambda's own default), as a new account cannot reserve any
            .reservedConcurrentExecutions(
                config.aws().reserveConcurrency() ? config.functions().maxConcurrency() : -1)
            .s3Bucket(deployed.object().getBucket())
            .s3Key(deployed.object().getKey())
            .sourceCodeHash(Fn.filebase64sha256(deployed.file().getStringValue()))
            .environment(LambdaFunctionEnvironment.builder().variables(env).build())
            // The log group (with its retention) must exist before Lambda creates one without.
            .dependsOn(List.of(logs, rolePolicy));
    if (async) {
      function.deadLetterConfig(
          LambdaFunctionDeadLetterConfig.builder().targetArn(deadLetters.getArn()).build());
    }
    LambdaFunction lambda = new LambdaFunction(this, kind, function.build());
    if (async) {
      new LambdaFunctionEventInvokeConfig(
          this,
          kind + "-async",
          LambdaFunctionEventInvokeConfigConfig.builder()
              .functionName(lambda.getFunctionName())
              .maximumRetryAttempts(2)
              .maximumEventAgeInSeconds(6 * 3600)
              .build());
    }
    return lambda;
  }

  private void notifications(AwsStorage storage, LambdaFunction objects, String accountId) {
    LambdaPermission fromS3 =
        new LambdaPermission(
            this,
            "s3-invoke",
            LambdaPermissionConfig.builder()
                .statementId("AllowTriadBucket")
                .action("lambda:InvokeFunction")
                .functionName(objects.getFunctionName())
                .principal("s3.amazonaws.com")
                .sourceArn(storage.arn())
                // bucket names are global: only this account's bucket of that name may invoke
                .sourceAccount(accountId)
                .build());
    new S3BucketNotification(
        this,
        "object-created",
        S3BucketNotificationConfig.builder()
            .bucket(storage.bucket().getId())
            .lambdaFunction(
                List.of(
                    created(objects, BucketLayout.INCOMING, null),
                    created(objects, BucketLayout.LABELLED, null),
                    // The trainer writes the manifest last: only it means a candidate is complete.
                    created(objects, BucketLayout.CANDIDATES, BucketLayout.MANIFEST_FILE)))
            .dependsOn(List.of(fromS3))
            .build());
  }

  private static S3BucketNotificationLambdaFunction created(
      LambdaFunction target, String prefix, String suffix) {
    S3BucketNotificationLambdaFunction.Builder rule =
        S3BucketNotificationLambdaFunction.builder()
            .id(prefix.replace("/", ""))
            .lambdaFunctionArn(target.getArn())
            .events(List.of("s3:ObjectCreated:*"))
            .filterPrefix(prefix);
    if (suffix != null) {
      rule.filterSuffix(suffix);
    }
    return rule.build();
  }

  LambdaFunction schedule() {
    return schedule;
  }

  /** The upload function: S3 notifications of uploads and candidates. */
  LambdaFunction objects() {
    return objects;
  }

  /** The name of the secret that holds the signing key, for the operator to fill. */
  String signingKeySecret() {
    return signingKey.getName();
  }

  /** The HTTP function's URL (SigV4-signed callers only), on its live alias. */
  String url() {
    return url.getFunctionUrl();
  }

  String deadLetterArn() {
    return deadLetters.getArn();
  }

  String deadLetterName() {
    return deadLetters.getName();
  }
}
