package io.triad.contract;

import com.google.cloud.batch.v1.CreateJobRequest;
import com.google.cloud.batch.v1.Runnable;
import com.google.cloud.batch.v1.TaskSpec;
import io.triad.functions.store.BlobInfo;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.gcp.testing.FakeBatchService;
import io.triad.gcp.testing.FakeGoogleCloud;
import io.triad.gcs.GcsBlobStore;
import io.triad.layout.BucketLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test double of Google Cloud Batch that runs what it is given (the service cannot run here): the
 * adapter's in-process gRPC {@link FakeBatchService} takes the real client's {@code CreateJob}, and
 * each accepted job's container runs in the trainer image with the runnable's {@code commands} as
 * its command (after the image's entrypoint, or the runnable's {@code entrypoint} when it sets one,
 * as Batch does) and the task's environment.
 *
 * <p>The double's limit: GCS here is {@code LocalStorageHelper}, an in-memory fake inside this JVM,
 * which a child process cannot reach. So the job's {@code --store gs://BUCKET} is the one argument
 * changed: the trainer gets a staging directory instead, which holds a copy of the {@code --data}
 * object; when the trainer has exited 0, every object it wrote under {@code --output} is copied
 * into the in-memory bucket, {@code manifest.json} last, as the trainer itself writes them. The
 * arguments recorded with the run are the ones the job carried.
 */
final class FakeCloudBatch implements AutoCloseable {
  private final TrainerImage image;
  private final Path staging;
  private final FakeBatchService service;
  private final TrainingRuns runs = new TrainingRuns();

  /** A Batch service for {@code parent} ({@code projects/P/locations/R}), the stack's. */
  FakeCloudBatch(TrainerImage image, Path staging, String parent) {
    this.image = image;
    this.staging = staging;
    this.service = new FakeBatchService(parent, this::run);
  }

  FakeBatchService service() {
    return service;
  }

  TrainingRuns runs() {
    return runs;
  }

  private void run(CreateJobRequest request) {
    TaskSpec task = request.getJob().getTaskGroups(0).getTaskSpec();
    Runnable runnable = task.getRunnables(0);
    List<String> arguments = runnable.getContainer().getCommandsList();
    Map<String, String> environment = new LinkedHashMap<>(task.getEnvironment().getVariablesMap());
    environment.putAll(runnable.getEnvironment().getVariablesMap());
    BlobStore bucket = bucket(option(arguments, "--store"));
    Path directory = stage(request.getJobId(), bucket, option(arguments, "--data"));
    List<String> staged = new ArrayList<>(arguments);
    staged.set(staged.indexOf("--store") + 1, directory.toUri().toString());
    // Batch's container.entrypoint, when set, replaces the image's; commands are the container's
    // command after it
    String entrypoint = runnable.getContainer().getEntrypoint();
    runs.add(
        image
            .run(request.getJobId(), entrypoint.isEmpty() ? null : entrypoint, staged, environment)
            .withArguments(arguments)
            .then(
                run ->
                    publish(
                        new FileSystemBlobStore(directory),
                        bucket,
                        option(arguments, "--output"))));
  }

  private static BlobStore bucket(String store) {
    URI uri = URI.create(store);
    if (!"gs".equals(uri.getScheme())) {
      throw new IllegalArgumentException("expected --store gs://BUCKET, got " + store);
    }
    return new GcsBlobStore(FakeGoogleCloud.storage(), uri.getHost());
  }

  private Path stage(String jobId, BlobStore bucket, String dataKey) {
    try {
      Path directory = Files.createDirectories(staging.resolve(jobId));
      new FileSystemBlobStore(directory).put(dataKey, bucket.read(dataKey));
      return directory;
    } catch (IOException e) {
      throw new UncheckedIOException("staging " + dataKey + " for job " + jobId, e);
    }
  }

  /**
   * Copies the candidate into the bucket, manifest last, so its finalize event means a whole
   * package.
   */
  private static void publish(BlobStore from, BlobStore to, String prefix) {
    List<String> keys = new ArrayList<>(from.list(prefix).stream().map(BlobInfo::key).toList());
    String manifest = prefix + BucketLayout.MANIFEST_FILE;
    if (!keys.remove(manifest)) {
      throw new IllegalStateException(
          "the trainer wrote no " + manifest + " (it wrote " + keys + ")");
    }
    keys.add(manifest);
    keys.forEach(key -> to.put(key, from.read(key)));
  }

  private static String option(List<String> arguments, String name) {
    int at = arguments.indexOf(name);
    if (at < 0 || at + 1 >= arguments.size()) {
      throw new IllegalArgumentException("the job's command has no " + name + ": " + arguments);
    }
    return arguments.get(at + 1);
  }

  @Override
  public void close() {
    service.close();
    runs.close();
  }
}
