package io.triad.gcp;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.batch.v1.AllocationPolicy;
import com.google.cloud.batch.v1.BatchServiceClient;
import com.google.cloud.batch.v1.ComputeResource;
import com.google.cloud.batch.v1.CreateJobRequest;
import com.google.cloud.batch.v1.DeleteJobRequest;
import com.google.cloud.batch.v1.Environment;
import com.google.cloud.batch.v1.Job;
import com.google.cloud.batch.v1.JobStatus;
import com.google.cloud.batch.v1.LifecyclePolicy;
import com.google.cloud.batch.v1.LocationName;
import com.google.cloud.batch.v1.LogsPolicy;
import com.google.cloud.batch.v1.Runnable;
import com.google.cloud.batch.v1.ServiceAccount;
import com.google.cloud.batch.v1.TaskGroup;
import com.google.cloud.batch.v1.TaskSpec;
import io.triad.functions.training.PlacementTarget;
import io.triad.functions.training.TrainingJob;
import io.triad.functions.training.TrainingLaunchException;
import io.triad.functions.training.TrainingLauncher;
import io.triad.functions.training.TrainingLauncher.JobState;
import io.triad.settings.GcpContract;
import java.util.Locale;

/**
 * Submits a retraining run as a Google Cloud Batch job: one task whose container is the trainer
 * image, given {@link TrainingJob#arguments()} as its command (the image's entrypoint is the
 * trainer), on the configured machine type and GPUs. The job writes the candidate into the bucket;
 * its {@code manifest.json} arrives later as an ordinary finalize event.
 *
 * <p>Cloud Batch takes the location and the provisioning model per job, so a job placed on {@code
 * gcp/REGION/spot} or {@code .../on-demand} ({@link TrainingJob#placement()}) is created in that
 * region on Spot or standard VMs; only a stack whose VMs sit in a private subnetwork, which is
 * regional, keeps them to its own region. Refusals are told apart for the placement: {@code
 * RESOURCE_EXHAUSTED} is a quota, or capacity when it names exhausted resources or a stockout;
 * {@code UNAVAILABLE}, {@code INTERNAL}, {@code DEADLINE_EXCEEDED}, {@code UNKNOWN} and {@code
 * ABORTED} are the service's; anything else rejects the request.
 */
public final class GcpBatchLauncher implements TrainingLauncher {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(GcpBatchLauncher.class);
  private static final int MAX_JOB_ID = 63;

  private final BatchServiceClient client;
  private final BatchJobSettings settings;

  public GcpBatchLauncher(BatchServiceClient client, BatchJobSettings settings) {
    this.client = client;
    this.settings = settings;
  }

  /** Placements name Google Cloud {@code gcp}. */
  public static final String CLOUD = "gcp";

  @Override
  public String cloud() {
    return CLOUD;
  }

  /** Any region of the project, unless the VMs sit in the stack's (regional) private subnetwork. */
  @Override
  public boolean takes(PlacementTarget target) {
    return target.cloud().equals(CLOUD)
        && !(settings.privateNetwork() && !target.region().equals(settings.region()));
  }

  @Override
  public String launch(TrainingJob job) {
    PlacementTarget target = job.placement();
    if (target != null && settings.privateNetwork() && !target.region().equals(settings.region())) {
      throw new TrainingLaunchException(
          TrainingLaunchException.Refusal.UNAVAILABLE,
          "the stack's Batch VMs use a private subnetwork in "
              + settings.region()
              + ", so they cannot run in "
              + target.region());
    }
    String region = target == null ? settings.region() : target.region();
    CreateJobRequest request =
        CreateJobRequest.newBuilder()
            .setParent(LocationName.of(settings.project(), region).toString())
            .setJobId(jobId(job))
            .setJob(job(job))
            .build();
    try {
      return client.createJob(request).getName();
    } catch (ApiException e) {
      throw new TrainingLaunchException(
          refusal(e),
          "Cloud Batch refused job "
              + request.getJobId()
              + " in "
              + request.getParent()
              + ": "
              + e.getStatusCode().getCode()
              + " "
              + e.getMessage(),
          e);
    }
  }

