package io.triad.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.batch.v1.AllocationPolicy;
import com.google.cloud.batch.v1.BatchServiceClient;
import com.google.cloud.batch.v1.CreateJobRequest;
import com.google.cloud.batch.v1.Runnable;
import com.google.cloud.batch.v1.TaskSpec;
import io.grpc.Status;
import io.triad.functions.training.PlacementTarget;
import io.triad.functions.training.TrainingJob;
import io.triad.functions.training.TrainingLaunchException;
import io.triad.functions.training.TrainingLauncher.JobState;
import io.triad.gcp.testing.FakeBatchService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GcpBatchLauncherTest {
  private static final BatchJobSettings GPU =
      new BatchJobSettings(
          "triad-prod",
          "us-central1",
          "n1-standard-8",
          "nvidia-tesla-t4",
          2,
          8000,
          30000,
          "us-docker.pkg.dev/triad-prod/triad/trainer:1",
          3,
          Duration.ofHours(1),
          true,
          "trainer@triad-prod.iam.gserviceaccount.com",
          "projects/triad-prod/global/networks/triad-batch",
          "projects/triad-prod/regions/us-central1/subnetworks/triad-batch");
  private static final TrainingJob JOB =
      new TrainingJob(
          "iris",
          "20261122-030000",
          "gs://triad-data",
          "data/iris/train.csv",
          "candidates/iris/20261122-030000/",
          "20261121-030000",
          Map.of("epochs", "80"));

  private final FakeBatchService batch = new FakeBatchService();
  private final BatchServiceClient client = batch.client();

  @AfterEach
  void stop() throws Exception {
    client.close();
    batch.close();
  }

  @Test
  void launch_should_createAGpuJobRunningTheTrainerImage_when_configuredWithAccelerators() {
    // when
    String name = new GcpBatchLauncher(client, GPU).launch(JOB);

    // then
    assertThat(name)
        .isEqualTo("projects/triad-prod/locations/us-central1/jobs/triad-iris-20261122-030000");
    CreateJobRequest request = batch.requests().get(0);
    assertThat(request.getParent()).isEqualTo("projects/triad-prod/locations/us-central1");
    AllocationPolicy.InstancePolicyOrTemplate instances =
        request.getJob().getAllocationPolicy().getInstances(0);
    assertThat(instances.getInstallGpuDrivers()).isTrue();
    assertThat(instances.getPolicy().getMachineType()).isEqualTo("n1-standard-8");
    assertThat(instances.getPolicy().getProvisioningModel())
        .isEqualTo(AllocationPolicy.ProvisioningModel.SPOT);
    assertThat(instances.getPolicy().getAcceleratorsList())
        .singleElement()
        .satisfies(
            gpu -> {
              assertThat(gpu.getType()).isEqualTo("nvidia-tesla-t4");
              assertThat(gpu.getCount()).isEqualTo(2);
            });
    assertThat(request.getJob().getAllocationPolicy().getServiceAccount().getEmail())
        .isEqualTo("trainer@triad-prod.iam.gserviceaccount.com");
    TaskSpec task = request.getJob().getTaskGroups(0).getTaskSpec();
    Runnable.Container container = task.getRunnables(0).getContainer();
    assertThat(container.getImageUri()).isEqualTo("us-docker.pkg.dev/triad-prod/triad/trainer:1");
    assertThat(container.getCommandsList()).containsExactlyElementsOf(JOB.arguments());
    assertThat(task.getMaxRetryCount()).isEqualTo(3);
    // the trainer's own failure (exit 1) is not retried; a lost VM is
    assertThat(task.getLifecyclePoliciesList())
        .singleElement()
        .satisfies(
            policy -> {
              assertThat(policy.getAction())
                  .isEqualTo(com.google.cloud.batch.v1.LifecyclePolicy.Action.FAIL_TASK);
              assertThat(policy.getActionCondition().getExitCodesList()).containsExactly(1);
            });
    // the configured vCPUs and memory, not Batch's defaults
    assertThat(task.getComputeResource().getCpuMilli()).isEqualTo(8000);
    assertThat(task.getComputeResource().getMemoryMib()).isEqualTo(30000);
    assertThat(task.getMaxRunDuration().getSeconds()).isEqualTo(3600);
    assertThat(task.getEnvironment().getVariablesMap()).containsEntry("ORT_DISABLE_TELEMETRY", "1");
    assertThat(request.getJob().getLabelsMap()).containsEntry("triad-model", "iris");
    // the stack's subnet, no external IP
    AllocationPolicy.NetworkInterface nic =
        request.getJob().getAllocationPolicy().getNetwork().getNetworkInterfaces(0);
    assertThat(nic.getSubnetwork())
        .isEqualTo("projects/triad-prod/regions/us-central1/subnetworks/triad-batch");
    assertThat(nic.getNetwork()).isEqualTo("projects/triad-prod/global/networks/triad-batch");
    assertThat(nic.getNoExternalIpAddress()).isTrue();
  }

  @Test
  void launch_should_askForNoGpu_when_theAcceleratorCountIsZero() {
    // given
    BatchJobSettings cpu =
        new BatchJobSettings(
            "triad-test",
            "europe-west4",
            "e2-standard-4",
            null,
            0,
            2000,
            4096,
            "img",
            0,
            Duration.ofMinutes(30),
            false,
            null,
            null,
            null);

    // when
    new GcpBatchLauncher(client, cpu).launch(JOB);

    // then
    AllocationPolicy.InstancePolicyOrTemplate instances =
        batch.requests().get(0).getJob().getAllocationPolicy().getInstances(0);
    assertThat(instances.getPolicy().getAcceleratorsList()).isEmpty();
    assertThat(instances.getInstallGpuDrivers()).isFalse();
    assertThat(instances.getPolicy().getProvisioningModel())
        .isEqualTo(AllocationPolicy.ProvisioningModel.STANDARD);
    // no subnetwork named: Batch's default network
    assertThat(batch.requests().get(0).getJob().getAllocationPolicy().hasNetwork()).isFalse();
  }

  @Test
  void launch_should_throwWithTheServiceCause_when_batchRefusesTheJob() {
    // given
    batch.failWith(
        Status.PERMISSION_DENIED.withDescription("batch.jobs.create denied on project triad-prod"));

    // when / then
    assertThatThrownBy(() -> new GcpBatchLauncher(client, GPU).launch(JOB))
        .isInstanceOf(TrainingLaunchException.class)
        .hasMessageContaining("PERMISSION_DENIED")
        .hasMessageContaining("batch.jobs.create denied");
  }

  // a real gRPC channel (netty, TLS) as production builds it, to a port nothing listens on: the
  // shaded jar leaves out grpc-xds, which only DirectPath needs, and this proves Batch does not
  @Test
  void launch_should_failWithUnavailable_when_theBatchEndpointCannotBeReached() throws Exception {
    // given
    int closedPort;
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    try (BatchServiceClient unreachable =
        BatchServiceClient.create(
            com.google.cloud.batch.v1.BatchServiceSettings.newBuilder()
                .setEndpoint("127.0.0.1:" + closedPort)
                .setCredentialsProvider(com.google.api.gax.core.NoCredentialsProvider.create())
                .build())) {

      // when / then
      assertThatThrownBy(() -> new GcpBatchLauncher(unreachable, GPU).launch(JOB))
          .isInstanceOf(TrainingLaunchException.class)
          .hasMessageContaining("UNAVAILABLE");
    }
  }

  @Test
  void launch_should_createTheJobInThePlacementsRegionAndMachines_when_placed() {
    // given a stack with no private subnetwork, whose own jobs run on Spot VMs in us-central1
    BatchJobSettings open =
        new BatchJobSettings(
            "triad-prod",
            "us-central1",
            "n1-standard-8",
            "nvidia-tesla-t4",
            1,
            8000,
            30000,
            "us-docker.pkg.dev/triad-prod/triad/trainer:1",
            3,
            Duration.ofHours(1),
            true,
            null,
            null,
            null);

    // when placed on demand in europe-west4
    String name =
        new GcpBatchLauncher(client, open)
            .launch(
                JOB.placedOn(
                    PlacementTarget.parse("gcp/europe-west4/on-demand"),
                    List.of("gcp/us-central1/spot:capacity")));

    // then
    assertThat(name).startsWith("projects/triad-prod/locations/europe-west4/jobs/");
    CreateJobRequest request = batch.requests().get(0);
    assertThat(request.getJob().getAllocationPolicy().getInstances(0).getPolicy())
        .extracting(AllocationPolicy.InstancePolicy::getProvisioningModel)
        .isEqualTo(AllocationPolicy.ProvisioningModel.STANDARD);
    assertThat(
            request
                .getJob()
                .getTaskGroups(0)
                .getTaskSpec()
                .getRunnables(0)
                .getContainer()
                .getCommandsList())
        .containsSubsequence("--placement", "gcp/europe-west4/on-demand")
        .containsSubsequence("--placement-refused", "gcp/us-central1/spot:capacity");
  }

  @Test
  void stateAndCancel_should_reportAWaitingJobAndDeleteIt_when_itsRegionHasNoMachines() {
    // given a region that accepts jobs and never finds them machines
    batch.holdIn("projects/triad-prod/locations/us-central1");
    GcpBatchLauncher launcher = new GcpBatchLauncher(client, GPU);
    String waiting = launcher.launch(JOB);

    // when, then: it waits, and once deleted it has ended
    assertThat(launcher.state(waiting))
        .isEqualTo(new JobState(JobState.Phase.WAITING, "SCHEDULED"));
    assertThat(launcher.cancel(waiting, "waited 30 min for machines")).isTrue();
    assertThat(batch.deleted()).containsExactly(waiting);
    assertThat(launcher.state(waiting)).isEqualTo(new JobState(JobState.Phase.ENDED, "NOT_FOUND"));
    assertThat(launcher.cancel(waiting, "again")).isFalse();
  }

  @Test
  void state_should_sayRunning_when_batchFoundTheJobItsMachines() {
    GcpBatchLauncher launcher = new GcpBatchLauncher(client, GPU);
    String running = launcher.launch(JOB);

    assertThat(launcher.state(running).phase()).isEqualTo(JobState.Phase.RUNNING);
    assertThatThrownBy(() -> launcher.state("projects/triad-prod/jobs/nowhere"))
        .isInstanceOf(com.google.api.gax.rpc.InvalidArgumentException.class);
  }

  @Test
  void launch_should_refuseAnotherRegion_when_theVmsUseTheStacksPrivateSubnetwork() {
    assertThatThrownBy(
            () ->
                new GcpBatchLauncher(client, GPU)
                    .launch(JOB.placedOn(PlacementTarget.parse("gcp/europe-west4"), List.of())))
        .isInstanceOfSatisfying(
            TrainingLaunchException.class,
            e -> assertThat(e.refusal()).isEqualTo(TrainingLaunchException.Refusal.UNAVAILABLE))
        .hasMessageContaining("private subnetwork in us-central1");
    assertThat(batch.requests()).isEmpty();
    // and says so before it is asked
    GcpBatchLauncher launcher = new GcpBatchLauncher(client, GPU);
    assertThat(launcher.takes(PlacementTarget.parse("gcp/europe-west4"))).isFalse();
    assertThat(launcher.takes(PlacementTarget.parse("gcp/us-central1/spot"))).isTrue();
    assertThat(launcher.takes(PlacementTarget.parse("aws/us-central1"))).isFalse();
  }

  @Test
  void launch_should_tellCapacityQuotaServiceAndRejection_when_batchRefuses() {
    assertThat(
            refusalFor(
                Status.RESOURCE_EXHAUSTED.withDescription(
                    "Quota 'GPUS_ALL_REGIONS' exceeded. Limit: 0.0 globally.")))
        .isEqualTo(TrainingLaunchException.Refusal.QUOTA);
    assertThat(
            refusalFor(
                Status.RESOURCE_EXHAUSTED.withDescription(
                    "ZONE_RESOURCE_POOL_EXHAUSTED: the zone does not have enough resources available")))
        .isEqualTo(TrainingLaunchException.Refusal.CAPACITY);
    assertThat(refusalFor(Status.UNAVAILABLE.withDescription("the service is unavailable")))
        .isEqualTo(TrainingLaunchException.Refusal.SERVICE);
    assertThat(refusalFor(Status.PERMISSION_DENIED.withDescription("batch.jobs.create denied")))
        .isEqualTo(TrainingLaunchException.Refusal.REJECTED);
  }

  private TrainingLaunchException.Refusal refusalFor(Status status) {
    batch.failWith(status);
    try {
      new GcpBatchLauncher(client, GPU).launch(JOB);
      throw new AssertionError("Batch accepted the job");
    } catch (TrainingLaunchException e) {
      return e.refusal();
    }
  }

  @Test
  void jobId_should_fitBatchRules_when_theVersionHasCapitalsAndDots() {
    // given
    TrainingJob job =
        new TrainingJob(
            "iris_v2",
            "2026.11.22-A",
            "gs://b",
            "d.csv",
            "candidates/iris_v2/2026.11.22-A/",
            null,
            Map.of());

    // when / then
    assertThat(GcpBatchLauncher.jobId(job))
        .isEqualTo("triad-iris-v2-2026-11-22-a")
        .matches("[a-z]([a-z0-9-]{0,61}[a-z0-9])?");
  }

  @Test
  void jobId_should_differPerPlacementAttempt_when_aVersionIsMoved() {
    TrainingJob moved =
        JOB.placedOn(
            PlacementTarget.parse("gcp/us-central1/on-demand"),
            List.of("gcp/us-central1/spot:capacity"));

    assertThat(GcpBatchLauncher.jobId(JOB)).isEqualTo("triad-iris-20261122-030000");
    assertThat(GcpBatchLauncher.jobId(moved)).isEqualTo("triad-iris-20261122-030000-2");
  }

  @Test
  void from_should_nameTheVariable_when_theImageIsMissing() {
    Map<String, String> env = Map.of("TRIAD_BATCH_PROJECT", "p", "TRIAD_BATCH_REGION", "r");

    assertThatThrownBy(() -> BatchJobSettings.from(env::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TRIAD_BATCH_IMAGE");
  }
}
