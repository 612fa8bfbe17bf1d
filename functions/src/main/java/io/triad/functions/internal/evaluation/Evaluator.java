package io.triad.functions.internal.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.EvaluateCall;
import io.triad.functions.api.InferenceRequest;
import io.triad.functions.api.InferenceResponse;
import io.triad.functions.api.NamedTensor;
import io.triad.functions.api.TriadError;
import io.triad.functions.image.ImageEncoder;
import io.triad.functions.image.PictureStats;
import io.triad.functions.image.RowImages;
import io.triad.functions.inference.Postprocessor;
import io.triad.functions.inference.Predictor;
import io.triad.functions.model.ModelLease;
import io.triad.functions.model.ModelManifest;
import io.triad.functions.model.ModelManifest.Postprocessing;
import io.triad.functions.model.ModelRegistry;
import io.triad.functions.model.TrainingRows;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.NoSuchObjectException;
import io.triad.functions.tabular.Preprocessor;
import io.triad.functions.tabular.RecordSource;
import io.triad.layout.BucketLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The {@code evaluate} function: scores a labelled file in micro-batches and accumulates metrics in
 * bounded memory. Classification when the manifest names labels, regression otherwise. For an image
 * model the rows hold pictures ({@code b64} or {@code file}), or a folder holds one per label, and
 * the report keeps thumbnails of the worst mistakes.
 */
public final class Evaluator implements Function<EvaluateCall, EvaluationReport> {
  /** Thumbnails of the worst mistakes an image report shows. */
  static final int WORST_SHOWN = 16;

  private final BlobStore store;
  private final ModelRegistry registry;
  private final Predictor predictor;
  private final ObjectMapper json;
  private final Clock clock;
  private final int microBatch;

  public Evaluator(
      BlobStore store,
      ModelRegistry registry,
      Predictor predictor,
      ObjectMapper json,
      Clock clock,
      int microBatch) {
    this.store = store;
    this.registry = registry;
    this.predictor = predictor;
    this.json = json;
    this.clock = clock;
    this.microBatch = microBatch;
  }

  @Override
  public EvaluationReport apply(EvaluateCall call) {
    try (ModelLease lease = registry.acquire(call.model(), call.version())) {
      return evaluate(lease, call.dataKey());
    }
  }

  /** Evaluates a model the caller holds (the served version, or a candidate) on {@code dataKey}. */
  public EvaluationReport evaluate(ModelLease lease, String dataKey) {
    return evaluate(lease, dataKey, null);
  }

  /**
   * As {@link #evaluate(ModelLease, String)}, also recording what the model answered on each row,
   * in file order, into {@code outcomes} (when not null): what a paired comparison of two versions
   * on the same rows needs.
   */
  public EvaluationReport evaluate(ModelLease lease, String dataKey, RowOutcomes outcomes) {
    return evaluate(lease, dataKey, outcomes, null);
  }

