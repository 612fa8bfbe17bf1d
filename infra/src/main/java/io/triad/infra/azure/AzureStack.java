package io.triad.infra.azure;

import com.hashicorp.cdktf.TerraformOutput;
import com.hashicorp.cdktf.TerraformOutputConfig;
import com.hashicorp.cdktf.TerraformStack;
import io.triad.infra.StateBackend;
import io.triad.infra.config.TriadConfig;
import software.constructs.Construct;

/**
 * Everything Triad needs on Azure, composed from one construct per concern over typed azurerm
 * resources.
 */
public final class AzureStack extends TerraformStack {

  public AzureStack(Construct scope, String id, TriadConfig config) {
    super(scope, id);
    new AzurermProvider(this, "azurerm");
    StateBackend.azure(this, config.state().azure());
    AzureResourceGroup group =
        new AzureResourceGroup(this, "group", config.project(), config.azure().location());

    AzureLogAnalyticsWorkspace workspace =
        new AzureLogAnalyticsWorkspace(this, "logs", config.project() + "-logs", group, 30);
    AzureApplicationInsights insights =
        new AzureApplicationInsights(
            this, "insights", config.project() + "-insights", group, workspace);
    AzureStorage storage = new AzureStorage(this, "storage", config, group);
    AzureTraining training = new AzureTraining(this, "training", config, group, storage);
    AzureFunctions functions =
        new AzureFunctions(this, "functions", config, group, storage, training, insights);
    if (config.replication() != null
        && config.replication().gcpToAzure() != null
        && !config.replication().gcpToAzure().gcpWriters().isEmpty()) {
      AzureReplicaWriters.gcp(this, config, group, storage);
    }
    if (config.replication() != null && config.replication().awsToAzure() != null) {
      AzureReplicaWriters.aws(this, config, group, storage);
    }

    AzureMonitorActionGroup alerts =
        new AzureMonitorActionGroup(
            this, "alerts", config.project() + "-alerts", group, config.alertEmail());
    new AzureConsumptionBudget(
        this,
        "budget",
        config.project() + "-monthly",
        group,
        config.cost().monthlyBudgetUsd(),
        config.alertEmail());
    new AzureMonitorMetricAlert(
        this,
        "failed-tasks",
        config.project() + "-training-failed",
        group,
        training.account().id(),
        new AzureMonitorMetricAlert.Metric(
            "Microsoft.Batch/batchAccounts", "TaskFailEvent", "Total", 0),
        alerts);
    new AzureMonitorMetricAlert(
        this,
        "function-errors",
        config.project() + "-function-errors",
        group,
        functions.serve().id(),
        new AzureMonitorMetricAlert.Metric("Microsoft.Web/sites", "Http5xx", "Total", 0),
        alerts);

    new TerraformOutput(
        this,
        "storage_account",
        TerraformOutputConfig.builder().value(storage.data().name()).build());
    new TerraformOutput(
        this,
        "trainer_registry",
        TerraformOutputConfig.builder().value(training.registry().loginServer()).build());
  }

  /** Storage, Batch and registry names allow lowercase letters and digits only. */
  static String compactName(TriadConfig config) {
    return config.project().replace("-", "");
  }
}
