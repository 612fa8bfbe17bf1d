package io.triad.infra.aws;

import com.hashicorp.cdktf.providers.aws.cloudwatch_event_rule.CloudwatchEventRule;
import com.hashicorp.cdktf.providers.aws.cloudwatch_event_rule.CloudwatchEventRuleConfig;
import com.hashicorp.cdktf.providers.aws.cloudwatch_event_target.CloudwatchEventTarget;
import com.hashicorp.cdktf.providers.aws.cloudwatch_event_target.CloudwatchEventTargetConfig;
import com.hashicorp.cdktf.providers.aws.lambda_function.LambdaFunction;
import com.hashicorp.cdktf.providers.aws.lambda_permission.LambdaPermission;
import com.hashicorp.cdktf.providers.aws.lambda_permission.LambdaPermissionConfig;
import io.triad.infra.config.TriadConfig;
import software.constructs.Construct;

/**
 * The retraining tick: one EventBridge rule on the configured cron (UTC) invoking the schedule
 * function, which launches a training job per model in {@code TRIAD_CATALOG}.
 */
final class AwsSchedule extends Construct {

  AwsSchedule(Construct scope, String id, TriadConfig config, LambdaFunction target) {
    super(scope, id);
    CloudwatchEventRule rule =
        new CloudwatchEventRule(
            this,
            "retrain",
            CloudwatchEventRuleConfig.builder()
                .name(config.project() + "-retrain")
                .description("Triad retraining tick (" + config.retrainCron().unix() + " UTC)")
                .scheduleExpression(config.retrainCron().eventBridge())
                .build());
    new CloudwatchEventTarget(
        this,
        "retrain-target",
        CloudwatchEventTargetConfig.builder().rule(rule.getName()).arn(target.getArn()).build());
    new LambdaPermission(
        this,
        "retrain-invoke",
        LambdaPermissionConfig.builder()
            .statementId("AllowRetrainTick")
            .action("lambda:InvokeFunction")
            .functionName(target.getFunctionName())
            .principal("events.amazonaws.com")
            .sourceArn(rule.getArn())
            .build());
  }
}
