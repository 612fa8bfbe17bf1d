package io.triad.models;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.onnxruntime.OrtEnvironment;
import io.triad.functions.model.DataProfile;
import io.triad.functions.model.ModelManifest;
import io.triad.functions.model.ModelManifest.Lineage;
import io.triad.functions.model.ModelManifest.Postprocessing;
import io.triad.functions.model.ModelManifest.Preprocessing;
import io.triad.functions.model.ModelManifest.TensorSpec;
import io.triad.functions.store.BlobStore;
import java.io.PrintStream;
import java.nio.file.Path;
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
 * One training run, start to candidate: stream the CSV from the store (pictures go to {@link
 * CnnCandidateTrainer}), split, standardize, train the MLP, export ONNX, check ONNX Runtime against
 * DJL on every holdout row, score the holdout. The data is never held in memory whole ({@link
 * SpooledData}, {@link SpoolBatches}). Writes nothing; {@link CandidateWriter} does, once all of
 * this has passed.
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

  /**
   * Trains on {@code options.data()}, read from the store as a stream: the table is read twice
   * (what its columns are, then its rows encoded into a spool under {@code work}) and never held in
   * memory; training takes its rows from the spool through a bounded shuffle buffer.
   */
  public Candidate train(TrainerOptions options, Path work) {
    List<String> header;
    try (CsvRows rows = CsvRows.open(store, options.data())) {
      header = rows.header();
    }
    boolean cnn =
        options.architecture().equals(TrainerOptions.CNN)
            || (options.architecture().equals(TrainerOptions.AUTO)
                && PictureSpooler.holdsPictures(header));
    if (cnn) {
      return new CnnCandidateTrainer(store, clock, log).train(options, work);
    }
    long start = System.nanoTime();
    Map<String, Long> millis = new LinkedHashMap<>();
    TableSchema schema =
        TableSchema.scan(
            header,
            options.target(),
            options.data(),
            visit -> {
              try (CsvRows rows = CsvRows.open(store, options.data())) {
                for (CsvTable.Row row = rows.next(); row != null; row = rows.next()) {
                  visit.accept(row);
                }
              }
            });
    try (SpooledData data = spool(options, schema, work)) {
      FeatureScaler scaler =
          FeatureScaler.fit(
              schema.features(),
              schema.width(),
              visit ->
                  data.forEach(
                      true,
                      (features, label, fingerprint) -> {
                        visit.accept(features);
                        return true;
                      }));
      ProfileBuilder profile =
          new ProfileBuilder(schema.features(), schema.labels(), options.seed());
      data.forEach(
          true,
          (features, label, fingerprint) -> {
            profile.add(features, label);
            return true;
          });
      SpoolBatches batches =
          SpoolBatches.within(data, scaler::scaleInPlace, options.shuffleBufferMb());
      SpooledData.Sample heldOut = SpoolBatches.heldOutWithin(data, options.shuffleBufferMb());
      log.printf(
          "trainer: %s: %d rows, %d features, %d classes %s; train %d, holdout %d; %s%n",
          options.data(),
          data.trainRows() + data.holdoutRows(),
          schema.width(),
          schema.labels().size(),
          schema.labels(),
          data.trainRows(),
          data.holdoutRows(),
          shuffling(batches, options));
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
      MlpTrainer trainer =
          new MlpTrainer(config, devices, progress::epoch)
              .checkpointing(StoredCheckpoints.of(store, options, log));
      String trainerName = "djl-" + Engine.getDjlVersion() + " pytorch mlp";
      try (TrainedMlp mlp =
          trainer.train(batches, schema.labels().size(), scaler.scale(heldOut.x()), heldOut.y())) {
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
                        String.join(",", schema.labels())));
        millis.put("export", elapsed(step));

        step = System.nanoTime();
        HoldoutCheck check;
        try (OnnxScorer.Loaded ort =
            new OnnxScorer(OrtEnvironment.getEnvironment())
                .load(onnx, OnnxExporter.INPUT, new long[] {schema.width()})) {
          check = HoldoutCheck.run(data, ort::score, raw -> mlp.predictOnCpu(scaler.scale(raw)));
        }
        double diff = check.maxAbsDiff();
        if (!(diff <= MAX_EXPORT_DIFF)) {
          throw new TrainerException(
              String.format(
                  Locale.ROOT,
                  "export check failed: ONNX Runtime and DJL differ by %.3g on the holdout (limit"
                      + " %.0e)",
                  diff,
                  MAX_EXPORT_DIFF));
        }
        millis.put("verify", elapsed(step));
        HoldoutMetrics metrics = check.metrics();
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
                schema.target(),
                trainerName,
                TrainingDevices.names(devices),
                (int) data.trainRows(),
                (int) data.holdoutRows(),
                options.parameters(),
                mlp.history(),
                metrics.asMap(),
                diff,
                millis,
                options.placementRecord());
        ModelManifest manifest =
            manifest(options, schema, scaler, onnx, metrics, trainerName, profile.build());
        return new Candidate(onnx, data.holdoutCsv(), data.trainingRows(), report, manifest);
      }
    }
  }

  /** The table's rows, encoded, into a spool under {@code work}: the data's second read. */
  private SpooledData spool(TrainerOptions options, TableSchema schema, Path work) {
    try (CsvRows rows = CsvRows.open(store, options.data());
        SpooledData.Writer writer =
            new SpooledData.Writer(
                work,
                rows.header(),
                schema.targetColumn(),
                options.data(),
                options.holdoutFraction())) {
      for (CsvTable.Row row = rows.next(); row != null; row = rows.next()) {
        writer.add(
            row,
            schema.labels().get(schema.label(row)),
            schema.fingerprint(row),
            schema.encode(row));
      }
      return writer.finish();
    }
  }

  /** How the rows are shuffled, for the log. */
  static String shuffling(SpoolBatches batches, TrainerOptions options) {
    return batches.fits()
        ? "all training rows in memory"
        : "streamed through a " + options.shuffleBufferMb() + " MB shuffle buffer";
  }

  private ModelManifest manifest(
      TrainerOptions options,
      TableSchema data,
      FeatureScaler scaler,
      byte[] onnx,
      HoldoutMetrics metrics,
      String trainerName,
      DataProfile profile) {
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
        new Lineage(options.data(), trainerName, options.parent(), options.parameters()),
        profile);
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
