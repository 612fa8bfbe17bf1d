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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One CNN training run on labelled pictures: decode with the serving preprocessing into a spool
 * ({@link PictureSpooler}), split, train from it through the shuffle buffer, export ONNX, check
 * ONNX Runtime against DJL on every holdout picture (same class, probabilities within {@link
 * CandidateTrainer#MAX_EXPORT_DIFF}), score the holdout.
 */
final class CnnCandidateTrainer {
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

  Candidate train(TrainerOptions options, Path work) {
    long start = System.nanoTime();
    Map<String, Long> millis = new LinkedHashMap<>();
    try (PictureSpooler.Pictures pictures =
        PictureSpooler.spool(
            store, options.data(), options.target(), options.holdoutFraction(), work)) {
      return train(options, pictures, start, millis);
    }
  }

  private Candidate train(
      TrainerOptions options,
      PictureSpooler.Pictures pictures,
      long start,
      Map<String, Long> millis) {
    SpooledData data = pictures.data();
    ImageInput input = pictures.input();
    SpoolBatches batches = SpoolBatches.within(data, pixels -> {}, options.shuffleBufferMb());
    SpooledData.Sample heldOut = SpoolBatches.heldOutWithin(data, options.shuffleBufferMb());
    log.printf(
        "trainer: %s: %d pictures %dx%d %s, %d classes %s; train %d, holdout %d; %s%n",
        options.data(),
        data.trainRows() + data.holdoutRows(),
        input.width(),
        input.height(),
        input.channels(),
        data.labels().size(),
        data.labels(),
        data.trainRows(),
        data.holdoutRows(),
        CandidateTrainer.shuffling(batches, options));
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
            .checkpointing(StoredCheckpoints.of(store, options, log))
            .train(batches, shape, data.labels().size(), heldOut.x(), heldOut.y())) {
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
      HoldoutCheck check;
      try (OnnxScorer.Loaded ort =
          new OnnxScorer(OrtEnvironment.getEnvironment())
              .load(onnx, CnnExporter.INPUT, shape.getShape())) {
        check = HoldoutCheck.run(data, ort::score, cnn::predictOnCpu);
      }
      double diff = check.maxAbsDiff();
      int disagreements = check.disagreements();
      if (!(diff <= CandidateTrainer.MAX_EXPORT_DIFF) || disagreements > 0) {
        throw new TrainerException(
            String.format(
                Locale.ROOT,
                "export check failed: ONNX Runtime and DJL differ by %.3g (limit %.0e) and disagree on the class of %d"
                    + " of %d holdout pictures",
                diff,
                CandidateTrainer.MAX_EXPORT_DIFF,
                disagreements,
                data.holdoutRows()));
      }
      millis.put("verify", CandidateTrainer.elapsed(step));
      HoldoutMetrics metrics = check.metrics();
      log.printf(
          Locale.ROOT,
          "trainer: holdout accuracy=%.4f log_loss=%.4f macro_f1=%.4f; ORT vs DJL: same class on"
              + " all %d pictures, max diff %.3g%n",
          metrics.accuracy(),
          metrics.logLoss(),
          metrics.macroF1(),
          data.holdoutRows(),
          diff);
      millis.put("total", CandidateTrainer.elapsed(start));

      TrainingReport report =
          new TrainingReport(
              options.model(),
              options.version(),
              options.data(),
              pictures.target(),
              trainerName,
              TrainingDevices.names(devices),
              (int) data.trainRows(),
              (int) data.holdoutRows(),
              options.cnnParameters(),
              cnn.history(),
              metrics.asMap(),
              diff,
              millis,
              options.placementRecord());
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
                  Preprocessing.IMAGE, CnnExporter.INPUT, null, false, pictures.target(), input),
              new Postprocessing(OnnxExporter.OUTPUT, data.labels(), false, TOP_K),
              metrics.asMap(),
              new Lineage(options.data(), trainerName, options.parent(), options.cnnParameters()),
              pictures.profile());
      return new Candidate(onnx, data.holdoutCsv(), data.trainingRows(), report, manifest);
    }
  }
}
