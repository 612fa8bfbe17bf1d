package io.triad.infra.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The GPUs every cloud offers under one name, so one configuration file trains on the same card
 * everywhere. Only counts that all three clouds can place on one machine are allowed.
 */
public enum GpuType {
  T4(
      "g4dn",
      "nvidia-tesla-t4",
      Map.of(1, "n1-standard-8", 4, "n1-standard-32"),
      Map.of(1, "Standard_NC4as_T4_v3", 4, "Standard_NC64as_T4_v3")),
  V100(
      "p3",
      "nvidia-tesla-v100",
      Map.of(1, "n1-standard-8", 2, "n1-standard-16", 4, "n1-standard-32"),
      Map.of(1, "Standard_NC6s_v3", 2, "Standard_NC12s_v3", 4, "Standard_NC24s_v3")),
  A100(
      "p4d",
      "nvidia-tesla-a100",
      Map.of(1, "a2-highgpu-1g", 2, "a2-highgpu-2g", 4, "a2-highgpu-4g"),
      Map.of(
          1,
          "Standard_NC24ads_A100_v4",
          2,
          "Standard_NC48ads_A100_v4",
          4,
          "Standard_NC96ads_A100_v4"));

  private final String awsInstanceFamily;
  private final String gcpAccelerator;
  private final Map<Integer, String> gcpMachineTypes;
  private final Map<Integer, String> azureVmSizes;

  GpuType(
      String awsInstanceFamily,
      String gcpAccelerator,
      Map<Integer, String> gcpMachineTypes,
      Map<Integer, String> azureVmSizes) {
    this.awsInstanceFamily = awsInstanceFamily;
    this.gcpAccelerator = gcpAccelerator;
    this.gcpMachineTypes = new TreeMap<>(gcpMachineTypes);
    this.azureVmSizes = new TreeMap<>(azureVmSizes);
  }

  public static Optional<GpuType> named(String name) {
    return Arrays.stream(values())
        .filter(t -> t.name().equals(name.toUpperCase(Locale.ROOT)))
        .findFirst();
  }

  public static List<String> names() {
    return Arrays.stream(values()).map(Enum::name).toList();
  }

  /** The counts every cloud can put on one machine of this type. */
  public List<Integer> counts() {
    return azureVmSizes.keySet().stream().filter(gcpMachineTypes::containsKey).toList();
  }

  /** AWS Batch accepts an instance family and picks the size that fits the job's GPU count. */
  public String awsInstanceFamily() {
    return awsInstanceFamily;
  }

  public String gcpAccelerator() {
    return gcpAccelerator;
  }

  public String gcpMachineType(int count) {
    return gcpMachineTypes.get(count);
  }

  /** NC-series size with exactly {@code count} GPUs, as an Azure Batch pool node. */
  public String azureVmSize(int count) {
    return azureVmSizes.get(count);
  }
}
