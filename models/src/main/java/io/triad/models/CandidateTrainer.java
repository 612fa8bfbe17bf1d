package io.triad.models;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.onnxruntime.OrtEnvironment;
import io.triad.functions.model.ModelManifest;
import io.triad.functions.model.ModelManifest.Lineage;
import io.triad.functions.model.ModelManifest.Postprocessing;
import io.triad.functions.model.ModelManifest.Preprocessing;
import io.triad.functions.model.ModelManifest.TensorSpec;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.NoSuchObjectException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One training run, start to candidate: read the CSV from the store (pictures go to {@link
 * CnnCandidateTrainer}), split, standardize, train the MLP, export ONNX, check ONNX Runtime against
 * DJL on every holdout row, score the holdout. Writes nothing; {@link CandidateWriter} does, once
 * all of this has passed.
 */
public final class CandidateTrainer {
  /** ONNX Runtime and DJL must agree this closely on every holdout probability. */
  public static final double MAX_EXPORT_DIFF = 1e-5;

  private final BlobStore store;
  private final Clock clock;
  private final PrintStream log;

  public CandidateTrainer(BlobStore store, Clock clock, PrintStream log) {
    this.store = store;
    this.clock = clock;
    this.log = log;
  }

  public Candidate train(TrainerOptions options) {
    long start = System.nanoTime();
    CsvTable table = CsvTable.parse(readData(options.data()), options.data());
    boolean cnn =
        options.architecture().equals(TrainerOptions.CNN)
            || (options.architecture().equals(TrainerOptions.AUTO)
                && ImageDataset.holdsPictures(table));
    if (cnn) {
      return new CnnCandidateTrainer(store, clock, log).train(options, table);
    }
    Map<String, Long> millis = new LinkedHashMap<>();
    TabularDataset data = TabularDataset.of(table, options.target(), options.data());
    long[] fingerprints = data.fingerprints();
    DatasetSplit split =
        DatasetSplit.stable(
            fingerprints, data.y(), data.labels().size(), options.holdoutFraction());
    FeatureScaler scaler = FeatureScaler.fit(data, split.train());
    float[][] holdoutRaw = DatasetSplit.rows(data.x(), split.holdout());
    int[] holdoutY = DatasetSplit.rows(data.y(), split.holdout());
    log.printf(
        "trainer: %s: %d rows, %d features, %d classes %s; train %d, holdout %d%n",
        options.data(),
        data.size(),
        data.width(),
        data.labels().size(),
        data.labels(),
        split.train().length,
        split.holdout().length);
    millis.put("load", elapsed(start));

    long step = System.nanoTime();
    MlpTrainer.Config config =
        new MlpTrainer.Config(
            options.hidden(),
            options.epochs(),
            options.batchSize(),
            options.learningRate(),
            options.seed());
    Device[] devices = TrainingDevices.select(options.devices(), TrainingDevices.visibleGpus());
    TrainingProgress progress = TrainingProgress.forStderr(log, options.epochs());
    progress.devices(TrainingDevices.names(devices));
    MlpTrainer trainer = new MlpTrainer(config, devices, progress::epoch);
    String trainerName = "djl-" + Engine.getDjlVersion() + " pytorch mlp";
    try (TrainedMlp mlp =
        trainer.train(
            scaler.scale(DatasetSplit.rows(data.x(), split.train())),
            DatasetSplit.rows(data.y(), split.train()),
            data.labels().size(),
            scaler.scale(holdoutRaw),
            holdoutY)) {
      millis.put("train", elapsed(step));

      step = System.nanoTime();
      byte[] onnx =
          new OnnxExporter("triad " + trainerName)
              .export(
                  options.model(),
                  scaler,
                  mlp.layers(),
                  Map.of(
                      "triad.model",
                      options.model(),
                      "triad.version",
                      options.version(),
                      "triad.labels",
                      String.join(",", data.labels())));
      millis.put("export", elapsed(step));

      step = System.nanoTime();
      float[][] ort = new OnnxScorer(OrtEnvironment.getEnvironment()).score(onnx, holdoutRaw);
      float[][] djl = mlp.predictOnCpu(scaler.scale(holdoutRaw));
      double diff = OnnxScorer.maxAbsDiff(ort, djl);
      if (!(diff <= MAX_EXPORT_DIFF)) {
        throw new TrainerException(
            String.format(
                Locale.ROOT,
                "export check failed: ONNX Runtime and DJL differ by %.3g on the holdout (limit %.0e)",
                diff,
                MAX_EXPORT_DIFF));
      }
      millis.put("verify", elapsed(step));
      HoldoutMetrics metrics = HoldoutMetrics.of(ort, holdoutY, data.labels().size());
      log.printf(
          Locale.ROOT,
          "trainer: holdout accuracy=%.4f log_loss=%.4f macro_f1=%.4f; ORT vs DJL max diff %.3g%n",
          metrics.accuracy(),
          metrics.logLoss(),
          metrics.macroF1(),
          diff);
      millis.put("total", elapsed(start));

      TrainingReport report =
          new TrainingReport(
              options.model(),
              options.version(),
              options.data(),
              data.target(),
              trainerName,
              TrainingDevices.names(devices),
              split.train().length,
              split.holdout().length,
              options.parameters(),
              mlp.history(),
              metrics.asMap(),
              diff,
              millis);
      ModelManifest manifest = manifest(options, data, scaler, onnx, metrics, trainerName);
      String holdoutCsv =
          data.table()
              .format(
                  java.util.Arrays.stream(split.holdout())
                      .mapToObj(data.table().rows()::get)
                      .toList());
      return new Candidate(onnx, holdoutCsv, split.trainingRows(fingerprints), report, manifest);
    }
  }

  private ModelManifest manifest(
      TrainerOptions options,
      TabularDataset data,
      FeatureScaler scaler,
      byte[] onnx,
      HoldoutMetrics metrics,
      String trainerName) {
    long width = data.width();
    long classes = data.labels().size();
    return new ModelManifest(
        options.model(),
        options.version(),
        Instant.now(clock).truncatedTo(ChronoUnit.MILLIS),
        sha256(onnx),
        List.of(new TensorSpec(OnnxExporter.INPUT, "FP32", List.of(-1L, width))),
        List.of(new TensorSpec(OnnxExporter.OUTPUT, "FP32", List.of(-1L, classes))),
        new Preprocessing(
            "tabular",
            OnnxExporter.INPUT,
            scaler.manifestFeatures(data.features()),
            true,
            data.target()),
        new Postprocessing(OnnxExporter.OUTPUT, data.labels(), false, null),
        metrics.asMap(),
        new Lineage(options.data(), trainerName, options.parent(), options.parameters()));
  }

  private String readData(String key) {
    try (InputStream in = store.open(key)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (NoSuchObjectException e) {
      throw new TrainerException("no data object '" + key + "' in " + store.uri());
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + key + " from " + store.uri(), e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  static long elapsed(long since) {
    return (System.nanoTime() - since) / 1_000_000;
  }
}
