package io.triad.infra.gcp;

import com.hashicorp.cdktf.providers.google.billing_budget.BillingBudget;
import com.hashicorp.cdktf.providers.google.billing_budget.BillingBudgetAllUpdatesRule;
import com.hashicorp.cdktf.providers.google.billing_budget.BillingBudgetAmount;
import com.hashicorp.cdktf.providers.google.billing_budget.BillingBudgetAmountSpecifiedAmount;
import com.hashicorp.cdktf.providers.google.billing_budget.BillingBudgetBudgetFilter;
import com.hashicorp.cdktf.providers.google.billing_budget.BillingBudgetConfig;
import com.hashicorp.cdktf.providers.google.billing_budget.BillingBudgetThresholdRules;
import com.hashicorp.cdktf.providers.google.data_google_project.DataGoogleProject;
import com.hashicorp.cdktf.providers.google.data_google_project.DataGoogleProjectConfig;
import io.triad.infra.config.TriadConfig;
import java.util.List;
import software.constructs.Construct;

/**
 * The project's monthly Cloud Billing budget on {@code gcp.billingAccount}, filtered to the
 * project: emails (through the alert channel) at 50% and 90% of actual spend and 100% of forecast.
 * The billing account's currency must be USD, the budget's.
 */
final class GcpBudget extends Construct {

  GcpBudget(Construct scope, String id, TriadConfig config, String emailChannel) {
    super(scope, id);
    // the budget filter names the project by number
    DataGoogleProject project =
        new DataGoogleProject(
            this,
            "project",
            DataGoogleProjectConfig.builder().projectId(config.gcp().project()).build());
    new BillingBudget(
        this,
        "monthly",
        BillingBudgetConfig.builder()
            .billingAccount(config.gcp().billingAccount())
            .displayName(config.project() + "-monthly")
            .budgetFilter(
                BillingBudgetBudgetFilter.builder()
                    .projects(List.of("projects/" + project.getNumber()))
                    .build())
            .amount(
                BillingBudgetAmount.builder()
                    .specifiedAmount(
                        BillingBudgetAmountSpecifiedAmount.builder()
                            .currencyCode("USD")
                            .units(String.valueOf(config.cost().monthlyBudgetUsd()))
                            .build())
                    .build())
            .thresholdRules(
                List.of(
                    rule(0.5, "CURRENT_SPEND"),
                    rule(0.9, "CURRENT_SPEND"),
                    rule(1.0, "FORECASTED_SPEND")))
            .allUpdatesRule(
                BillingBudgetAllUpdatesRule.builder()
                    .monitoringNotificationChannels(List.of(emailChannel))
                    .disableDefaultIamRecipients(false)
                    .build())
            .build());
  }

  private static BillingBudgetThresholdRules rule(double percent, String basis) {
    return BillingBudgetThresholdRules.builder()
        .thresholdPercent(percent)
        .spendBasis(basis)
        .build();
  }
}
