package io.triad.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.Failure;
import io.triad.functions.api.Outcome;
import io.triad.functions.model.ModelManifest;
import io.triad.functions.model.ModelManifest.Feature;
import io.triad.functions.model.ModelRegistry;
import io.triad.functions.training.RetrainResult;
import io.triad.functions.training.RetrainingReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Tells the person at the terminal where things are and how to call them. */
public final class LocalGuide implements Consumer<Outcome> {
  private final PrintStream out;
  private final Path bucket;
  private final Path examples;
  private final LocalHttpServer server;
  private final ModelRegistry registry;
  private final ObjectMapper json;

  public LocalGuide(
      PrintStream out,
      Path bucket,
      Path examples,
      LocalHttpServer server,
      ModelRegistry registry,
      ObjectMapper json) {
    this.registry = registry;
    this.json = json;
    this.out = out;
    this.bucket = bucket.toAbsolutePath();
    this.examples = examples.toAbsolutePath();
    this.server = server;
  }

  public void started() {
    out.printf(
        "%nTriad local runtime%n  HTTP API : %s%n  bucket   : %s%n  examples : %s%n%n",
        server.url(), bucket, examples);
  }

  /** A model whose production alias does not serve: the others serve regardless. */
  public void unservable(String model, String version, String reason) {
    out.printf(
        "Not serving %s%s: %s (the other models serve; GET %s/v2/models lists every model)%n",
        model, version == null ? "" : " version " + version, reason, server.url());
  }

  /** What the bootstrap's retraining call did, a line per model. */
  public void retraining(RetrainingReport report) {
    for (RetrainResult result : report.results()) {
      if (result instanceof RetrainResult.Launched launched) {
        out.printf(
            "Training %s version %s as %s; it is evaluated and promoted when it passes the gate...%n",
            launched.model(), launched.version(), launched.jobId());
      } else if (result instanceof RetrainResult.Skipped skipped) {
        out.printf("Not training %s: %s%n", skipped.model(), skipped.reason());
      } else if (result instanceof RetrainResult.Failed failed) {
        out.printf("Training %s could not start: %s%n", failed.model(), failed.reason());
      }
    }
  }

  @Override
  public void accept(Outcome outcome) {
    if (outcome instanceof Outcome.Promoted promoted) {
      howToCall(promoted.model(), promoted.version(), promoted.reason());
    } else if (outcome instanceof Outcome.Rejected rejected) {
      out.printf(
          "Candidate %s version %s was rejected: %s (the served version is untouched)%n",
          rejected.model(), rejected.version(), rejected.reason());
    } else if (outcome instanceof Outcome.Written written) {
      out.printf("%s -> %s%n", written.key(), String.join(", ", written.outputs()));
    } else if (outcome instanceof Outcome.Failed failed) {
      out.printf(
          "%s failed: %s (see %s.error.json)%n", failed.key(), failed.error(), failed.failedKey());
    }
  }

  private void howToCall(String model, String version, String reason) {
    String url = server.url();
    out.printf("%nServing %s version %s (%s)%n%n", model, version, reason);
    out.printf("  curl -s %s/v2/health/ready%n", url);
    out.printf("  curl -s %s/v2/models/%s%n", url, model);
    ModelManifest manifest;
    try {
      manifest = registry.manifest(model, version);
    } catch (RuntimeException e) {
      // changed since it was promoted: the API says why; the examples need the manifest
      out.printf("  (no examples: %s)%n%n", Failure.of(e).message());
      return;
    }
    if (manifest.preprocessing() != null && !manifest.preprocessing().features().isEmpty()) {
      Map<String, Object> instance = new LinkedHashMap<>();
      List<Object> values = new ArrayList<>();
      for (Feature feature : manifest.preprocessing().features()) {
        Object value =
            feature.isCategorical()
                ? feature.vocabulary().get(0)
                : round(feature.mean() == null ? 0 : feature.mean());
        instance.put(feature.name(), value);
        values.add(value);
      }
      out.printf(
          "  curl -s -H 'Content-Type: application/json' -d '%s' %s/v1/models/%s:predict%n",
          json(Map.of("instances", List.of(instance))), url, model);
      if (manifest.preprocessing().features().stream().noneMatch(Feature::isCategorical)) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("name", manifest.preprocessing().input());
        input.put("shape", List.of(1, values.size()));
        input.put("datatype", "FP32");
        input.put("data", values);
        out.printf(
            "  curl -s -H 'Content-Type: application/json' -d '%s' %s/v2/models/%s/infer%n",
            json(Map.of("inputs", List.of(input))), url, model);
      }
    }
    if (manifest.preprocessing() != null && manifest.preprocessing().isImage()) {
      Path picture = examples.resolve(model).resolve(DatasetSeeder.PICTURE_PREFIX + "0-0.png");
      out.printf(
          "  base64 -w0 %s | sed 's/.*/{\"instances\":[{\"b64\":\"&\"}]}/' \\%n"
              + "    | curl -s -H 'Content-Type: application/json' -d @- %s/v1/models/%s:predict%n",
          picture, url, model);
      out.printf(
          "  cp %s %s/incoming/%s/    # -> %s/predictions/%s/%s.png.json%n",
          picture, bucket, model, bucket, model, DatasetSeeder.PICTURE_PREFIX + "0-0");
    } else {
      out.printf(
          "  cp %s/%s/flowers.csv %s/incoming/%s/    # -> %s/predictions/%s/flowers.csv.jsonl%n",
          examples, model, bucket, model, bucket, model);
    }
    out.printf(
        "  cp %s/%s/labelled.csv %s/labelled/%s/   # -> %s/evaluations/%s/%s/labelled.csv.html%n%n",
        examples, model, bucket, model, bucket, model, version);
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  private String json(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
