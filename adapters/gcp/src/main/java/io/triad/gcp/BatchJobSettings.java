package io.triad.gcp;

import io.triad.settings.GcpContract;
import java.time.Duration;
import java.util.function.Function;

/**
 * What a Cloud Batch retraining job runs on, from {@code TRIAD_BATCH_*} environment variables.
 *
 * @param project the project the job is created in
 * @param region the Batch location, e.g. {@code us-central1}
 * @param machineType the VM type, e.g. {@code n1-standard-4}
 * @param acceleratorType the GPU type, e.g. {@code nvidia-tesla-t4}; ignored when the count is 0
 * @param acceleratorCount GPUs per VM; 0 runs on CPU only
 * @param cpuMilli the task's CPU, thousandths of a vCPU (what the machine type must fit)
 * @param memoryMib the task's memory in MiB
 * @param image the trainer container image, whose entrypoint is the trainer
 * @param maxRetries how often Batch retries a failed task (0 to 10)
 * @param maxRunDuration the task's time limit
 * @param spot run on Spot VMs (cheaper, may be preempted; retries cover that)
 * @param serviceAccount the job VM's service account email, or null for the default
 * @param network the network the VMs join ({@code projects/P/global/networks/N}), or null
 * @param subnetwork its subnetwork ({@code projects/P/regions/R/subnetworks/S}); with one, the VMs
 *     get no external IP
 */
public record BatchJobSettings(
    String project,
    String region,
    String machineType,
    String acceleratorType,
    int acceleratorCount,
    int cpuMilli,
    int memoryMib,
    String image,
    int maxRetries,
    Duration maxRunDuration,
    boolean spot,
    String serviceAccount,
    String network,
    String subnetwork) {

  public BatchJobSettings {
    require(project, GcpContract.BATCH_PROJECT);
    require(region, GcpContract.BATCH_REGION);
    require(image, GcpContract.BATCH_IMAGE);
    require(machineType, GcpContract.BATCH_MACHINE_TYPE);
    if (acceleratorCount > 0) {
      require(acceleratorType, GcpContract.BATCH_ACCELERATOR_TYPE);
    }
    if (cpuMilli <= 0 || memoryMib <= 0) {
      throw new IllegalArgumentException(
          GcpContract.BATCH_CPU_MILLI + " and " + GcpContract.BATCH_MEMORY_MIB + " must be > 0");
    }
    if ((network == null || network.isBlank()) != (subnetwork == null || subnetwork.isBlank())) {
      throw new IllegalArgumentException(
          GcpContract.BATCH_NETWORK + " and " + GcpContract.BATCH_SUBNETWORK + " go together");
    }
    if (acceleratorCount < 0 || maxRetries < 0 || maxRetries > 10) {
      throw new IllegalArgumentException(
          GcpContract.BATCH_ACCELERATOR_COUNT
              + " must be >= 0 and "
              + GcpContract.BATCH_MAX_RETRIES
              + " 0..10");
    }
  }

  /** Reads the settings through {@code env} (a name → value lookup; null when unset). */
  public static BatchJobSettings from(Function<String, String> env) {
    return new BatchJobSettings(
        env.apply(GcpContract.BATCH_PROJECT),
        env.apply(GcpContract.BATCH_REGION),
        or(env.apply(GcpContract.BATCH_MACHINE_TYPE), "n1-standard-4"),
        or(env.apply(GcpContract.BATCH_ACCELERATOR_TYPE), "nvidia-tesla-t4"),
        Integer.parseInt(or(env.apply(GcpContract.BATCH_ACCELERATOR_COUNT), "1")),
        Integer.parseInt(or(env.apply(GcpContract.BATCH_CPU_MILLI), "2000")),
        Integer.parseInt(or(env.apply(GcpContract.BATCH_MEMORY_MIB), "4096")),
        env.apply(GcpContract.BATCH_IMAGE),
        Integer.parseInt(or(env.apply(GcpContract.BATCH_MAX_RETRIES), "2")),
        Duration.parse(or(env.apply(GcpContract.BATCH_MAX_RUN_DURATION), "PT2H")),
        Boolean.parseBoolean(or(env.apply(GcpContract.BATCH_SPOT), "false")),
        env.apply(GcpContract.BATCH_SERVICE_ACCOUNT),
        env.apply(GcpContract.BATCH_NETWORK),
        env.apply(GcpContract.BATCH_SUBNETWORK));
  }

  /** Whether the VMs join a subnetwork of the stack's, with no external IP. */
  public boolean privateNetwork() {
    return subnetwork != null && !subnetwork.isBlank();
  }

  private static String or(String value, String otherwise) {
    return value == null || value.isBlank() ? otherwise : value;
  }

  private static void require(String value, String variable) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(variable + " is not set; Cloud Batch retraining needs it");
    }
  }
}
