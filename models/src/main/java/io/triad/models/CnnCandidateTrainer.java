package io.triad.models;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OrtEnvironment;
import io.triad.functions.model.ImageInput;
import io.triad.functions.model.ModelManifest;
import io.triad.functions.model.ModelManifest.Lineage;
import io.triad.functions.model.ModelManifest.Postprocessing;
import io.triad.functions.model.ModelManifest.Preprocessing;
import io.triad.functions.model.ModelManifest.TensorSpec;
import io.triad.functions.store.BlobStore;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One CNN training run on labelled pictures: decode with the serving preprocessing, split, train,
 * export ONNX, check ONNX Runtime against DJL on every holdout picture (same class, probabilities
 * within {@link CandidateTrainer#MAX_EXPORT_DIFF}), score the holdout.
 */
final class CnnCandidateTrainer {
  /** The first convolution's filters. */

  /** Shown on every image prediction. */
  static final int TOP_K = 3;

  private final BlobStore store;
  private final Clock clock;
  private final PrintStream log;

  CnnCandidateTrainer(BlobStore store, Clock clock, PrintStream log) {
    this.store = store;
    this.clock = clock;
    this.log = log;
  }

  Candidate train(TrainerOptions options, CsvTable table) {
    long start = System.nanoTime();
    Map<String, Long> millis = new LinkedHashMap<>();
    ImageDataset data = ImageDataset.of(table, options.target(), options.data(), store);
    ImageInput input = data.input();
    long[] fingerprints = data.fingerprints();
    DatasetSplit split =
        DatasetSplit.stable(
            fingerprints, data.y(), data.labels().size(), options.holdoutFraction());
    float[][] holdoutX = DatasetSplit.rows(data.x(), split.holdout());
    int[] holdoutY = DatasetSplit.rows(data.y(), split.holdout());
    log.printf(
        "trainer: %s: %d pictures %dx%d %s, %d classes %s; train %d, holdout %d%n",
        options.data(),
        data.size(),
        input.width(),
        input.height(),
        input.channels(),
        data.labels().size(),
        data.labels(),
        split.train().length,
        split.holdout().length);
    millis.put("load", CandidateTrainer.elapsed(start));

    long step = System.nanoTime();
    CnnTrainer.Config config =
        new CnnTrainer.Config(
            options.filters(),
            options.hidden(),
            options.epochs(),
            options.batchSize(),
            options.learningRate(),
            options.seed(),
            options.shift());
    Shape shape = new Shape(input.channelCount(), input.height(), input.width());
    Device[] devices = TrainingDevices.select(options.devices(), TrainingDevices.visibleGpus());
    TrainingProgress progress = TrainingProgress.forStderr(log, options.epochs());
    progress.devices(TrainingDevices.names(devices));
    String trainerName = "djl-" + Engine.getDjlVersion() + " pytorch cnn";
    try (TrainedCnn cnn =
        new CnnTrainer(config, devices, progress)
            .train(
                DatasetSplit.rows(data.x(), split.train()),
                DatasetSplit.rows(data.y(), split.train()),
                shape,
                data.labels().size(),
                holdoutX,
                holdoutY)) {
      millis.put("train", CandidateTrainer.elapsed(step));

      step = System.nanoTime();
      byte[] onnx =
          new CnnExporter("triad " + trainerName)
              .export(
                  options.model(),
                  shape.getShape(),
                  cnn.layers(),
                  data.labels().size(),
                  Map.of(
                      "triad.model",
                      options.model(),
                      "triad.version",
                      options.version(),
                      "triad.labels",
                      String.join(",", data.labels())));
      millis.put("export", CandidateTrainer.elapsed(step));

      step = System.nanoTime();
      float[][] ort =
          new OnnxScorer(OrtEnvironment.getEnvironment())
              .score(onnx, CnnExporter.INPUT, holdoutX, shape.getShape());
      float[][] djl = cnn.predictOnCpu(holdoutX);
      double diff = OnnxScorer.maxAbsDiff(ort, djl);
      int disagreements = OnnxScorer.classDisagreements(ort, djl);
      if (!(diff <= CandidateTrainer.MAX_EXPORT_DIFF) || disagreements > 0) {
        throw new TrainerException(
            String.format(
                Locale.ROOT,
                "export check failed: ONNX Runtime and DJL differ by %.3g (limit %.0e) and disagree on the class of %d"
                    + " of %d holdout pictures",
                diff,
                CandidateTrainer.MAX_EXPORT_DIFF,
                disagreements,
                holdoutX.length));
      }
      millis.put("verify", CandidateTrainer.elapsed(step));
      HoldoutMetrics metrics = HoldoutMetrics.of(ort, holdoutY, data.labels().size());
      log.printf(
          Locale.ROOT,
          "trainer: holdout accuracy=%.4f log_loss=%.4f macro_f1=%.4f; ORT vs DJL: same class on"
              + " all %d pictures, max diff %.3g%n",
          metrics.accuracy(),
          metrics.logLoss(),
          metrics.macroF1(),
          holdoutX.length,
          diff);
      millis.put("total", CandidateTrainer.elapsed(start));

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
              options.cnnParameters(),
              cnn.history(),
              metrics.asMap(),
              diff,
              millis);
      ModelManifest manifest =
          new ModelManifest(
              options.model(),
              options.version(),
              Instant.now(clock).truncatedTo(ChronoUnit.MILLIS),
              CandidateTrainer.sha256(onnx),
              List.of(
                  new TensorSpec(
                      CnnExporter.INPUT,
                      "FP32",
                      List.of(-1L, shape.get(0), shape.get(1), shape.get(2)))),
              List.of(
                  new TensorSpec(
                      OnnxExporter.OUTPUT, "FP32", List.of(-1L, (long) data.labels().size()))),
              new Preprocessing(
                  Preprocessing.IMAGE, CnnExporter.INPUT, null, false, data.target(), input),
              new Postprocessing(OnnxExporter.OUTPUT, data.labels(), false, TOP_K),
              metrics.asMap(),
              new Lineage(options.data(), trainerName, options.parent(), options.cnnParameters()));
      String holdoutCsv =
          table.format(Arrays.stream(split.holdout()).mapToObj(table.rows()::get).toList());
      return new Candidate(onnx, holdoutCsv, split.trainingRows(fingerprints), report, manifest);
    }
  }
}
