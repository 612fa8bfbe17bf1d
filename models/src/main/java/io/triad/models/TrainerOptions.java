package io.triad.models;

import io.triad.functions.api.TriadError;
import io.triad.functions.model.ModelKeys;
import io.triad.functions.model.TrainingRows;
import io.triad.functions.store.ObjectKeys;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The trainer's command line, as {@code io.triad.functions.training.TrainingJob#arguments()} writes
 * it: {@code --store --model --version --data --output} and optional {@code --key value} pairs.
 *
 * @param target the label column, or null for the last column of the data
 * @param architecture {@value #MLP}, {@value #CNN} or {@value #AUTO} (the default)
 * @param filters the CNN's first convolution's filters (the second has twice as many)
 * @param shift the CNN's augmentation: each training picture moved by up to this many pixels in
 *     each direction, anew every epoch (0: none)
 * @param devices what to train on: {@code auto} (every GPU the engine sees, else the CPU), {@code
 *     cpu}, {@code gpu} or {@code gpu:0,1} ({@link TrainingDevices})
 * @param shuffleBufferMb memory for the training rows: data that fits is kept and fully shuffled
 *     each epoch; larger data streams from the local spool through a shuffle buffer this size
 *     ({@link SpoolBatches}), and a quarter of it bounds the held-out rows watched every epoch
 * @param spoolDir where the encoded rows are spooled while the job runs (the JVM's temporary folder
 *     when null); it needs room for the data set as 32-bit floats
 * @param placement where the job was submitted ({@code gcp/us-central1/spot}), or null when its
 *     launcher placed it as configured; recorded in {@code training.json}
 * @param placementRefused the targets that refused the job before it, as {@code target:refusal}
 */
public record TrainerOptions(
    String store,
    String model,
    String version,
    String data,
    String output,
    String parent,
    int epochs,
    int seed,
    double holdoutFraction,
    int hidden,
    double learningRate,
    int batchSize,
    String target,
    String architecture,
    int filters,
    int shift,
    String devices,
    int shuffleBufferMb,
    String spoolDir,
    io.triad.functions.training.PlacementTarget placement,
    List<String> placementRefused) {

  public TrainerOptions {
    placementRefused = placementRefused == null ? List.of() : List.copyOf(placementRefused);
  }

  public static final String MLP = "mlp";
  public static final String CNN = "cnn";

  /**
   * Picks the CNN when the data holds pictures ({@code b64} or {@code file} column), else the MLP.
   */
  public static final String AUTO = "auto";

  public static final int DEFAULT_EPOCHS = 60;
  public static final int DEFAULT_SEED = 42;
  public static final double DEFAULT_HOLDOUT_FRACTION = TrainingRows.DEFAULT_HOLDOUT_FRACTION;
  public static final int DEFAULT_HIDDEN = 16;
  public static final double DEFAULT_LEARNING_RATE = 0.01;
  public static final int DEFAULT_BATCH_SIZE = 16;
  public static final int DEFAULT_FILTERS = 32;
  public static final int DEFAULT_SHIFT = 2;
  public static final int DEFAULT_SHUFFLE_BUFFER_MB = 256;

  private static final Set<String> KNOWN =
      Set.of(
          "store",
          "model",
          "version",
          "data",
          "output",
          "parent",
          "epochs",
          "seed",
          "holdout-fraction",
          "hidden",
          "learning-rate",
          "batch-size",
          "target",
          "architecture",
          "filters",
          "shift",
          "devices",
          "shuffle-buffer-mb",
          "spool-dir",
          "placement",
          "placement-refused");

  public static final String USAGE =
      "usage: TrainerMain --store <uri> --model <name> --version <v> --data <key> --output <prefix>"
          + " [--parent <v>] [--epochs N] [--seed S] [--holdout-fraction F] [--hidden H]"
          + " [--learning-rate LR] [--batch-size B] [--target COLUMN] [--architecture mlp|cnn|auto]"
          + " [--filters F] [--shift PIXELS] [--devices auto|cpu|gpu|gpu:0,1]"
          + " [--shuffle-buffer-mb MB] [--spool-dir PATH] [--placement cloud/region/spot|on-demand"
          + " [--placement-refused target:refusal,...]]";

  public static TrainerOptions parse(List<String> args) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.size(); i += 2) {
      String flag = args.get(i);
      if (!flag.startsWith("--") || !KNOWN.contains(flag.substring(2))) {
        throw new TrainerException("unknown option '" + flag + "'; " + USAGE);
      }
      if (i + 1 >= args.size()) {
        throw new TrainerException("option " + flag + " needs a value");
      }
      if (values.put(flag.substring(2), args.get(i + 1)) != null) {
        throw new TrainerException("option " + flag + " given twice");
      }
    }
    return new TrainerOptions(
        required(values, "store"),
        checked("model", required(values, "model"), ModelKeys::checkName),
        checked("version", required(values, "version"), ModelKeys::checkVersion),
        checked("data", required(values, "data"), ObjectKeys::check),
        checked("output", asPrefix(required(values, "output")), ObjectKeys::checkPrefix),
        values.containsKey("parent")
            ? checked("parent", values.get("parent"), ModelKeys::checkVersion)
            : null,
        intOption(values, "epochs", DEFAULT_EPOCHS, 1, 100_000),
        intOption(values, "seed", DEFAULT_SEED, Integer.MIN_VALUE, Integer.MAX_VALUE),
        doubleOption(values, "holdout-fraction", DEFAULT_HOLDOUT_FRACTION, 0.0, 1.0),
        intOption(values, "hidden", DEFAULT_HIDDEN, 1, 4096),
        doubleOption(values, "learning-rate", DEFAULT_LEARNING_RATE, 0.0, 10.0),
        intOption(values, "batch-size", DEFAULT_BATCH_SIZE, 1, 1_000_000),
        values.get("target"),
        architecture(values.getOrDefault("architecture", AUTO)),
        intOption(values, "filters", DEFAULT_FILTERS, 1, 1024),
        intOption(values, "shift", DEFAULT_SHIFT, 0, 64),
        values.getOrDefault("devices", TrainingDevices.AUTO),
        intOption(values, "shuffle-buffer-mb", DEFAULT_SHUFFLE_BUFFER_MB, 1, 1 << 20),
        values.get("spool-dir"),
        values.containsKey("placement") ? placement(values.get("placement")) : null,
        refused(values.get("placement-refused")));
  }

  private static io.triad.functions.training.PlacementTarget placement(String value) {
    try {
      return io.triad.functions.training.PlacementTarget.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TrainerException("--placement: " + e.getMessage());
    }
  }

  /** {@code target:refusal,...}, each target a placement and each refusal a launcher's word. */
  private static List<String> refused(String value) {
    if (value == null) {
      return List.of();
    }
    Set<String> words =
        java.util.Arrays.stream(
                io.triad.functions.training.TrainingLaunchException.Refusal.values())
            .map(io.triad.functions.training.TrainingLaunchException.Refusal::word)
            .collect(java.util.stream.Collectors.toSet());
    List<String> refused = List.of(value.split(",", -1));
    for (String entry : refused) {
      int colon = entry.lastIndexOf(':');
      if (colon < 0 || !words.contains(entry.substring(colon + 1))) {
        throw new TrainerException(
            "--placement-refused holds target:refusal entries (refusal one of "
                + new java.util.TreeSet<>(words)
                + "), not '"
                + entry
                + "'");
      }
      placement(entry.substring(0, colon));
    }
    return refused;
  }

  /** What {@code training.json} records of where the job ran and why, or null. */
  public Map<String, Object> placementRecord() {
    if (placement == null) {
      return null;
    }
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("target", placement.toString());
    record.put(
        "refused",
        placementRefused.stream()
            .map(
                entry -> {
                  int colon = entry.lastIndexOf(':');
                  return Map.of(
                      "target", entry.substring(0, colon), "refusal", entry.substring(colon + 1));
                })
            .toList());
    return record;
  }

  private static String architecture(String value) {
    if (!List.of(MLP, CNN, AUTO).contains(value)) {
      throw new TrainerException("--architecture must be mlp, cnn or auto, got '" + value + "'");
    }
    return value;
  }

  /** The training parameters, keyed by their option names, for lineage and training.json. */
  public Map<String, Object> parameters() {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("epochs", epochs);
    parameters.put("seed", seed);
    parameters.put("holdout-fraction", holdoutFraction);
    parameters.put("hidden", hidden);
    parameters.put("learning-rate", learningRate);
    parameters.put("batch-size", batchSize);
    if (target != null) {
      parameters.put("target", target);
    }
    parameters.put("architecture", architecture);
    parameters.put("devices", devices);
    parameters.put("shuffle-buffer-mb", shuffleBufferMb);
    return parameters;
  }

  /** The parameters of a CNN run: the common ones and the network's own. */
  public Map<String, Object> cnnParameters() {
    Map<String, Object> parameters = parameters();
    parameters.put("filters", filters);
    parameters.put("shift", shift);
    return parameters;
  }

  private static String asPrefix(String output) {
    return output.endsWith("/") ? output : output + "/";
  }

  private static String required(Map<String, String> values, String name) {
    String value = values.get(name);
    if (value == null || value.isBlank()) {
      throw new TrainerException("missing --" + name + "; " + USAGE);
    }
    return value;
  }

  private static String checked(
      String name, String value, java.util.function.UnaryOperator<String> check) {
    try {
      return check.apply(value);
    } catch (TriadError e) {
      throw new TrainerException("invalid --" + name + " '" + value + "': " + e.getMessage());
    }
  }

  private static int intOption(
      Map<String, String> values, String name, int fallback, int min, int max) {
    String text = values.get(name);
    if (text == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text.trim());
      if (value < min || value > max) {
        throw new TrainerException(
            "--" + name + " must be between " + min + " and " + max + ", got " + value);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new TrainerException("--" + name + " must be an integer, got '" + text + "'");
    }
  }

  /** A number strictly between {@code min} and {@code max}. */
  private static double doubleOption(
      Map<String, String> values, String name, double fallback, double min, double max) {
    String text = values.get(name);
    if (text == null) {
      return fallback;
    }
    try {
      double value = Double.parseDouble(text.trim());
      if (!(value > min && value < max)) {
        throw new TrainerException(
            "--" + name + " must be above " + min + " and below " + max + ", got " + text);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new TrainerException("--" + name + " must be a number, got '" + text + "'");
    }
  }
}