  /**
   * As {@link #evaluate(ModelLease, String, RowOutcomes)}, also handing every table row to {@code
   * served} (when not null), for the drift check against the version's training data.
   */
  public EvaluationReport evaluate(
      ModelLease lease,
      String dataKey,
      RowOutcomes outcomes,
      io.triad.functions.monitoring.ServedSample served) {
    ModelManifest manifest = lease.manifest();
    String target = manifest.preprocessing() == null ? null : manifest.preprocessing().target();
    if (target == null) {
      throw TriadError.unprocessable(
          "the manifest of " + manifest.name() + " names no target column to evaluate against");
    }
    Scores scores = scores(manifest);
    scores.record(outcomes);
    Leakage leakage = leakage(manifest);
    RowImages images = isImage(manifest) ? new RowImages(store, dataKey) : null;
    try (InputStream in = store.open(dataKey);
        RecordSource source = RecordSource.open(dataKey, in, json)) {
      if (!source.columns().isEmpty() && !source.columns().contains(target)) {
        throw TriadError.unprocessable(
            "the labelled file has no '" + target + "' column; the header has " + source.columns());
      }
      List<RecordSource.Row> batch = new ArrayList<>(microBatch);
      for (RecordSource.Row row = source.next(); row != null; row = source.next()) {
        batch.add(row);
        if (served != null && images == null) {
          served.add(row::text);
        }
        if (batch.size() == microBatch) {
          score(lease, batch, source.textValues(), target, scores, images, leakage);
        }
      }
      score(lease, batch, source.textValues(), target, scores, images, leakage);
    } catch (NoSuchObjectException e) {
      throw TriadError.notFound("no labelled data at " + dataKey);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (scores.rows() == 0) {
      throw TriadError.unprocessable("the labelled file has no data rows");
    }
    return report(manifest, dataKey, scores, leakage);
  }

  /**
   * Evaluates an image model on a labelled folder: every {@code prefix{label}/{file}.png|jpg}
   * object is one example of class {@code label}.
   */
  public EvaluationReport evaluateFolder(ModelLease lease, String prefix) {
    return evaluateFolder(lease, prefix, null);
  }

  /**
   * As {@link #evaluateFolder(ModelLease, String)}; each picture's brightness, contrast and class
   * also go to {@code served} (for the drift check) when it is not null.
   */
  public EvaluationReport evaluateFolder(
      ModelLease lease, String prefix, io.triad.functions.monitoring.ServedSample served) {
    ModelManifest manifest = lease.manifest();
    if (!isImage(manifest)) {
      throw TriadError.unprocessable(
          "a labelled folder of pictures needs an image model; " + manifest.name() + " is not one");
    }
    Scores scores = scores(manifest);
    Leakage leakage = leakage(manifest);
    if (!(scores instanceof Classification)) {
      throw TriadError.unprocessable(
          "the manifest of " + manifest.name() + " names no class labels");
    }
    List<String> keys = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (var blob : store.list(prefix)) {
      String rest = blob.key().substring(prefix.length());
      int slash = rest.indexOf('/');
      if (slash > 0 && slash == rest.lastIndexOf('/') && ImageEncoder.isImageKey(rest)) {
        keys.add(blob.key());
        labels.add(rest.substring(0, slash));
      }
    }
    if (keys.isEmpty()) {
      throw TriadError.unprocessable("no pictures under " + prefix + "{label}/ to evaluate");
    }
    for (int from = 0; from < keys.size(); from += microBatch) {
      int to = Math.min(keys.size(), from + microBatch);
      List<byte[]> images = new ArrayList<>(to - from);
      for (String key : keys.subList(from, to)) {
        images.add(read(key));
      }
      List<String> batchKeys = keys.subList(from, to);
      InferenceRequest request =
          Preprocessor.toImageRequest(manifest, images, i -> batchKeys.get(i));
      if (served != null) {
        float[] pixels = (float[]) request.inputs().get(0).data();
        int each = pixels.length / images.size();
        for (int i = 0; i < images.size(); i++) {
          double[] stats = PictureStats.of(pixels, i * each, each);
          String label = labels.get(from + i);
          served.add(
              column ->
                  column.equals(PictureStats.BRIGHTNESS)
                      ? Double.toString(stats[0])
                      : column.equals(PictureStats.CONTRAST) ? Double.toString(stats[1]) : label);
        }
      }
      float[] values = scoresOf(lease, request);
      int width = values.length / images.size();
      for (int i = 0; i < images.size(); i++) {
        ((Classification) scores)
            .add(
                batchKeys.get(i),
                "folder",
                labels.get(from + i),
                values,
                i * width,
                width,
                images.get(i),
                null);
        if (leakage != null) {
          leakage.add(
              TrainingRows.ofPicture(images.get(i)),
              from + i + 1L,
              labels.get(from + i),
              values,
              i * width,
              width);
        }
      }
    }
    return report(manifest, prefix, scores, leakage);
  }

  /**
   * What the evaluated version trained on, read from its package ({@code training-rows.txt}), or
   * null when it kept no record: a candidate not promoted yet, a model Triad did not train.
   */
  private Leakage leakage(ModelManifest manifest) {
    return TrainingRows.read(
            store,
            BucketLayout.modelDir(manifest.name(), manifest.version())
                + BucketLayout.TRAINING_ROWS_FILE)
        .map(trained -> new Leakage(trained, scores(manifest)))
        .orElse(null);
  }

  /** The rows the evaluated version trained on, counted, and the others scored on their own. */
  private static final class Leakage {
    private final TrainingRows trained;
    private final Scores unseen;
    private long seen;

    Leakage(TrainingRows trained, Scores unseen) {
      this.trained = trained;
      this.unseen = unseen;
    }

    void add(long fingerprint, long row, String actual, float[] values, int offset, int width) {
      if (trained.contains(fingerprint)) {
        seen++;
      } else {
        unseen.add(row, "label", actual, values, offset, width);
      }
    }

    EvaluationReport.Unseen result() {
      return new EvaluationReport.Unseen(
          seen, unseen.rows(), unseen.rows() == 0 ? null : unseen.result().headline());
    }
  }

  private EvaluationReport report(
      ModelManifest manifest, String dataKey, Scores scores, Leakage leakage) {
    List<Misclassified> worst = scores instanceof Classification c ? c.worst() : List.of();
    EvaluationMetrics result = scores.result();
    List<String> notes = new ArrayList<>();
    if (result instanceof ClassificationResult classification
        && !classification.absentClasses().isEmpty()) {
      notes.add(
          "no rows of "
              + String.join(", ", classification.absentClasses())
              + " in this data: left out of the macro averages");
    }
    EvaluationReport.Unseen unseen = leakage == null ? null : leakage.result();
    if (unseen != null && unseen.seenRows() > 0) {
      notes.add(
          unseen.seenRows()
              + " of the "
              + scores.rows()
              + " rows were in version "
              + manifest.version()
              + "'s training data, so the figures above flatter it; on the other "
              + unseen.rows()
              + (unseen.metrics() == null ? ": none left" : ": " + figures(unseen.metrics())));
    } else if (unseen != null) {
      notes.add("none of these rows was in version " + manifest.version() + "'s training data");
    }
    return new EvaluationReport(
        manifest.name(),
        manifest.version(),
        dataKey,
        clock.instant(),
        result.rows(),
        result,
        notes,
        worst,
        unseen);
  }

  private static String figures(java.util.Map<String, Double> metrics) {
    List<String> parts = new ArrayList<>();
    metrics.forEach(
        (name, value) ->
            parts.add(name + " " + String.format(java.util.Locale.ROOT, "%.4f", value)));
    return String.join(", ", parts);
  }

  private Scores scores(ModelManifest manifest) {
    Postprocessing post = manifest.postprocessing();
    boolean classification = post != null && !post.labels().isEmpty();
    return classification
        ? new Classification(
            post, isImage(manifest) ? new ImageEncoder(manifest.preprocessing().image()) : null)
        : new Regression();
  }

  private static boolean isImage(ModelManifest manifest) {
    return manifest.preprocessing() != null && manifest.preprocessing().isImage();
  }

  private byte[] read(String key) {
    try (InputStream in = store.open(key)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + key, e);
    }
  }

