package io.triad.layout;

import java.util.List;

/**
 * The bucket's layout, the one definition every part uses: the functions route and name objects by
 * it, the adapters watch and announce by it, infra scopes IAM and notifications by its prefixes.
 *
 * <pre>
 * incoming/{m}/…                     uploads to score           → predictions/{m}/…
 * labelled/{m}/…                     labelled data to evaluate  → evaluations/{m}/{v}/…
 * data/{m}/train.csv                 training data (unless a model names its own)
 * candidates/{m}/{v}/                what a training job writes; manifest.json last
 * models/{m}/{v}/model.onnx, manifest.json, signature.json, and models/{m}/aliases/{alias}
 * failed/{key}, failed/{key}.error.json   a bad upload's copy and its reason
 * </pre>
 *
 * Keys passed in are taken as given; checking names and keys is the caller's (the functions' {@code
 * ModelKeys} and {@code ObjectKeys}).
 */
public final class BucketLayout {
  public static final String INCOMING = "incoming/";
  public static final String LABELLED = "labelled/";
  public static final String PREDICTIONS = "predictions/";
  public static final String EVALUATIONS = "evaluations/";
  public static final String CANDIDATES = "candidates/";
  public static final String MODELS = "models/";
  public static final String FAILED = "failed/";
  public static final String DATA = "data/";

  /** Sampled requests and responses, when a model's payload logging is on. */
  public static final String PAYLOADS = "payloads/";

  /** Drift reports: {@code monitoring/{m}/{v}/drift-{yyyy-MM-dd}.json} and {@code .html}. */
  public static final String MONITORING = "monitoring/";

  /**
   * Rollouts: each serving instance's live figures per version ({@code
   * rollouts/{m}/live/{v}/{instance}.json}), the claim on each decision ({@code
   * rollouts/{m}/claims/}) and every decision with its figures ({@code rollouts/{m}/{time}.json}).
   */
  public static final String ROLLOUTS = "rollouts/";

  /**
   * Replication to a model's other stores: {@code replication/{m}/{v}.json}, each destination's
   * state for that version (files copied and verified, the alias moved, or why not yet).
   */
  public static final String REPLICATION = "replication/";

  /**
   * What training cost: {@code costs/{m}/{yyyy-MM}/{v}.json} per job (its estimate before launch,
   * its runtime × price after), and {@code costs/{m}/{yyyy-MM}.json}, the month's summary.
   */
  public static final String COSTS = "costs/";

  /** The prefixes whose new objects are events for the functions. */
  public static final List<String> TRIGGERS = List.of(INCOMING, LABELLED, CANDIDATES);

  public static final String MODEL_FILE = "model.onnx";

  /** A package's manifest; in a candidate's folder, written last, its arrival starts the gate. */
  public static final String MANIFEST_FILE = "manifest.json";

  /**
   * A promoted package's signature over its model file and manifest, written at promotion after
   * both; a package without a trusted one is never served.
   */
  public static final String SIGNATURE_FILE = "signature.json";

  /**
   * The fingerprints of the rows a version trained on, beside its package (written by the trainer,
   * copied at promotion): how the gate and evaluations tell rows a version saw from rows it did
   * not.
   */
  public static final String TRAINING_ROWS_FILE = "training-rows.txt";

  /** The held-out rows a trainer writes beside its candidate, for the gate. */
  public static final String HOLDOUT_FILE = "holdout.csv";

  /** A submitted training job's record beside the candidate it will write. */
  public static final String LAUNCH_FILE = "launch.json";

  /**
   * The claim on one move of a waiting job to another target ({@link #moveClaim}): a conditional
   * create, so of two deliveries of one tick only one withdraws the job and submits its version.
   */
  public static final String MOVE_FILE = "move.json";

  /**
   * Beside a candidate being trained, where its run stood after its last finished epoch: a retried
   * or preempted job resumes from it.
   */
  public static final String CHECKPOINT_FILE = "checkpoint.bin";

  /** Beside a candidate, how the trainer trained it: epochs, devices, and its runtime by phase. */
  public static final String TRAINING_REPORT_FILE = "training.json";

  /** Why a candidate was not promoted. */
  public static final String REJECTED_FILE = "rejected.json";

  /** Why a training job ended without a candidate (it failed or timed out). */
  public static final String JOB_FAILED_FILE = "job-failed.json";

  /** How far a running training job is (epoch, step, loss, elapsed, ETA), rewritten as it goes. */
  public static final String PROGRESS_FILE = "progress.json";

  public static final String PRODUCTION = "production";

  /**
   * The canary alias, {@code models/{m}/aliases/canary}: {@code {"version": "2", "weight": 10}}
   * sends that share of requests and uploads (0-100, chosen from each one's id) to that version.
   */
  public static final String CANARY = "canary";

  /**
   * The shadow alias, {@code models/{m}/aliases/shadow}: {@code {"version": "3", "weight": 100}}
   * shows that share of requests to that version after production has answered, for comparison
   * only.
   */
  public static final String SHADOW = "shadow";

  /**
   * Uploading {@code labelled/{m}/{name}.evaluate} evaluates the pictures in {@code
   * labelled/{m}/{label}/}.
   */
  public static final String FOLDER_TRIGGER = ".evaluate";

  /** Beside a failed upload's copy, the reason. */
  public static final String FAILURE_SUFFIX = ".error.json";

  private BucketLayout() {}

  public static String incoming(String model) {
    return INCOMING + model + "/";
  }

  public static String labelled(String model) {
    return LABELLED + model + "/";
  }

  /**
   * Where the drift report of {@code model} version {@code version} for {@code day} goes, less its
   * extension.
   */
  public static String driftReport(String model, String version, java.time.LocalDate day) {
    return MONITORING + model + "/" + version + "/drift-" + day;
  }

