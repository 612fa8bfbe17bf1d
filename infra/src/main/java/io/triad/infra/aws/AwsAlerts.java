package io.triad.infra.aws;

import com.hashicorp.cdktf.providers.aws.cloudwatch_event_rule.CloudwatchEventRule;
import com.hashicorp.cdktf.providers.aws.cloudwatch_event_rule.CloudwatchEventRuleConfig;
import com.hashicorp.cdktf.providers.aws.cloudwatch_event_target.CloudwatchEventTarget;
import com.hashicorp.cdktf.providers.aws.cloudwatch_event_target.CloudwatchEventTargetConfig;
import com.hashicorp.cdktf.providers.aws.cloudwatch_metric_alarm.CloudwatchMetricAlarm;
import com.hashicorp.cdktf.providers.aws.cloudwatch_metric_alarm.CloudwatchMetricAlarmConfig;
import com.hashicorp.cdktf.providers.aws.kms_key.KmsKey;
import com.hashicorp.cdktf.providers.aws.kms_key.KmsKeyConfig;
import com.hashicorp.cdktf.providers.aws.sns_topic.SnsTopic;
import com.hashicorp.cdktf.providers.aws.sns_topic.SnsTopicConfig;
import com.hashicorp.cdktf.providers.aws.sns_topic_policy.SnsTopicPolicy;
import com.hashicorp.cdktf.providers.aws.sns_topic_policy.SnsTopicPolicyConfig;
import com.hashicorp.cdktf.providers.aws.sns_topic_subscription.SnsTopicSubscription;
import com.hashicorp.cdktf.providers.aws.sns_topic_subscription.SnsTopicSubscriptionConfig;
import io.triad.infra.Json;
import io.triad.infra.config.TriadConfig;
import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/** Email on a failed training job and on any event that reached the dead-letter queue. */
final class AwsAlerts extends Construct {

  AwsAlerts(
      Construct scope,
      String id,
      TriadConfig config,
      AwsFunctions functions,
      AwsTraining training,
      String accountId) {
    super(scope, id);
    // Encrypted with a key of the stack's own: CloudWatch alarms and EventBridge cannot publish to
    // a topic under the AWS-managed SNS key, whose policy cannot name them; this one does.
    KmsKey key =
        new KmsKey(
            this,
            "topic-key",
            KmsKeyConfig.builder()
                .description("Encrypts " + config.project() + "'s alert topic")
                .enableKeyRotation(true)
                .deletionWindowInDays(7)
                .policy(
                    Json.render(
                        Map.of(
                            "Version",
                            "2012-10-17",
                            "Statement",
                            List.of(
                                Map.of(
                                    "Sid", "AccountAdministersTheKey",
                                    "Effect", "Allow",
                                    "Principal",
                                        Map.of("AWS", "arn:aws:iam::" + accountId + ":root"),
                                    "Action", "kms:*",
                                    "Resource", "*"),
                                Map.of(
                                    "Sid", "AlarmsAndRulesPublish",
                                    "Effect", "Allow",
                                    "Principal",
                                        Map.of(
                                            "Service",
                                            List.of(
                                                "cloudwatch.amazonaws.com",
                                                "events.amazonaws.com")),
                                    "Action", List.of("kms:Decrypt", "kms:GenerateDataKey*"),
                                    "Resource", "*")))))
                .build());
    SnsTopic topic =
        new SnsTopic(
            this,
            "topic",
            SnsTopicConfig.builder()
                .name(config.project() + "-alerts")
                .kmsMasterKeyId(key.getArn())
                .build());
    new SnsTopicSubscription(
        this,
        "email",
        SnsTopicSubscriptionConfig.builder()
            .topicArn(topic.getArn())
            .protocol("email")
            .endpoint(config.alertEmail())
            .build());

    CloudwatchMetricAlarm deadLetters =
        new CloudwatchMetricAlarm(
            this,
            "dead-letters",
            CloudwatchMetricAlarmConfig.builder()
                .alarmName(config.project() + "-dead-letters")
                .alarmDescription("An upload or tick failed every retry; see the dead-letter queue")
                .namespace("AWS/SQS")
                .metricName("ApproximateNumberOfMessagesVisible")
                .dimensions(Map.of("QueueName", functions.deadLetterName()))
                .statistic("Maximum")
                .period(300)
                .evaluationPeriods(1)
                .threshold(0)
                .comparisonOperator("GreaterThanThreshold")
                .alarmActions(List.of(topic.getArn()))
                .build());

    CloudwatchEventRule failedJobs =
        new CloudwatchEventRule(
            this,
            "failed-jobs",
            CloudwatchEventRuleConfig.builder()
                .name(config.project() + "-training-failed")
                .eventPattern(
                    json(
                        Map.of(
                            "source", List.of("aws.batch"),
                            "detail-type", List.of("Batch Job State Change"),
                            "detail",
                                Map.of(
                                    "status",
                                    List.of("FAILED"),
                                    "jobQueue",
                                    List.of(training.queueArn())))))
                .build());
    new CloudwatchEventTarget(
        this,
        "failed-jobs-target",
        CloudwatchEventTargetConfig.builder()
            .rule(failedJobs.getName())
            .arn(topic.getArn())
            .build());
    new SnsTopicPolicy(
        this,
        "publishers",
        SnsTopicPolicyConfig.builder()
            .arn(topic.getArn())
            .policy(
                json(
                    Map.of(
                        "Version",
                        "2012-10-17",
                        "Statement",
                        List.of(
                            publisher(
                                "FailedJobs",
                                "events.amazonaws.com",
                                topic.getArn(),
                                failedJobs.getArn()),
                            publisher(
                                "DeadLetterAlarm",
                                "cloudwatch.amazonaws.com",
                                topic.getArn(),
                                deadLetters.getArn())))))
            .build());
  }

  private static Map<String, Object> publisher(
      String sid, String service, String topic, String source) {
    return Map.of(
        "Sid",
        sid,
        "Effect",
        "Allow",
        "Principal",
        Map.of("Service", service),
        "Action",
        "sns:Publish",
        "Resource",
        topic,
        "Condition",
        Map.of("ArnEquals", Map.of("aws:SourceArn", source)));
  }

  private static String json(Object value) {
    return Json.render(value);
  }
}