  private float[] scoresOf(ModelLease lease, InferenceRequest request) {
    ModelManifest manifest = lease.manifest();
    InferenceResponse response = predictor.run(lease, request);
    NamedTensor output =
        manifest.postprocessing() != null && manifest.postprocessing().output() != null
            ? response.output(manifest.postprocessing().output())
            : response.outputs().get(0);
    return Postprocessor.floats(output.data());
  }

  private void score(
      ModelLease lease,
      List<RecordSource.Row> batch,
      boolean text,
      String target,
      Scores scores,
      RowImages rowImages,
      Leakage leakage) {
    if (batch.isEmpty()) {
      return;
    }
    ModelManifest manifest = lease.manifest();
    List<byte[]> images = null;
    InferenceRequest request;
    if (rowImages != null) {
      images = new ArrayList<>(batch.size());
      for (RecordSource.Row row : batch) {
        images.add(rowImages.bytes(row));
      }
      request =
          Preprocessor.toImageRequest(manifest, images, i -> "row[" + batch.get(i).number() + "]");
    } else {
      request = Preprocessor.toRequest(manifest, batch, text);
    }
    float[] values = scoresOf(lease, request);
    int width = values.length / batch.size();
    for (int i = 0; i < batch.size(); i++) {
      String actual = batch.get(i).text(target);
      if (actual == null || actual.isEmpty()) {
        throw TriadError.unprocessable(
            "row[" + batch.get(i).number() + "]." + target + " (the label) is missing");
      }
      if (scores instanceof Classification c) {
        // a picture's mistakes show its thumbnail, a table row's its inputs
        c.add(
            "row[" + batch.get(i).number() + "]",
            target,
            actual,
            values,
            i * width,
            width,
            images == null ? null : images.get(i),
            images == null ? inputs(manifest, batch.get(i)) : null);
      } else {
        scores.add(batch.get(i).number(), target, actual, values, i * width, width);
      }
      if (leakage != null) {
        long fingerprint =
            images != null
                ? TrainingRows.ofPicture(images.get(i))
                : TrainingRows.ofRow(manifest, batch.get(i), null);
        leakage.add(fingerprint, batch.get(i).number(), actual, values, i * width, width);
      }
    }
    batch.clear();
  }

