package io.triad.models;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The devices a job trains on ({@code --devices}): {@value #AUTO} (the default) is every GPU the
 * engine sees, or the CPU when it sees none; {@code cpu}; {@code gpu} (every GPU, at least one);
 * {@code gpu:0,1} (those). GPUs asked for where the engine sees too few fail the job at once, with
 * an exit the batch services do not retry: the CPU is never taken instead, silently.
 *
 * <p>With several devices each batch is split across them in turn (data parallel): device {@code i}
 * gets rows {@link #split}; each part's mean loss is weighted by its share of the batch, so the
 * summed gradient is the whole batch's mean, the same step one device takes. {@code --batch-size}
 * stays the global batch: each of N devices sees about batch/N rows, and the learning rate needs no
 * change. One node only: DJL has no engine for training across machines.
 */
public final class TrainingDevices {
  public static final String AUTO = "auto";

  private TrainingDevices() {}

  /** The GPUs the PyTorch engine sees here (0 with a CPU-only libtorch or no CUDA driver). */
  public static int visibleGpus() {
    return Engine.getEngine(MlpTrainer.ENGINE).getGpuCount();
  }

  /** The devices {@code spec} names, given {@code gpus} visible GPUs; in the order named. */
  public static Device[] select(String spec, int gpus) {
    String value = spec == null ? AUTO : spec.trim().toLowerCase(Locale.ROOT);
    if (value.equals(AUTO)) {
      return gpus == 0 ? new Device[] {Device.cpu()} : gpus(range(gpus));
    }
    if (value.equals("cpu")) {
      return new Device[] {Device.cpu()};
    }
    List<Integer> ids;
    if (value.equals("gpu")) {
      ids = range(Math.max(gpus, 1));
    } else if (value.startsWith("gpu:")) {
      ids = ids(spec, value.substring(4));
    } else {
      throw new IllegalArgumentException(
          "--devices " + spec + ": expected auto, cpu, gpu or gpu:0,1,…");
    }
    int missing = ids.stream().filter(id -> id >= gpus).findFirst().orElse(-1);
    if (missing >= 0) {
      throw new TrainerException(
          "--devices "
              + spec
              + " asks for gpu:"
              + missing
              + ", but the PyTorch engine sees "
              + (gpus == 0
                  ? "no GPU (no CUDA driver, or a CPU-only libtorch)"
                  : gpus
                      + " GPU"
                      + (gpus == 1 ? "" : "s")
                      + " (gpu:0"
                      + (gpus > 1 ? "-" + (gpus - 1) : "")
                      + ")")
              + "; the job stops rather than train on the CPU");
    }
    return gpus(ids);
  }

  private static List<Integer> ids(String spec, String list) {
    Set<Integer> ids = new LinkedHashSet<>();
    for (String part : list.split(",", -1)) {
      try {
        int id = Integer.parseInt(part.trim());
        if (id < 0 || !ids.add(id)) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--devices " + spec + ": GPU ids are distinct whole numbers from 0, e.g. gpu:0,1");
      }
    }
    return new ArrayList<>(ids);
  }

  private static List<Integer> range(int n) {
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(i);
    }
    return ids;
  }

  private static Device[] gpus(List<Integer> ids) {
    return ids.stream().map(Device::gpu).toArray(Device[]::new);
  }

  /**
   * How a batch of {@code rows} is split over {@code devices}: {@code [from, to)} per device, the
   * first {@code rows % devices} one row longer; a device gets no part when there are fewer rows
   * than devices (the last batch of an epoch).
   */
  public static List<int[]> split(int rows, int devices) {
    List<int[]> parts = new ArrayList<>();
    int base = rows / devices;
    int extra = rows % devices;
    int from = 0;
    for (int d = 0; d < devices; d++) {
      int size = base + (d < extra ? 1 : 0);
      if (size > 0) {
        parts.add(new int[] {from, from + size});
      }
      from += size;
    }
    return parts;
  }

  /** As the report and the progress line name them: {@code cpu}, {@code gpu:0}, … */
  public static List<String> names(Device[] devices) {
    return Arrays.stream(devices).map(d -> d.isGpu() ? "gpu:" + d.getDeviceId() : "cpu").toList();
  }
}