  /**
   * Where the scheduled check of {@code model} version {@code version}'s payload log on one UTC day
   * goes ({@code .json} and {@code .html} are added): {@code
   * monitoring/{m}/{v}/served-drift-{yyyy-MM-dd}}.
   */
  public static String servedDriftReport(String model, String version, java.time.LocalDate day) {
    return MONITORING + model + "/" + version + "/served-drift-" + day;
  }

  /** The cost of the job that trained {@code version} of {@code model}, filed under its month. */
  public static String costRecord(String model, java.time.YearMonth month, String version) {
    return costMonth(model, month) + version + ".json";
  }

  /** Every job's cost of {@code model} in {@code month}. */
  public static String costMonth(String model, java.time.YearMonth month) {
    return COSTS + model + "/" + month + "/";
  }

  /** The summary of {@code model}'s training costs in {@code month}. */
  public static String costSummary(String model, java.time.YearMonth month) {
    return COSTS + model + "/" + month + ".json";
  }

  /** Where the replication of {@code version} of {@code model} to its other stores is recorded. */
  public static String replicationStatus(String model, String version) {
    return REPLICATION + model + "/" + version + ".json";
  }

  /** Where one serving instance keeps its live figures for a version of a model. */
  public static String rolloutLive(String model, String version, String instance) {
    return rolloutLive(model, version) + instance + ".json";
  }

  /** Every instance's live figures for a version of a model. */
  public static String rolloutLive(String model, String version) {
    return ROLLOUTS + model + "/live/" + version + "/";
  }

  /**
   * The claim on a decision about one state of a model's aliases: {@code kind} (canary,
   * production), the version and when its alias was written, so one decision is taken per state.
   */
  public static String rolloutClaim(String model, String kind, String version, long aliasMillis) {
    return ROLLOUTS + model + "/claims/" + kind + "-" + version + "-" + aliasMillis + ".json";
  }

  /** A decision of {@code model}'s rollout at {@code time}: {@code rollouts/{m}/{time}.json}. */
  public static String rolloutDecision(String model, java.time.Instant time) {
    return ROLLOUTS
        + model
        + "/"
        + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(java.time.ZoneOffset.UTC)
            .format(time)
        + ".json";
  }

  /** Where {@code model}'s payload log for one UTC day goes: {@code payloads/{m}/{yyyy-MM-dd}/}. */
  public static String payloads(String model, java.time.LocalDate day) {
    return PAYLOADS + model + "/" + day + "/";
  }

  /**
   * Where the predictions for {@code incoming/{model}/{name}} go: the whole name, extension kept,
   * plus {@code .json} for a picture or {@code .jsonl} for a table ({@code valid.csv} to {@code
   * valid.csv.jsonl}), so two different uploads can never write the same key.
   */
  public static String predictions(String model, String name, boolean picture) {
    return PREDICTIONS + model + "/" + name + (picture ? ".json" : ".jsonl");
  }

  /**
   * Where an evaluation report named {@code name} of {@code model} version {@code version} goes
   * ({@code .json} and {@code .html} are added): a labelled table's whole name, a folder trigger's
   * name without {@link #FOLDER_TRIGGER}.
   */
  public static String evaluation(String model, String version, String name) {
    return EVALUATIONS + model + "/" + version + "/" + name;
  }

  /** The default training data of {@code model}. */
  public static String trainingData(String model) {
    return DATA + model + "/train.csv";
  }

  public static String candidateDir(String model, String version) {
    return CANDIDATES + model + "/" + version + "/";
  }

  /**
   * The claim on the {@code move}-th move (0 first) of a candidate's waiting job by the tick at
   * {@code tickEpochSecond}: deliveries of one tick claim the same key; a later tick, another.
   */
  public static String moveClaim(String candidateDir, int move, long tickEpochSecond) {
    return candidateDir + "moves/" + move + "-" + tickEpochSecond + "/" + MOVE_FILE;
  }

  public static String modelDir(String model, String version) {
    return MODELS + model + "/" + version + "/";
  }

  public static String modelFile(String model, String version) {
    return modelDir(model, version) + MODEL_FILE;
  }

  public static String manifest(String model, String version) {
    return modelDir(model, version) + MANIFEST_FILE;
  }

  public static String signature(String model, String version) {
    return modelDir(model, version) + SIGNATURE_FILE;
  }

  public static String alias(String model, String alias) {
    return MODELS + model + "/aliases/" + alias;
  }

  /** Where a bad upload's copy goes. */
  public static String failedCopy(String key) {
    return FAILED + key;
  }

  /** Where a bad upload's reason goes. */
  public static String failureRecord(String key) {
    return FAILED + key + FAILURE_SUFFIX;
  }

  /**
   * Where the reason goes for an upload whose name cannot be a key (a control character, a name too
   * long): {@code failed/unsafe-names/{the name's safe characters}-{digest}.error.json}, one record
   * per distinct name, under a name that is always a key.
   */
  public static String unsafeNameRecord(String key) {
    StringBuilder safe = new StringBuilder();
    key.codePoints()
        .limit(80)
        .forEach(
            c ->
                safe.append(
                    c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '-')
                        ? (char) c
                        : '_'));
    byte[] digest;
    try {
      digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    return FAILED
        + "unsafe-names/"
        + safe
        + "-"
        + java.util.HexFormat.of().formatHex(digest, 0, 8)
        + FAILURE_SUFFIX;
  }

  /**
   * {@code name} without its extension: {@code a/b.csv} is {@code a/b}; a dot that starts a name is
   * kept.
   */
  public static String withoutExtension(String name) {
    int slash = name.lastIndexOf('/');
    int dot = name.lastIndexOf('.');
    return dot > slash + 1 ? name.substring(0, dot) : name;
  }
}
