package io.triad.functions.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.EvaluateCall;
import io.triad.functions.api.InferenceResponse;
import io.triad.functions.api.NamedTensor;
import io.triad.functions.api.TriadError;
import io.triad.functions.inference.Postprocessor;
import io.triad.functions.inference.Predictor;
import io.triad.functions.model.ModelLease;
import io.triad.functions.model.ModelManifest;
import io.triad.functions.model.ModelManifest.Postprocessing;
import io.triad.functions.model.ModelRegistry;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.NoSuchObjectException;
import io.triad.functions.tabular.Preprocessor;
import io.triad.functions.tabular.RecordSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The {@code evaluate} function: scores a labelled file in micro-batches and accumulates metrics
 * in bounded memory. Classification when the manifest names labels, regression otherwise.
 */
public final class Evaluator implements Function<EvaluateCall, EvaluationReport> {
  private final BlobStore store;
  private final ModelRegistry registry;
  private final Predictor predictor;
  private final ObjectMapper json;
  private final Clock clock;
  private final int microBatch;

  public Evaluator(BlobStore store, ModelRegistry registry, Predictor predictor, ObjectMapper json, Clock clock, int microBatch) {
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
    ModelManifest manifest = lease.manifest();
    String target = manifest.preprocessing() == null ? null : manifest.preprocessing().target();
    if (target == null) {
      throw TriadError.unprocessable("the manifest of " + manifest.name() + " names no target column to evaluate against");
    }
    Postprocessing post = manifest.postprocessing();
    boolean classification = post != null && !post.labels().isEmpty();
    Scores scores = classification ? new Classification(post) : new Regression();
    try (InputStream in = store.open(dataKey); RecordSource source = RecordSource.open(dataKey, in, json)) {
      if (!source.columns().isEmpty() && !source.columns().contains(target)) {
        throw TriadError.unprocessable("the labelled file has no '" + target + "' column; the header has " + source.columns());
      }
      List<RecordSource.Row> batch = new ArrayList<>(microBatch);
      for (RecordSource.Row row = source.next(); row != null; row = source.next()) {
        batch.add(row);
        if (batch.size() == microBatch) {
          score(lease, batch, source.textValues(), target, scores);
        }
      }
      score(lease, batch, source.textValues(), target, scores);
    } catch (NoSuchObjectException e) {
      throw TriadError.notFound("no labelled data at " + dataKey);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (scores.rows() == 0) {
      throw TriadError.unprocessable("the labelled file has no data rows");
    }
    return EvaluationReport.of(manifest.name(), manifest.version(), dataKey, clock.instant(), scores.result(), List.of());
  }

  private void score(ModelLease lease, List<RecordSource.Row> batch, boolean text, String target, Scores scores) {
    if (batch.isEmpty()) {
      return;
    }
    ModelManifest manifest = lease.manifest();
    InferenceResponse response = predictor.run(lease, Preprocessor.toRequest(manifest, batch, text));
    NamedTensor output = manifest.postprocessing() != null && manifest.postprocessing().output() != null
        ? response.output(manifest.postprocessing().output())
        : response.outputs().get(0);
    float[] values = Postprocessor.floats(output.data());
    int width = values.length / batch.size();
    for (int i = 0; i < batch.size(); i++) {
      String actual = batch.get(i).text(target);
      if (actual == null || actual.isEmpty()) {
        throw TriadError.unprocessable("row[" + batch.get(i).number() + "]." + target + " (the label) is missing");
      }
      scores.add(batch.get(i).number(), target, actual, values, i * width, width);
    }
    batch.clear();
  }

  private interface Scores {
    void add(long row, String target, String actual, float[] values, int offset, int width);

    long rows();

    EvaluationMetrics result();
  }

  private static final class Classification implements Scores {
    private final Postprocessing post;
    private final ClassificationMetrics metrics;

    Classification(Postprocessing post) {
      this.post = post;
      this.metrics = new ClassificationMetrics(post.labels());
    }

    @Override
    public void add(long row, String target, String actual, float[] values, int offset, int width) {
      int label = post.labels().indexOf(actual);
      if (label < 0) {
        throw TriadError.unprocessable("row[" + row + "]." + target + " = '" + actual + "' is not one of " + post.labels());
      }
      float[] p = java.util.Arrays.copyOfRange(values, offset, offset + width);
      if (post.softmax()) {
        Postprocessor.softmaxInPlace(p);
      }
      metrics.add(label, p);
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

    @Override
    public void add(long row, String target, String actual, float[] values, int offset, int width) {
      double y;
      try {
        y = Double.parseDouble(actual);
      } catch (NumberFormatException e) {
        throw TriadError.unprocessable("row[" + row + "]." + target + " must be a number, got '" + actual + "'");
      }
      if (!Double.isFinite(y)) {
        throw TriadError.unprocessable("row[" + row + "]." + target + " must be finite");
      }
      metrics.add(y, values[offset]);
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
