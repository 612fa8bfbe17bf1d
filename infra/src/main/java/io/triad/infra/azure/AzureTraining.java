package io.triad.infra.azure;

import io.triad.infra.config.TriadConfig;
import io.triad.layout.BucketLayout;
import java.util.List;
import software.constructs.Construct;

/**
 * GPU training on Azure Batch: a keyless Batch account, an NC-series pool that scales from zero on
 * pending tasks (low-priority when spot is configured), the registry for the trainer image and the
 * identity the trainer runs as, which may read training data and write candidates only.
 */
final class AzureTraining extends Construct {

  static final String POOL = "gpu";

  private final AzureBatchAccount account;
  private final AzureBatchPool pool;
  private final AzureContainerRegistry registry;
  private final AzureUserAssignedIdentity trainer;

  AzureTraining(
      Construct scope,
      String id,
      TriadConfig config,
      AzureResourceGroup group,
      AzureStorage storage) {
    super(scope, id);
    String compact = AzureStack.compactName(config);
    TriadConfig.Training training = config.training();
    registry = new AzureContainerRegistry(this, "registry", compact + "trainer", group);
    trainer =
        new AzureUserAssignedIdentity(
            this, "trainer-identity", config.project() + "-trainer", group);
    account = new AzureBatchAccount(this, "batch-account", compact + "batch", group);
    AzureRoleAssignment pull =
        AzureRoleAssignment.builtIn(
            this, "trainer-acr-pull", "AcrPull", registry.id(), trainer.principalId(), null);
    AzureNodeNetwork network =
        new AzureNodeNetwork(this, "node-network", config.project() + "-batch", group);
    pool =
        new AzureBatchPool(
            this,
            "gpu-pool",
            group,
            account,
            new AzureBatchPool.Settings(
                POOL,
                training.gpu().azure(training.gpuCount()).name(),
                training.spot(),
                training.maxNodes(),
                registry.loginServer(),
                trainer,
                network.subnetId()));
    // Nodes pull the image as the trainer identity, which must hold AcrPull first, and through
    // the subnet's NAT gateway, which must be attached first.
    pool.addOverride(
        "depends_on",
        List.of("azurerm_role_assignment." + pull.getFriendlyUniqueId(), network.outboundFqn()));
    AzureRoleAssignment.builtIn(
        this,
        "trainer-blob-access",
        "Storage Blob Data Contributor",
        storage.container().resourceManagerId(),
        trainer.principalId(),
        // a retried or preempted task resumes from its run's last checkpoint
        BlobAccessCondition.readsAndWrites(
            List.of(
                BucketLayout.DATA, BucketLayout.CANDIDATES + "*/" + BucketLayout.CHECKPOINT_FILE),
            List.of(BucketLayout.CANDIDATES)));
  }

  AzureBatchAccount account() {
    return account;
  }

  AzureBatchPool pool() {
    return pool;
  }

  AzureContainerRegistry registry() {
    return registry;
  }

  AzureUserAssignedIdentity trainer() {
    return trainer;
  }
}
