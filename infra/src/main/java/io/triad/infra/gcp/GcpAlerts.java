package io.triad.infra.gcp;

import com.hashicorp.cdktf.providers.google.monitoring_alert_policy.MonitoringAlertPolicy;
import com.hashicorp.cdktf.providers.google.monitoring_alert_policy.MonitoringAlertPolicyAlertStrategy;
import com.hashicorp.cdktf.providers.google.monitoring_alert_policy.MonitoringAlertPolicyAlertStrategyNotificationRateLimit;
import com.hashicorp.cdktf.providers.google.monitoring_alert_policy.MonitoringAlertPolicyConditions;
import com.hashicorp.cdktf.providers.google.monitoring_alert_policy.MonitoringAlertPolicyConditionsConditionMatchedLog;
import com.hashicorp.cdktf.providers.google.monitoring_alert_policy.MonitoringAlertPolicyConditionsConditionThreshold;
import com.hashicorp.cdktf.providers.google.monitoring_alert_policy.MonitoringAlertPolicyConditionsConditionThresholdAggregations;
import com.hashicorp.cdktf.providers.google.monitoring_alert_policy.MonitoringAlertPolicyConfig;
import com.hashicorp.cdktf.providers.google.monitoring_notification_channel.MonitoringNotificationChannel;
import com.hashicorp.cdktf.providers.google.monitoring_notification_channel.MonitoringNotificationChannelConfig;
import io.triad.infra.config.TriadConfig;
import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/** Email on function server errors and on a failed training job. */
final class GcpAlerts extends Construct {

  private final MonitoringNotificationChannel email;

  GcpAlerts(Construct scope, String id, TriadConfig config) {
    super(scope, id);
    email =
        new MonitoringNotificationChannel(
            this,
            "email",
            MonitoringNotificationChannelConfig.builder()
                .displayName(config.project() + " alerts")
                .type("email")
                .labels(Map.of("email_address", config.alertEmail()))
                .build());
    new MonitoringAlertPolicy(
        this,
        "function-errors",
        MonitoringAlertPolicyConfig.builder()
            .displayName(config.project() + " function errors")
            .combiner("OR")
            .notificationChannels(List.of(email.getName()))
            .conditions(
                List.of(
                    MonitoringAlertPolicyConditions.builder()
                        .displayName("5xx from a Triad function")
                        .conditionThreshold(
                            MonitoringAlertPolicyConditionsConditionThreshold.builder()
                                .filter(
                                    "resource.type = \"cloud_run_revision\" AND resource.labels.service_name = starts_with(\""
                                        + config.project()
                                        + "-\") AND metric.type = \"run.googleapis.com/request_count\" AND "
                                        + "metric.labels.response_code_class = \"5xx\"")
                                .comparison("COMPARISON_GT")
                                .thresholdValue(0)
                                .duration("0s")
                                .aggregations(
                                    List.of(
                                        MonitoringAlertPolicyConditionsConditionThresholdAggregations
                                            .builder()
                                            .alignmentPeriod("300s")
                                            .perSeriesAligner("ALIGN_SUM")
                                            .build()))
                                .build())
                        .build()))
            .build());
    new MonitoringAlertPolicy(
        this,
        "failed-jobs",
        MonitoringAlertPolicyConfig.builder()
            .displayName(config.project() + " training failed")
            .combiner("OR")
            .notificationChannels(List.of(email.getName()))
            .conditions(
                List.of(
                    MonitoringAlertPolicyConditions.builder()
                        .displayName("A Triad Batch job failed")
                        .conditionMatchedLog(
                            MonitoringAlertPolicyConditionsConditionMatchedLog.builder()
                                .filter(
                                    "resource.type=\"batch.googleapis.com/Job\" AND severity>=ERROR")
                                .build())
                        .build()))
            // Log-match alerts must say how often they may notify.
            .alertStrategy(
                MonitoringAlertPolicyAlertStrategy.builder()
                    .notificationRateLimit(
                        MonitoringAlertPolicyAlertStrategyNotificationRateLimit.builder()
                            .period("3600s")
                            .build())
                    .build())
            .build());
  }

  /** The email channel's name, for other alerts (the budget) to notify. */
  String emailChannel() {
    return email.getName();
  }
}
