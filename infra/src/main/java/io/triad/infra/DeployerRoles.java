package io.triad.infra;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What whoever runs {@code terraform apply} must be allowed, per cloud: for each kind of resource
 * or data source the stacks make, the permission it takes. {@code DeployerRolesTest} holds every
 * type in the synthesized stacks to an entry here and the README's list to these entries.
 */
public final class DeployerRoles {
  private DeployerRoles() {}

  /** By resource type prefix (the longest prefix wins); values as the README lists them. */
  public static Map<String, String> of(Cloud cloud) {
    Map<String, String> roles = new LinkedHashMap<>();
    switch (cloud) {
      case AWS -> {
        roles.put(
            "aws_s3_",
            "s3:* on the stack's bucket (create, policy, encryption, notifications, the Lambda"
                + " package under code/)");
        roles.put("aws_iam_", "iam: roles, inline policies, instance profiles, and iam:PassRole");
        roles.put("aws_lambda_", "lambda: functions, URLs, permissions, event invoke configs");
        roles.put("aws_sqs_", "sqs: the dead-letter queue");
        roles.put("aws_cloudwatch_event_", "events: the retraining rule and targets");
        roles.put("aws_cloudwatch_log_group", "logs: log groups and their retention");
        roles.put("aws_cloudwatch_metric_alarm", "cloudwatch: metric alarms");
        roles.put("aws_batch_", "batch: compute environment, job queue, job definition");
        roles.put("aws_ecr_", "ecr: the trainer repository");
        roles.put(
            "aws_launch_template",
            "ec2: launch templates, security groups, subnets, route tables, NAT gateways and"
                + " Elastic IPs; describe VPCs, subnets and zones");
        for (String type :
            List.of(
                "aws_security_group",
                "aws_vpc",
                "aws_subnet",
                "aws_eip",
                "aws_nat_gateway",
                "aws_route",
                "aws_availability_zones")) {
          roles.put(type, roles.get("aws_launch_template"));
        }
        roles.put("aws_kms_", "kms: create the alert topic's key and set its policy");
        roles.put("aws_sns_", "sns: the alert topic, its policy and subscription");
        roles.put("aws_secretsmanager_", "secretsmanager: create the signing-key secret");
        roles.put("aws_caller_identity", "sts:GetCallerIdentity");
        roles.put(
            "aws_budgets_", "budgets:ModifyBudget and budgets:ViewBudget: the monthly budget");
      }
      case AZURE -> {
        roles.put(
            "azurerm_", "Contributor on the subscription (the stack makes its resource group)");
        roles.put(
            "azurerm_role_",
            "User Access Administrator (or Role Based Access Control Administrator) on the"
                + " subscription: role definitions and assignments");
        roles.put("azurerm_client_config", "any signed-in principal");
      }
      case GCP -> {
        roles.put("google_project_service", "roles/serviceusage.serviceUsageAdmin");
        roles.put("google_storage_", "roles/storage.admin");
        roles.put("google_artifact_registry_", "roles/artifactregistry.admin");
        roles.put(
            "google_cloudfunctions2_",
            "roles/cloudfunctions.admin and roles/iam.serviceAccountUser (functions run as the"
                + " stack's accounts)");
        roles.put("google_cloud_run_", "roles/run.admin");
        roles.put("google_cloud_scheduler_", "roles/cloudscheduler.admin");
        roles.put("google_pubsub_", "roles/pubsub.admin");
        roles.put("google_monitoring_", "roles/monitoring.editor");
        roles.put("google_logging_", "roles/logging.configWriter: the log-based metrics");
        roles.put("google_project_iam_", "roles/resourcemanager.projectIamAdmin");
        roles.put("google_service_account", "roles/iam.serviceAccountAdmin");
        roles.put(
            "google_iam_workload_identity_pool",
            "roles/iam.workloadIdentityPoolAdmin: the pool and provider another cloud's replica"
                + " writers exchange their tokens at");
        roles.put("google_secret_manager_", "roles/secretmanager.admin");
        roles.put(
            "google_billing_budget",
            "roles/billing.costsManager on the billing account: the monthly budget");
        roles.put("google_project", "roles/browser: read the project's number");
        roles.put("google_compute_", "roles/compute.networkAdmin: the job VMs' network and subnet");
      }
    }
    return roles;
  }

  /** The permission a resource type takes, by its longest matching prefix. */
  public static Optional<String> forType(Cloud cloud, String type) {
    return of(cloud).entrySet().stream()
        .filter(e -> type.startsWith(e.getKey()))
        .max((a, b) -> Integer.compare(a.getKey().length(), b.getKey().length()))
        .map(Map.Entry::getValue);
  }
}