  /**
   * The job's state as Cloud Batch reports it: {@code QUEUED} and {@code SCHEDULED} wait for
   * machines (a stockout keeps a job there, retrying its VMs), {@code RUNNING} runs, the rest
   * ended; a job that is gone ({@code NOT_FOUND}) ended too.
   */
  @Override
  public JobState state(String jobName) {
    try {
      JobStatus.State state = client.getJob(jobName).getStatus().getState();
      JobState.Phase phase =
          switch (state) {
            case QUEUED, SCHEDULED -> JobState.Phase.WAITING;
            case RUNNING -> JobState.Phase.RUNNING;
            case SUCCEEDED, FAILED, DELETION_IN_PROGRESS, CANCELLED -> JobState.Phase.ENDED;
            default -> JobState.Phase.UNKNOWN;
          };
      return new JobState(phase, state.name());
    } catch (ApiException e) {
      if (e.getStatusCode().getCode() == com.google.api.gax.rpc.StatusCode.Code.NOT_FOUND) {
        return new JobState(JobState.Phase.ENDED, "NOT_FOUND");
      }
      throw e;
    }
  }

  /**
   * Deletes the job: Batch's documented way to withdraw a job whose record need not be kept ({@code
   * batch.jobs.delete}, in the schedule account's Batch Job Editor role).
   */
  @Override
  public boolean cancel(String jobName, String reason) {
    try {
      client
          .deleteJobCallable()
          .futureCall(DeleteJobRequest.newBuilder().setName(jobName).setReason(reason).build())
          .get(30, java.util.concurrent.TimeUnit.SECONDS);
      return true;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // the caller says the job stays where it is; the service's reason is said here
      log.warn(
          "Cloud Batch did not delete job {}: {}",
          jobName,
          e.getCause() != null ? e.getCause().getMessage() : "no answer in 30 s");
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** How Cloud Batch refused a job, from its status code and message. */
  static TrainingLaunchException.Refusal refusal(ApiException e) {
    return switch (e.getStatusCode().getCode()) {
      case RESOURCE_EXHAUSTED -> {
        String message = String.valueOf(e.getMessage()).toUpperCase(Locale.ROOT);
        yield message.contains("RESOURCE_POOL_EXHAUSTED")
                || message.contains("STOCKOUT")
                || message.contains("DOES NOT HAVE ENOUGH RESOURCES")
            ? TrainingLaunchException.Refusal.CAPACITY
            : TrainingLaunchException.Refusal.QUOTA;
      }
      case UNAVAILABLE, INTERNAL, DEADLINE_EXCEEDED, UNKNOWN, ABORTED ->
          TrainingLaunchException.Refusal.SERVICE;
      default -> TrainingLaunchException.Refusal.REJECTED;
    };
  }

  /** Batch job ids are 1-63 of [a-z0-9-], starting with a letter; versions sort by time already. */
  static String jobId(TrainingJob job) {
    String id =
        ("triad-" + job.model() + "-" + job.version())
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9-]", "-");
    // a placement's later attempts at one version get ids of their own: a job withdrawn from a
    // region keeps its id there while Batch deletes it, and a redelivered tick, making the same
    // attempt, still meets its own job's id
    String attempt = job.refused().isEmpty() ? "" : "-" + (job.refused().size() + 1);
    int room = MAX_JOB_ID - attempt.length();
    id = id.length() > room ? id.substring(0, room) : id;
    return id.replaceAll("-+$", "") + attempt;
  }

  /**
   * TrainerMain's exit code when the job itself is at fault (its data, its options), {@code
   * TrainerMain.JOB_FAILED}: the trainer is not on this module's class path.
   */
  static final int TRAINER_FAILED = 1;

  Job job(TrainingJob job) {
    Runnable.Container container =
        Runnable.Container.newBuilder()
            .setImageUri(settings.image())
            .addAllCommands(job.arguments())
            .build();
    TaskSpec task =
        TaskSpec.newBuilder()
            .addRunnables(Runnable.newBuilder().setContainer(container))
            // ONNX Runtime 1.29 crashes on long command lines unless its telemetry is off
            .setEnvironment(
                Environment.newBuilder().putVariables(GcpContract.ORT_DISABLE_TELEMETRY, "1"))
            .setMaxRetryCount(settings.maxRetries())
            // a trainer that failed on its own (bad data, bad options: exit 1, TrainerMain's
            // JOB_FAILED) fails the same way again, so it is not retried; exit 2 (a store fault)
            // or a lost or preempted VM still is, as on AWS Batch
            .addLifecyclePolicies(
                LifecyclePolicy.newBuilder()
                    .setAction(LifecyclePolicy.Action.FAIL_TASK)
                    .setActionCondition(
                        LifecyclePolicy.ActionCondition.newBuilder().addExitCodes(TRAINER_FAILED)))
            .setMaxRunDuration(
                com.google.protobuf.Duration.newBuilder()
                    .setSeconds(settings.maxRunDuration().toSeconds()))
            .setComputeResource(
                ComputeResource.newBuilder()
                    .setCpuMilli(settings.cpuMilli())
                    .setMemoryMib(settings.memoryMib()))
            .build();
    return Job.newBuilder()
        .addTaskGroups(TaskGroup.newBuilder().setTaskCount(1).setParallelism(1).setTaskSpec(task))
        .setAllocationPolicy(
            allocation(job.placement() == null ? settings.spot() : job.placement().spot()))
        .setLogsPolicy(LogsPolicy.newBuilder().setDestination(LogsPolicy.Destination.CLOUD_LOGGING))
        .putLabels("triad-model", job.model())
        .putLabels(
            "triad-version", job.version().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-"))
        .build();
  }

  private AllocationPolicy allocation(boolean spot) {
    AllocationPolicy.InstancePolicy.Builder policy =
        AllocationPolicy.InstancePolicy.newBuilder()
            .setMachineType(settings.machineType())
            .setProvisioningModel(
                spot
                    ? AllocationPolicy.ProvisioningModel.SPOT
                    : AllocationPolicy.ProvisioningModel.STANDARD);
    boolean gpu = settings.acceleratorCount() > 0;
    if (gpu) {
      policy.addAccelerators(
          AllocationPolicy.Accelerator.newBuilder()
              .setType(settings.acceleratorType())
              .setCount(settings.acceleratorCount()));
    }
    AllocationPolicy.Builder allocation =
        AllocationPolicy.newBuilder()
            // Batch installs the NVIDIA driver on the VM and exposes the GPUs to the container
            .addInstances(
                AllocationPolicy.InstancePolicyOrTemplate.newBuilder()
                    .setPolicy(policy)
                    .setInstallGpuDrivers(gpu));
    if (settings.serviceAccount() != null && !settings.serviceAccount().isBlank()) {
      allocation.setServiceAccount(ServiceAccount.newBuilder().setEmail(settings.serviceAccount()));
    }
    if (settings.privateNetwork()) {
      // no external IP: the VMs reach Storage, Artifact Registry and Logging through the
      // subnet's Private Google Access, and nothing on the internet reaches them
      allocation.setNetwork(
          AllocationPolicy.NetworkPolicy.newBuilder()
              .addNetworkInterfaces(
                  AllocationPolicy.NetworkInterface.newBuilder()
                      .setNetwork(settings.network())
                      .setSubnetwork(settings.subnetwork())
                      .setNoExternalIpAddress(true)));
    }
    return allocation.build();
  }
}
