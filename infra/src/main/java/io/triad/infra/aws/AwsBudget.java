package io.triad.infra.aws;

import com.hashicorp.cdktf.providers.aws.budgets_budget.BudgetsBudget;
import com.hashicorp.cdktf.providers.aws.budgets_budget.BudgetsBudgetConfig;
import com.hashicorp.cdktf.providers.aws.budgets_budget.BudgetsBudgetCostFilter;
import com.hashicorp.cdktf.providers.aws.budgets_budget.BudgetsBudgetNotification;
import io.triad.infra.config.TriadConfig;
import java.util.List;
import software.constructs.Construct;

/**
 * The project's monthly AWS Budgets cost budget: what carries the provider's {@code project} tag
 * (every resource of the stack), with an email at 50% and 90% of actual spend and at 100% of
 * forecast spend. The tag must be activated once as a cost allocation tag (README, deploy steps).
 */
final class AwsBudget extends Construct {

  AwsBudget(Construct scope, String id, TriadConfig config) {
    super(scope, id);
    List<String> email = List.of(config.alertEmail());
    new BudgetsBudget(
        this,
        "monthly",
        BudgetsBudgetConfig.builder()
            .name(config.project() + "-monthly")
            .budgetType("COST")
            .limitAmount(String.valueOf(config.cost().monthlyBudgetUsd()))
            .limitUnit("USD")
            .timeUnit("MONTHLY")
            .costFilter(
                List.of(
                    BudgetsBudgetCostFilter.builder()
                        .name("TagKeyValue")
                        .values(List.of("user:project$" + config.project()))
                        .build()))
            .notification(
                List.of(
                    notification("ACTUAL", 50, email),
                    notification("ACTUAL", 90, email),
                    notification("FORECASTED", 100, email)))
            .build());
  }

  private static BudgetsBudgetNotification notification(
      String type, int percent, List<String> email) {
    return BudgetsBudgetNotification.builder()
        .notificationType(type)
        .comparisonOperator("GREATER_THAN")
        .threshold(percent)
        .thresholdType("PERCENTAGE")
        .subscriberEmailAddresses(email)
        .build();
  }
}
