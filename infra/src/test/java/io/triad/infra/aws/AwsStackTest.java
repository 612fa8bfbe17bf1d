package io.triad.infra.aws;

import static io.triad.infra.SynthesizedStack.parse;
import static io.triad.infra.SynthesizedStack.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.triad.infra.Cloud;
import io.triad.infra.SynthesizedStack;
import io.triad.settings.AwsContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AwsStackTest {

  private static final String BUCKET_ARN = "${aws_s3_bucket.storage_bucket_6AF501AE.arn}";

  private static SynthesizedStack aws;

  @BeforeAll
  static void synthesize() {
    aws = SynthesizedStack.of(Cloud.AWS);
  }

  @Test
  void bucket_should_blockEveryKindOfPublicAccess_when_synthesized() {
    JsonNode block =
        aws.resource("aws_s3_bucket_public_access_block", "storage/public-access-block");

    for (String setting :
        List.of(
            "block_public_acls",
            "block_public_policy",
            "ignore_public_acls",
            "restrict_public_buckets")) {
      assertThat(block.path(setting).asBoolean()).as(setting).isTrue();
    }
    assertThat(
            aws.resource("aws_s3_bucket_ownership_controls", "storage/ownership")
                .at("/rule/object_ownership")
                .asText())
        .isEqualTo("BucketOwnerEnforced");
  }

  @Test
  void bucket_should_beEncryptedVersionedAndTlsOnly_when_synthesized() {
    assertThat(
            aws.resource("aws_s3_bucket_server_side_encryption_configuration", "storage/encryption")
                .at("/rule/0/apply_server_side_encryption_by_default/sse_algorithm")
                .asText())
        .isEqualTo("AES256");
    assertThat(
            aws.resource("aws_s3_bucket_versioning", "storage/versioning")
                .at("/versioning_configuration/status")
                .asText())
        .isEqualTo("Enabled");

    JsonNode deny =
        parse(aws.resource("aws_s3_bucket_policy", "storage/tls-only").path("policy"))
            .at("/Statement/0");
    assertThat(deny.path("Effect").asText()).isEqualTo("Deny");
    assertThat(deny.at("/Condition/Bool/aws:SecureTransport").asText()).isEqualTo("false");
    assertThat(aws.resources("aws_s3_bucket")).hasSize(1);
  }

  @Test
  void functions_should_runJava21OnX86WithTheConfiguredLimits_when_synthesized() {
    Map<String, String> handlers = new TreeMap<>();
    for (JsonNode function : aws.resources("aws_lambda_function")) {
      assertThat(function.path("runtime").asText()).isEqualTo("java21");
      assertThat(texts(function.path("architectures"))).containsExactly("x86_64");
      assertThat(function.path("memory_size").asInt()).isEqualTo(1536);
      assertThat(function.path("timeout").asInt()).isEqualTo(120);
      assertThat(function.path("reserved_concurrent_executions").asInt()).isEqualTo(5);
      // through the bucket: the package is over Lambda's 50 MB direct upload
      assertThat(function.has("filename")).isFalse();
      assertThat(function.path("s3_key").asText())
          .isEqualTo("${aws_s3_object.functions_lambda-package-object_01BFEDCB.key}");
      assertThat(function.path("source_code_hash").asText())
          .isEqualTo("${filebase64sha256(var.lambda_package)}");
      handlers.put(
          function.at("/environment/variables/" + AwsContract.FUNCTION).asText(),
          function.path("handler").asText());
    }

    assertThat(handlers)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                AwsContract.HTTP, AwsContract.HTTP_HANDLER,
                AwsContract.S3, AwsContract.S3_HANDLER,
                AwsContract.SCHEDULE, AwsContract.SCHEDULE_HANDLER));
    assertThat(aws.root().at("/terraform/required_providers/aws/version").asText())
        .isEqualTo(AwsStack.AWS_PROVIDER_VERSION);
    assertThat(aws.root().at("/variable/lambda_package/default").asText())
        .isEqualTo(AwsContract.PACKAGE);
    JsonNode code = aws.resources("aws_s3_object").get(0);
    assertThat(code.path("source").asText()).isEqualTo("${var.lambda_package}");
    assertThat(code.path("source_hash").asText()).isEqualTo("${filemd5(var.lambda_package)}");
    assertThat(code.path("key").asText()).isEqualTo(AwsFunctions.PACKAGE_KEY);
  }

  @Test
  void functions_should_readOnlyTheAdaptersSettingNames_when_synthesized() {
    JsonNode schedule =
        aws.resource("aws_lambda_function", "functions/schedule").at("/environment/variables");

    assertThat(schedule.path(AwsContract.BUCKET).asText()).contains("aws_s3_bucket.storage_bucket");
    assertThat(schedule.path(AwsContract.MODELS).asText()).isEqualTo("iris,digits");
    assertThat(schedule.path(AwsContract.BATCH_JOB_QUEUE).asText()).contains("aws_batch_job_queue");
    assertThat(schedule.path(AwsContract.BATCH_JOB_DEFINITION).asText())
        .contains("aws_batch_job_definition");
    for (JsonNode function : aws.resources("aws_lambda_function")) {
      List<String> names = new ArrayList<>();
      function.at("/environment/variables").fieldNames().forEachRemaining(names::add);
      String kind = function.at("/environment/variables/" + AwsContract.FUNCTION).asText();
      List<String> expected = new ArrayList<>(AwsContract.names(kind));
      if (!kind.equals(AwsContract.HTTP)) {
        // the test config copies promotions to GCP (replication.awsToGcp)
        expected.addAll(AwsContract.replicaNames());
        expected.addAll(AwsContract.azureReplicaNames());
      }
      assertThat(names).as(kind).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  /**
   * Actions the service authorization reference lists with no resource types: their only resource
   * is "*".
   */
  private static final List<String> NO_RESOURCE_TYPES =
      List.of("batch:DescribeJobs", "sts:GetWebIdentityToken");

  @Test
  void rolePolicies_should_grantNoWildcardActionOrResource_when_synthesized() {
    for (JsonNode policy : aws.resources("aws_iam_role_policy")) {
      for (JsonNode statement : parse(policy.path("policy")).path("Statement")) {
        assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
        assertThat(texts(statement.path("Action")))
            .allSatisfy(action -> assertThat(action).doesNotContain("*"));
        if (NO_RESOURCE_TYPES.containsAll(texts(statement.path("Action")))) {
          // an action that takes no resource-level permission can be granted on "*" only
          assertThat(texts(statement.path("Resource"))).containsExactly("*");
          continue;
        }
        assertThat(texts(statement.path("Resource")))
            .allSatisfy(resource -> assertThat(resource).isNotEqualTo("*").doesNotEndWith(":*:*"));
      }
    }
  }

  @Test
  void httpFunction_should_readModelsAndWriteOnlyItsPayloadLogAndRollouts_when_synthesized() {
    Map<String, List<String>> http = grants("functions/http-policy");

    assertThat(http.get("s3:GetObject"))
        .containsExactlyInAnyOrder(
            BUCKET_ARN + "/models/*",
            BUCKET_ARN + "/candidates/*",
            BUCKET_ARN + "/rollouts/*",
            BUCKET_ARN + "/monitoring/*");
    // a rollout moves the production alias and removes the canary alias; never a package
    assertThat(http.get("s3:PutObject"))
        .containsExactlyInAnyOrder(
            BUCKET_ARN + "/payloads/*",
            BUCKET_ARN + "/rollouts/*",
            BUCKET_ARN + "/models/*/aliases/production");
    assertThat(http.get("s3:DeleteObject"))
        .containsExactly(BUCKET_ARN + "/models/*/aliases/canary");
    assertThat(http).doesNotContainKey("batch:SubmitJob");
  }

  @Test
  void objectFunction_should_writeOnlyItsOutputPrefixes_when_synthesized() {
    Map<String, List<String>> objects = grants("functions/s3-policy");

    assertThat(objects.get("s3:PutObject"))
        .containsExactlyInAnyOrder(
            BUCKET_ARN + "/predictions/*",
            BUCKET_ARN + "/evaluations/*",
            BUCKET_ARN + "/monitoring/*",
            BUCKET_ARN + "/payloads/*",
            BUCKET_ARN + "/failed/*",
            BUCKET_ARN + "/models/*",
            BUCKET_ARN + "/candidates/*",
            BUCKET_ARN + "/costs/*",
            // each promotion's copies to GCP, recorded (the test config replicates)
            BUCKET_ARN + "/replication/*");
    assertThat(objects.get("s3:GetObject")).contains(BUCKET_ARN + "/replication/*");
    assertThat(objects.get("s3:GetObject"))
        .doesNotContain(BUCKET_ARN + "/*", BUCKET_ARN + "/data/*");
    assertThat(objects.get("s3:DeleteObject")).containsExactly(BUCKET_ARN + "/failed/*");
    assertThat(objects.get("s3:GetObject")).contains(BUCKET_ARN + "/failed/*");
    assertThat(objects.get("sqs:SendMessage"))
        .containsExactly("${aws_sqs_queue.functions_dead-letters_9D8CE7F5.arn}");
  }

  @Test
  void scheduleFunction_should_submitOnlyToItsQueueAndDefinition_when_synthesized() {
    Map<String, List<String>> schedule = grants("functions/schedule-policy");

    assertThat(schedule.get("batch:SubmitJob"))
        .containsExactlyInAnyOrder(
            "${aws_batch_job_queue.training_queue_0C607C8C.arn}",
            "arn:aws:batch:us-east-1:${data.aws_caller_identity.account.account_id}:job-definition/"
                + "${aws_batch_job_definition.training_job-definition_50270C17.name}:*");
    // it asks whether a job still waits (DescribeJobs takes no resource), and withdraws none
    assertThat(schedule.get("batch:DescribeJobs")).containsExactly("*");
    assertThat(schedule.keySet())
        .noneMatch(action -> action.matches("batch:(Cancel|Terminate)Job"));
    // it writes only the claim and launch record of what it launched (found by the recorded-call
    // check) and its drift checks' reports, and deletes only a claim whose submission failed
    // (and, as the test config replicates to GCP, the copies' records it catches up)
    assertThat(schedule.get("s3:PutObject"))
        .containsExactlyInAnyOrder(
            BUCKET_ARN + "/candidates/*/launch.json",
            BUCKET_ARN + "/monitoring/*",
            BUCKET_ARN + "/replication/*");
    assertThat(schedule.get("s3:GetObject"))
        .containsExactlyInAnyOrder(
            BUCKET_ARN + "/data/*",
            BUCKET_ARN + "/models/*",
            BUCKET_ARN + "/payloads/*",
            BUCKET_ARN + "/costs/*",
            BUCKET_ARN + "/candidates/*/launch.json",
            BUCKET_ARN + "/replication/*");
    assertThat(schedule.get("s3:DeleteObject"))
        .containsExactly(BUCKET_ARN + "/candidates/*/launch.json");
  }

  @Test
  void jobRole_should_readDataAndWriteCandidatesOnly_when_synthesized() {
    Map<String, List<String>> job = grants("training/job-policy");

    assertThat(job).containsOnlyKeys("s3:GetObject", "s3:PutObject", "s3:ListBucket");
    // data, and the checkpoint a retried job resumes from (a 404 when absent needs the listing)
    assertThat(job.get("s3:GetObject"))
        .containsExactlyInAnyOrder(
            BUCKET_ARN + "/data/*", BUCKET_ARN + "/candidates/*/checkpoint.bin");
    assertThat(job.get("s3:PutObject")).containsExactly(BUCKET_ARN + "/candidates/*");
  }

  /**
   * S3's rule for a key that does not exist: HeadObject and GetObject answer 404 only when the
   * caller is allowed {@code s3:ListBucket} on the bucket, else 403. The request for one object
   * carries no {@code s3:prefix}, so only an unconditioned ListBucket counts: every function role
   * that reads objects must have one, or "absent" (an alias before the first promotion, a
   * candidate's rejected.json, a failure record) becomes an access error.
   */
  @Test
  void readingRoles_should_beAllowedListBucketWithoutCondition_when_missingKeysMustAnswer404() {
    for (String role :
        List.of("functions/http-policy", "functions/s3-policy", "functions/schedule-policy")) {
      JsonNode policy = parse(aws.resource("aws_iam_role_policy", role).path("policy"));
      boolean readsObjects = false;
      boolean listsForA404 = false;
      for (JsonNode statement : policy.path("Statement")) {
        List<String> actions = texts(statement.path("Action"));
        readsObjects |= actions.contains("s3:GetObject");
        if (actions.contains("s3:ListBucket")
            && statement.path("Condition").isMissingNode()
            && texts(statement.path("Resource")).contains(BUCKET_ARN)) {
          listsForA404 = true;
        }
      }
      assertThat(readsObjects).as(role).isTrue();
      assertThat(listsForA404).as("%s: a missing key answers 404, not 403", role).isTrue();
    }
  }

  @Test
  void notifications_should_coverUploadsLabelsAndCandidateManifests_when_synthesized() {
    JsonNode notification = aws.resource("aws_s3_bucket_notification", "functions/object-created");
    Map<String, String> suffixByPrefix = new TreeMap<>();
    for (JsonNode rule : notification.path("lambda_function")) {
      assertThat(texts(rule.path("events"))).containsExactly("s3:ObjectCreated:*");
      suffixByPrefix.put(
          rule.path("filter_prefix").asText(), rule.path("filter_suffix").asText(""));
    }

    assertThat(suffixByPrefix)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("incoming/", "", "labelled/", "", "candidates/", "manifest.json"));
    assertThat(
            aws.resource("aws_lambda_permission", "functions/s3-invoke").path("principal").asText())
        .isEqualTo("s3.amazonaws.com");
  }

  @Test
  void schedule_should_tickOnTheConfiguredCronInEventBridgeForm_when_synthesized() {
    assertThat(
            aws.resource("aws_cloudwatch_event_rule", "schedule/retrain")
                .path("schedule_expression")
                .asText())
        .isEqualTo("cron(30 2 ? * 2-6 *)");
  }

  @Test
  void asyncFunctions_should_sendFailedEventsToTheEncryptedDeadLetterQueue_when_synthesized() {
    JsonNode queue = aws.resource("aws_sqs_queue", "functions/dead-letters");

    assertThat(queue.path("sqs_managed_sse_enabled").asBoolean()).isTrue();
    for (String kind : List.of("s3", "schedule")) {
      assertThat(
              aws.resource("aws_lambda_function", "functions/" + kind)
                  .at("/dead_letter_config/target_arn")
                  .asText())
          .isEqualTo("${aws_sqs_queue.functions_dead-letters_9D8CE7F5.arn}");
    }
  }

  @Test
  void httpFunction_should_requireSignedRequests_when_exposed() {
    assertThat(
            aws.resource("aws_lambda_function_url", "functions/http-url")
                .path("authorization_type")
                .asText())
        .isEqualTo("AWS_IAM");
  }

  @Test
  void httpFunction_should_serveItsSnapStartVersionThroughTheLiveAlias_when_exposed() {
    JsonNode http = aws.resource("aws_lambda_function", "functions/http");
    JsonNode alias = aws.resource("aws_lambda_alias", "functions/http-live");
    JsonNode url = aws.resource("aws_lambda_function_url", "functions/http-url");

    assertThat(http.path("publish").asBoolean()).isTrue();
    assertThat(http.at("/snap_start/apply_on").asText()).isEqualTo("PublishedVersions");
    assertThat(alias.path("name").asText()).isEqualTo(AwsFunctions.HTTP_ALIAS);
    assertThat(alias.path("function_version").asText())
        .isEqualTo("${aws_lambda_function.functions_http_C046A842.version}");
    assertThat(url.path("qualifier").asText()).startsWith("${aws_lambda_alias.functions_http-live");
    // the event functions are invoked asynchronously on $LATEST: no snapshot there
    assertThat(aws.resource("aws_lambda_function", "functions/s3").has("snap_start")).isFalse();
  }

  @Test
  void gpuNodes_should_getNoPublicIp_when_theDefaultVpcIsUsed() {
    JsonNode resources =
        aws.resource("aws_batch_compute_environment", "training/gpu-environment")
            .path("compute_resources");
    List<JsonNode> subnets = aws.resources("aws_subnet");

    assertThat(subnets).hasSize(2);
    List<String> ids = new ArrayList<>();
    for (Map.Entry<String, JsonNode> subnet : aws.root().at("/resource/aws_subnet").properties()) {
      assertThat(subnet.getValue().path("map_public_ip_on_launch").asBoolean(true)).isFalse();
      ids.add("${aws_subnet." + subnet.getKey() + ".id}");
    }
    // the nodes go into the private subnets only
    assertThat(texts(resources.path("subnets"))).containsExactlyInAnyOrderElementsOf(ids);
    // whose one way out is the NAT gateway, placed in a default (public) subnet
    JsonNode route = aws.resource("aws_route", "training/node-network/out");
    assertThat(route.path("destination_cidr_block").asText()).isEqualTo("0.0.0.0/0");
    assertThat(route.path("nat_gateway_id").asText()).startsWith("${aws_nat_gateway.");
    assertThat(aws.resources("aws_nat_gateway").get(0).path("subnet_id").asText())
        .contains("data.aws_subnets.training_default-subnets");
    assertThat(aws.root().at("/data/aws_subnets").toString()).contains("default-for-az");
  }

  @Test
  void computeEnvironment_should_useSpotGpusAndScaleToZero_when_spotIsConfigured() {
    JsonNode resources =
        aws.resource("aws_batch_compute_environment", "training/gpu-environment")
            .path("compute_resources");

    assertThat(resources.path("type").asText()).isEqualTo("SPOT");
    assertThat(resources.path("allocation_strategy").asText()).isEqualTo("SPOT_CAPACITY_OPTIMIZED");
    // g4dn.12xlarge: the one instance with four T4s; 48 vCPUs each, three at most
    assertThat(texts(resources.path("instance_type"))).containsExactly("g4dn.12xlarge");
    assertThat(resources.path("min_vcpus").asInt()).isZero();
    assertThat(resources.path("max_vcpus").asInt()).isEqualTo(48 * 3);
    assertThat(resources.at("/ec2_configuration/0/image_type").asText())
        .isEqualTo("ECS_AL2_NVIDIA");
  }

  @Test
  void jobDefinition_should_requireGpusRetryAndTimeOut_when_synthesized() {
    JsonNode definition = aws.resource("aws_batch_job_definition", "training/job-definition");
    JsonNode container = parse(definition.path("container_properties"));
    Map<String, String> requirements = new TreeMap<>();
    container
        .path("resourceRequirements")
        .forEach(r -> requirements.put(r.path("type").asText(), r.path("value").asText()));

    assertThat(requirements)
        .containsEntry("GPU", "4")
        .containsEntry("VCPU", "8")
        .containsEntry("MEMORY", "60000");
    // no command and no Ref:: parameters: AwsBatchLauncher's command override carries the trainer's
    // arguments
    assertThat(container.has("command")).isFalse();
    assertThat(definition.has("parameters")).isFalse();
    assertThat(container.path("image").asText()).endsWith(":1.2.3");
    assertThat(definition.at("/retry_strategy/attempts").asInt()).isEqualTo(4);
    assertThat(definition.at("/timeout/attempt_duration_seconds").asInt()).isEqualTo(90 * 60);
  }

  @Test
  void trainerRepository_should_beImmutableAndScanned_when_synthesized() {
    JsonNode repository = aws.resource("aws_ecr_repository", "training/trainer-repository");

    assertThat(repository.path("image_tag_mutability").asText()).isEqualTo("IMMUTABLE");
    assertThat(repository.at("/image_scanning_configuration/scan_on_push").asBoolean()).isTrue();
  }

  @Test
  void logGroups_should_keepLogsForTheConfiguredDays_when_synthesized() {
    assertThat(aws.resources("aws_cloudwatch_log_group"))
        .hasSize(4)
        .allSatisfy(group -> assertThat(group.path("retention_in_days").asInt()).isEqualTo(14));
  }

  @Test
  void alerts_should_emailTheConfiguredAddress_when_synthesized() {
    assertThat(aws.resource("aws_sns_topic_subscription", "alerts/email").path("endpoint").asText())
        .isEqualTo("alerts@example.org");
  }

  /** Action to resources, over every Allow statement of one role policy. */
  private static Map<String, List<String>> grants(String policyPath) {
    Map<String, List<String>> grants = new TreeMap<>();
    for (JsonNode statement :
        parse(aws.resource("aws_iam_role_policy", policyPath).path("policy")).path("Statement")) {
      for (String action : texts(statement.path("Action"))) {
        grants
            .computeIfAbsent(action, a -> new ArrayList<>())
            .addAll(texts(statement.path("Resource")));
      }
    }
    return grants;
  }

  @Test
  void s3InvokePermission_should_nameTheAccount_when_bucketNamesAreGlobal() {
    JsonNode permission = aws.resource("aws_lambda_permission", "functions/s3-invoke");

    assertThat(permission.path("source_account").asText()).isNotBlank();
    assertThat(permission.path("source_arn").asText()).contains("aws_s3_bucket");
  }

  @Test
  void batchNodes_should_requireImdsV2_when_launched() {
    JsonNode template = aws.resource("aws_launch_template", "training/gpu-nodes");
    JsonNode environment =
        aws.resource("aws_batch_compute_environment", "training/gpu-environment");

    assertThat(template.at("/metadata_options/http_tokens").asText()).isEqualTo("required");
    assertThat(template.at("/metadata_options/http_put_response_hop_limit").asInt()).isEqualTo(2);
    assertThat(environment.at("/compute_resources/launch_template/launch_template_id").asText())
        .contains("aws_launch_template.");
  }

  @Test
  void alertTopic_should_beEncryptedWithAKeyAlarmsMayUse_when_synthesized() {
    JsonNode topic = aws.resource("aws_sns_topic", "alerts/topic");
    JsonNode key = aws.resource("aws_kms_key", "alerts/topic-key");

    assertThat(topic.path("kms_master_key_id").asText()).contains("aws_kms_key.");
    assertThat(key.path("enable_key_rotation").asBoolean()).isTrue();
    assertThat(key.path("policy").asText())
        .contains("cloudwatch.amazonaws.com", "events.amazonaws.com", "kms:GenerateDataKey*");
  }
}
