package io.triad.functions.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.TriadError;
import io.triad.functions.model.ModelRegistry;
import io.triad.functions.store.BlobInfo;
import io.triad.functions.store.BlobStore;
import io.triad.layout.BucketLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What each model is doing, read from the bucket so that every runtime tells the same story: ready
 * (its production version serves), training (no version yet, a job is running, with its progress),
 * unavailable (with the reason: a broken package, a failed job, a rejected first candidate), or
 * untrained (nothing promoted and nothing running). {@code GET /v2/models} lists these; server
 * readiness waits on every model that is training for its first version or whose production alias
 * does not serve.
 */
public final class ModelStates {
  /** The four states a model can be in. */
  public enum State {
    READY,
    TRAINING,
    UNAVAILABLE,
    UNTRAINED
  }

  /**
   * One model's state.
   *
   * @param version the version that serves; when nothing does, the one the production alias names
   * @param versions every version with a package under {@code models/{name}/}
   * @param reason why it is not ready; for a ready model, why the alias's version is not the one
   *     serving (null when it is)
   * @param training the newest training job (version, job, status, progress), if any
   * @param canary the canary this instance applies (version and weight), if any
   * @param shadow the shadow this instance shows requests to (version and weight), if any
   */
  public record ModelState(
      String name,
      State state,
      String version,
      List<String> versions,
      String reason,
      Map<String, Object> training,
      io.triad.functions.model.VersionShare canary,
      io.triad.functions.model.VersionShare shadow) {

    /** Without canary or shadow: a model no version of which serves. */
    public ModelState(
        String name,
        State state,
        String version,
        List<String> versions,
        String reason,
        Map<String, Object> training) {
      this(name, state, version, versions, reason, training, null, null);
    }

    /** Whether server readiness must wait for this model. */
    public boolean holdsReadiness() {
      return state == State.TRAINING || state == State.UNAVAILABLE;
    }
  }

  private final ModelRegistry registry;
  private final BlobStore store;
  private final ObjectMapper json;

  public ModelStates(ModelRegistry registry, BlobStore store, ObjectMapper json) {
    this.registry = registry;
    this.store = store;
    this.json = json;
  }

  /** The whole state: versions, and the newest training job even when a version serves. */
  public ModelState of(String name) {
    return of(name, true);
  }

  /**
   * Enough to decide readiness: a model with a production alias is judged by it alone, without
   * listing its versions or its candidates' history (a health check may come every second).
   */
  public ModelState forReadiness(String name) {
    return of(name, false);
  }

  private ModelState of(String name, boolean detail) {
    Optional<String> production = registry.productionVersion(name);
    Map<String, Object> training = detail || production.isEmpty() ? newestJob(name) : null;
    List<String> versions = detail ? registry.versions(name) : List.of();
    if (production.isPresent()) {
      ModelRegistry.Readiness readiness;
      try {
        readiness = registry.readiness(name, null);
      } catch (TriadError e) {
        readiness = new ModelRegistry.Readiness(false, production.get(), e.getMessage());
      }
      if (readiness.ready() && readiness.reason() != null) {
        // the alias moved to a version that was refused; the last good one keeps answering
        return new ModelState(
            name,
            State.READY,
            readiness.version(),
            versions,
            readiness.reason() + "; version " + readiness.version() + " keeps serving",
            training,
            detail ? registry.canary(name).orElse(null) : null,
            detail ? registry.shadow(name).orElse(null) : null);
      }
      return new ModelState(
          name,
          readiness.ready() ? State.READY : State.UNAVAILABLE,
          readiness.ready() ? readiness.version() : production.get(),
          versions,
          readiness.reason(),
          training,
          detail ? registry.canary(name).orElse(null) : null,
          detail ? registry.shadow(name).orElse(null) : null);
    }
    if (training == null) {
      return new ModelState(
          name, State.UNTRAINED, null, versions, "no version has been trained yet", null);
    }
    String status = String.valueOf(training.get("status"));
    if (status.equals("running") || status.equals("evaluating")) {
      return new ModelState(
          name,
          State.TRAINING,
          null,
          versions,
          "still training its first version (" + describe(training) + ")",
          training);
    }
    return new ModelState(
        name,
        State.UNAVAILABLE,
        null,
        versions,
        "its first training " + status + ": " + training.get("error"),
        training);
  }

  private static String describe(Map<String, Object> training) {
    Object progress = training.get("progress");
    if (progress instanceof JsonNode node && node.has("text")) {
      return node.get("text").asText();
    }
    return "job " + training.get("job") + ", " + training.get("status");
  }

  /** The newest candidate that a job was launched for, and how it stands. */
  private Map<String, Object> newestJob(String name) {
    String prefix = BucketLayout.CANDIDATES + name + "/";
    TreeSet<String> launched = new TreeSet<>();
    for (BlobInfo blob : store.list(prefix)) {
      String rest = blob.key().substring(prefix.length());
      if (rest.endsWith("/" + BucketLayout.LAUNCH_FILE)
          && rest.indexOf('/') == rest.lastIndexOf('/')) {
        launched.add(rest.substring(0, rest.indexOf('/')));
      }
    }
    if (launched.isEmpty()) {
      return null;
    }
    String version = launched.last();
    String dir = BucketLayout.candidateDir(name, version);
    Map<String, Object> job = new LinkedHashMap<>();
    job.put("version", version);
    job.put("job", read(dir + BucketLayout.LAUNCH_FILE).path("jobId").asText(null));
    if (store.exists(dir + BucketLayout.JOB_FAILED_FILE)) {
      job.put("status", "failed");
      job.put("error", read(dir + BucketLayout.JOB_FAILED_FILE).path("error").asText());
    } else if (store.exists(dir + BucketLayout.REJECTED_FILE)) {
      job.put("status", "was rejected");
      job.put("error", read(dir + BucketLayout.REJECTED_FILE).path("reason").asText());
    } else if (store.exists(BucketLayout.manifest(name, version))) {
      job.put("status", "promoted");
    } else if (store.exists(dir + BucketLayout.MANIFEST_FILE)) {
      job.put("status", "evaluating");
    } else {
      job.put("status", "running");
    }
    if (store.exists(dir + BucketLayout.PROGRESS_FILE)) {
      job.put("progress", read(dir + BucketLayout.PROGRESS_FILE));
    }
    return job;
  }

  private JsonNode read(String key) {
    try {
      return json.readTree(store.read(key));
    } catch (IOException e) {
      // a record half-written by hand or cut short: its state still shows, its detail does not
      return json.createObjectNode();
    } catch (UncheckedIOException e) {
      return json.createObjectNode();
    }
  }
}
