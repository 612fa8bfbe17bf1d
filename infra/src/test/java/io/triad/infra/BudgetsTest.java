package io.triad.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each stack carries the monthly budget of triad-test.yaml (1200 USD) with its three alerts. */
class BudgetsTest {

  @Test
  void aws_should_budgetTheProjectsTagWithActualAndForecastAlerts() {
    JsonNode budget =
        SynthesizedStack.of(Cloud.AWS).resource("aws_budgets_budget", "budget/monthly");

    assertThat(budget.path("limit_amount").asText()).isEqualTo("1200");
    assertThat(budget.path("limit_unit").asText()).isEqualTo("USD");
    assertThat(budget.path("time_unit").asText()).isEqualTo("MONTHLY");
    assertThat(budget.at("/cost_filter/0/name").asText()).isEqualTo("TagKeyValue");
    assertThat(SynthesizedStack.texts(budget.at("/cost_filter/0/values")))
        .containsExactly("user:project$triad-test");
    List<String> alerts = new ArrayList<>();
    budget
        .path("notification")
        .forEach(
            n -> {
              assertThat(SynthesizedStack.texts(n.path("subscriber_email_addresses")))
                  .containsExactly("alerts@example.org");
              alerts.add(n.path("notification_type").asText() + " " + n.path("threshold").asInt());
            });
    assertThat(alerts).containsExactly("ACTUAL 50", "ACTUAL 90", "FORECASTED 100");
  }

  @Test
  void azure_should_budgetTheResourceGroupFromTheMonthItIsMadeIn() {
    List<JsonNode> budgets =
        SynthesizedStack.of(Cloud.AZURE).resources("azurerm_consumption_budget_resource_group");

    assertThat(budgets).hasSize(1);
    JsonNode budget = budgets.get(0);
    assertThat(budget.path("amount").asInt()).isEqualTo(1200);
    assertThat(budget.path("time_grain").asText()).isEqualTo("Monthly");
    assertThat(budget.path("resource_group_id").asText()).startsWith("${azurerm_resource_group.");
    // the first of the month it is created in; Terraform does not move it afterwards
    assertThat(budget.at("/time_period/start_date").asText()).contains("formatdate(\"YYYY-MM-01");
    assertThat(SynthesizedStack.texts(budget.at("/lifecycle/ignore_changes")))
        .containsExactly("time_period");
    List<String> alerts = new ArrayList<>();
    budget
        .path("notification")
        .forEach(
            n -> {
              assertThat(SynthesizedStack.texts(n.path("contact_emails")))
                  .containsExactly("alerts@example.org");
              alerts.add(n.path("threshold_type").asText() + " " + n.path("threshold").asInt());
            });
    assertThat(alerts).containsExactly("Actual 50", "Actual 90", "Forecasted 100");
  }

  @Test
  void gcp_should_budgetTheProjectOnItsBillingAccountAfterTheApiIsOn() {
    SynthesizedStack gcp = SynthesizedStack.of(Cloud.GCP);
    JsonNode budget = gcp.resource("google_billing_budget", "budget/monthly");

    assertThat(budget.path("billing_account").asText()).isEqualTo("0A1B2C-3D4E5F-607182");
    assertThat(budget.at("/amount/specified_amount/units").asText()).isEqualTo("1200");
    assertThat(budget.at("/amount/specified_amount/currency_code").asText()).isEqualTo("USD");
    assertThat(SynthesizedStack.texts(budget.at("/budget_filter/projects")))
        .singleElement()
        .asString()
        .startsWith("projects/${data.google_project.budget_project");
    List<String> rules = new ArrayList<>();
    budget
        .path("threshold_rules")
        .forEach(
            r ->
                rules.add(
                    r.path("spend_basis").asText() + " " + r.path("threshold_percent").asDouble()));
    assertThat(rules)
        .containsExactly("CURRENT_SPEND 0.5", "CURRENT_SPEND 0.9", "FORECASTED_SPEND 1.0");
    assertThat(
            SynthesizedStack.texts(budget.at("/all_updates_rule/monitoring_notification_channels")))
        .singleElement()
        .asString()
        .startsWith("${google_monitoring_notification_channel.alerts_email");
    assertThat(SynthesizedStack.texts(budget.path("depends_on")))
        .contains("${google_project_service.api-billingbudgets}");
  }
}