  /** A table row's features as {@code name=value, …}, at most 300 characters. */
  private static String inputs(ModelManifest manifest, RecordSource.Row row) {
    if (manifest.preprocessing() == null || manifest.preprocessing().features() == null) {
      return null;
    }
    StringBuilder text = new StringBuilder();
    for (ModelManifest.Feature feature : manifest.preprocessing().features()) {
      if (text.length() > 0) {
        text.append(", ");
      }
      text.append(feature.name()).append('=').append(row.text(feature.name()));
      if (text.length() > 300) {
        return text.substring(0, 299) + "…";
      }
    }
    return text.toString();
  }

  private interface Scores {
    void add(long row, String target, String actual, float[] values, int offset, int width);

    /** Where each row's answer goes as well; null: nowhere. */
    void record(RowOutcomes outcomes);

    long rows();

    EvaluationMetrics result();
  }

  private static final class Classification implements Scores {
    private final Postprocessing post;
    private final ClassificationMetrics metrics;
    private final WorstExamples worst;
    private RowOutcomes outcomes;

    Classification(Postprocessing post, ImageEncoder images) {
      this.post = post;
      this.metrics = new ClassificationMetrics(post.labels());
      this.worst = new WorstExamples(WORST_SHOWN, images);
    }

    @Override
    public void add(long row, String target, String actual, float[] values, int offset, int width) {
      add("row[" + row + "]", target, actual, values, offset, width, null, null);
    }

    void add(
        String source,
        String target,
        String actual,
        float[] values,
        int offset,
        int width,
        byte[] image,
        String inputs) {
      int label = post.labels().indexOf(actual);
      if (label < 0) {
        throw TriadError.unprocessable(
            source + "." + target + " = '" + actual + "' is not one of " + post.labels());
      }
      float[] p = java.util.Arrays.copyOfRange(values, offset, offset + width);
      if (post.softmax()) {
        Postprocessor.softmaxInPlace(p);
      }
      metrics.add(label, p);
      int predicted = Postprocessor.argmax(p);
      if (outcomes != null) {
        outcomes.addClass(label, p);
      }
      if (predicted != label && (image != null || inputs != null)) {
        worst.offer(
            source, actual, post.labels().get(predicted), p[predicted], p[label], image, inputs);
      }
    }

    List<Misclassified> worst() {
      return worst.result();
    }

    @Override
    public void record(RowOutcomes rowOutcomes) {
      this.outcomes = rowOutcomes;
    }

    @Override
    public long rows() {
      return metrics.rows();
    }

    @Override
    public EvaluationMetrics result() {
      return metrics.result();
    }
  }

  private static final class Regression implements Scores {
    private final RegressionMetrics metrics = new RegressionMetrics();
    private RowOutcomes outcomes;

    @Override
    public void record(RowOutcomes rowOutcomes) {
      this.outcomes = rowOutcomes;
    }

    @Override
    public void add(long row, String target, String actual, float[] values, int offset, int width) {
      double y;
      try {
        y = Double.parseDouble(actual);
      } catch (NumberFormatException e) {
        throw TriadError.unprocessable(
            "row[" + row + "]." + target + " must be a number, got '" + actual + "'");
      }
      if (!Double.isFinite(y)) {
        throw TriadError.unprocessable("row[" + row + "]." + target + " must be finite");
      }
      metrics.add(y, values[offset]);
      if (outcomes != null) {
        outcomes.addValue(y, values[offset]);
      }
    }

    @Override
    public long rows() {
      return metrics.rows();
    }

    @Override
    public EvaluationMetrics result() {
      return metrics.result();
    }
  }
}
