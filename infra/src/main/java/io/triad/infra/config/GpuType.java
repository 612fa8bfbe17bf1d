package io.triad.infra.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The GPUs every cloud offers under one name, so one configuration file trains on the same card
 * everywhere: for each card and GPU count, the machine each cloud places it on, with that machine's
 * vCPUs and memory. Only counts that all three clouds can place exactly on one current machine are
 * offered. V100 is not: Azure retired its V100 sizes (NCv3) on 2025-09-30, and AWS has no two-V100
 * instance.
 *
 * <p>Sources: the clouds' instance-type pages as of late 2025 (AWS G4dn, P4d, P5; Google N1 with
 * T4, A2, A3; Azure NCasT4_v3, NDasrA100_v4, NCads_H100_v5).
 */
public enum GpuType {
  T4(
      "nvidia-tesla-t4",
      Map.of(
          1, new Machine("g4dn.xlarge", 4, 16 * 1024),
          4, new Machine("g4dn.12xlarge", 48, 192 * 1024)),
      Map.of(
          1, new Machine("n1-standard-8", 8, 30 * 1024),
          4, new Machine("n1-standard-32", 32, 120 * 1024)),
      Map.of(
          1, new Machine("Standard_NC4as_T4_v3", 4, 28 * 1024),
          4, new Machine("Standard_NC64as_T4_v3", 64, 440 * 1024))),
  A100(
      "nvidia-tesla-a100",
      Map.of(8, new Machine("p4d.24xlarge", 96, 1152 * 1024)),
      Map.of(8, new Machine("a2-highgpu-8g", 96, 680 * 1024)),
      Map.of(8, new Machine("Standard_ND96asr_v4", 96, 900 * 1024))),
  H100(
      "nvidia-h100-80gb",
      Map.of(1, new Machine("p5.4xlarge", 16, 256 * 1024)),
      Map.of(1, new Machine("a3-highgpu-1g", 26, 234 * 1024)),
      Map.of(1, new Machine("Standard_NC40ads_H100_v5", 40, 320 * 1024)));

  /** One machine type: its name on its cloud, vCPUs and memory in MiB. */
  public record Machine(String name, int vcpus, int memoryMib) {

    /**
     * What a job may ask of this machine: the batch agents (ECS, the Batch node agent, Docker) keep
     * about a tenth of the memory for themselves.
     */
    public int usableMemoryMib() {
      return memoryMib / 10 * 9;
    }
  }

  private final String gcpAccelerator;
  private final Map<Integer, Machine> aws;
  private final Map<Integer, Machine> gcp;
  private final Map<Integer, Machine> azure;

  GpuType(
      String gcpAccelerator,
      Map<Integer, Machine> aws,
      Map<Integer, Machine> gcp,
      Map<Integer, Machine> azure) {
    this.gcpAccelerator = gcpAccelerator;
    this.aws = new TreeMap<>(aws);
    this.gcp = new TreeMap<>(gcp);
    this.azure = new TreeMap<>(azure);
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
    return aws.keySet().stream().filter(gcp::containsKey).filter(azure::containsKey).toList();
  }

  /** The machine each cloud uses for {@code count} GPUs: AWS, GCP, Azure. */
  public List<Machine> machines(int count) {
    return List.of(aws.get(count), gcp.get(count), azure.get(count));
  }

  /** The EC2 instance type AWS Batch launches for {@code count} GPUs. */
  public Machine aws(int count) {
    return aws.get(count);
  }

  public String gcpAccelerator() {
    return gcpAccelerator;
  }

  /** The Compute Engine machine type a Batch job asks for, with {@code count} GPUs. */
  public Machine gcp(int count) {
    return gcp.get(count);
  }

  /** The Azure Batch pool's VM size with exactly {@code count} GPUs. */
  public Machine azure(int count) {
    return azure.get(count);
  }
}
