package io.triad.infra.gcp;

import com.hashicorp.cdktf.providers.google.artifact_registry_repository.ArtifactRegistryRepository;
import com.hashicorp.cdktf.providers.google.artifact_registry_repository.ArtifactRegistryRepositoryConfig;
import com.hashicorp.cdktf.providers.google.artifact_registry_repository_iam_member.ArtifactRegistryRepositoryIamMember;
import com.hashicorp.cdktf.providers.google.artifact_registry_repository_iam_member.ArtifactRegistryRepositoryIamMemberConfig;
import com.hashicorp.cdktf.providers.google.compute_network.ComputeNetwork;
import com.hashicorp.cdktf.providers.google.compute_network.ComputeNetworkConfig;
import com.hashicorp.cdktf.providers.google.compute_subnetwork.ComputeSubnetwork;
import com.hashicorp.cdktf.providers.google.compute_subnetwork.ComputeSubnetworkConfig;
import com.hashicorp.cdktf.providers.google.project_iam_member.ProjectIamMember;
import com.hashicorp.cdktf.providers.google.project_iam_member.ProjectIamMemberConfig;
import com.hashicorp.cdktf.providers.google.service_account.ServiceAccount;
import com.hashicorp.cdktf.providers.google.service_account.ServiceAccountConfig;
import io.triad.infra.config.TriadConfig;
import io.triad.layout.BucketLayout;
import io.triad.settings.TriadContract;
import java.util.List;
import software.constructs.Construct;

/**
 * What a Cloud Batch training job runs with: the Artifact Registry repository for the trainer image
 * and the job's service account, which may pull that image, report to Batch, write logs, read
 * training data and write candidates. Cloud Batch has no job template resource: the schedule
 * function builds each job from the settings {@link GcpFunctions} hands it.
 */
final class GcpTraining extends Construct {

  private final ServiceAccount jobAccount;
  private final String image;
  private final ComputeNetwork network;
  private final ComputeSubnetwork subnetwork;

  GcpTraining(Construct scope, String id, TriadConfig config, GcpStorage storage) {
    super(scope, id);
    String project = config.gcp().project();
    ArtifactRegistryRepository repository =
        new ArtifactRegistryRepository(
            this,
            "repository",
            ArtifactRegistryRepositoryConfig.builder()
                .repositoryId(config.project() + "-trainer")
                .location(config.gcp().region())
                .format("DOCKER")
                .description("Triad GPU trainer image")
                .build());
    image =
        config.gcp().region()
            + "-docker.pkg.dev/"
            + project
            + "/"
            + repository.getRepositoryId()
            + "/"
            + TriadContract.TRAINER_IMAGE_NAME
            + ":"
            + config.training().trainerImageTag();

    jobAccount =
        new ServiceAccount(
            this,
            "job-account",
            ServiceAccountConfig.builder()
                .accountId(config.project() + "-trainer")
                .displayName("Triad training jobs")
                .build());
    String member = "serviceAccount:" + jobAccount.getEmail();
    new ArtifactRegistryRepositoryIamMember(
        this,
        "job-pull",
        ArtifactRegistryRepositoryIamMemberConfig.builder()
            .repository(repository.getName())
            .location(repository.getLocation())
            .role("roles/artifactregistry.reader")
            .member(member)
            .build());
    // Batch VMs report their state and ship logs as the job's account; both roles are project-wide
    // by design.
    for (String role : List.of("roles/batch.agentReporter", "roles/logging.logWriter")) {
      new ProjectIamMember(
          this,
          "job-" + role.substring(role.indexOf('/') + 1),
          ProjectIamMemberConfig.builder().project(project).role(role).member(member).build());
    }
    // The job VMs' own network: one subnet, no external IPs (the launcher asks for none), Google's
    // APIs reached through Private Google Access; no firewall rule lets anything in.
    network =
        new ComputeNetwork(
            this,
            "network",
            ComputeNetworkConfig.builder()
                .name(config.project() + "-batch")
                .autoCreateSubnetworks(false)
                .build());
    subnetwork =
        new ComputeSubnetwork(
            this,
            "subnetwork",
            ComputeSubnetworkConfig.builder()
                .name(config.project() + "-batch")
                .region(config.gcp().region())
                .network(network.getId())
                .ipCidrRange(SUBNET_RANGE)
                .privateIpGoogleAccess(true)
                .build());
    storage.grantRead("job-read-data", member, List.of(BucketLayout.DATA));
    // objectUser, not objectCreator: a retried task rewrites the files its reclaimed attempt left
    // (creating over an existing object is an overwrite, which needs delete as well)
    storage.grantWrite(
        "job-write-candidates",
        member,
        "roles/storage.objectUser",
        List.of(BucketLayout.CANDIDATES));
  }

  /** Room for 4,000 job VMs at once. */
  static final String SUBNET_RANGE = "10.64.0.0/20";

  /** {@code projects/P/global/networks/N}. */
  String network() {
    return network.getId();
  }

  /** {@code projects/P/regions/R/subnetworks/S}. */
  String subnetwork() {
    return subnetwork.getId();
  }

  ServiceAccount jobAccount() {
    return jobAccount;
  }

  String image() {
    return image;
  }
}
