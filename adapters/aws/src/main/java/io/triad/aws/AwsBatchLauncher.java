package io.triad.aws;

import io.triad.functions.training.TrainingJob;
import io.triad.functions.training.TrainingLaunchException;
import io.triad.functions.training.TrainingLauncher;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.batch.BatchClient;
import software.amazon.awssdk.services.batch.model.KeyValuePair;
import software.amazon.awssdk.services.batch.model.SubmitJobResponse;

/**
 * Submits a retraining job to AWS Batch. The job definition's image runs the trainer entrypoint
 * ({@code io.triad.models.TrainerMain}); the command override carries {@link TrainingJob#arguments()},
 * the same arguments every launcher passes. The same values also go as job parameters, so a job
 * definition may use {@code Ref::data} style placeholders instead.
 */
public final class AwsBatchLauncher implements TrainingLauncher {
  /** Batch job names: letters, digits, hyphens and underscores, at most 128. */
  private static final int MAX_JOB_NAME = 128;

  private final BatchClient batch;
  private final String jobQueue;
  private final String jobDefinition;

  public AwsBatchLauncher(BatchClient batch, String jobQueue, String jobDefinition) {
    this.batch = batch;
    this.jobQueue = AwsSettings.require(jobQueue, AwsSettings.JOB_QUEUE);
    this.jobDefinition = AwsSettings.require(jobDefinition, AwsSettings.JOB_DEFINITION);
  }

  @Override
  public String launch(TrainingJob job) {
    String name = jobName(job);
    try {
      SubmitJobResponse submitted = batch.submitJob(b -> b
          .jobName(name)
          .jobQueue(jobQueue)
          .jobDefinition(jobDefinition)
          .parameters(parameters(job))
          .containerOverrides(c -> c
              .command(job.arguments())
              // ONNX Runtime 1.29's telemetry crashes the JVM on long command lines; the trainer runs it
              .environment(KeyValuePair.builder().name("ORT_DISABLE_TELEMETRY").value("1").build())));
      return submitted.jobId();
    } catch (SdkException e) {
      throw new TrainingLaunchException("AWS Batch did not accept job " + name + " (queue " + jobQueue
          + ", definition " + jobDefinition + "): " + e.getMessage(), e);
    }
  }

  static String jobName(TrainingJob job) {
    String name = ("triad-retrain-" + job.model() + "-" + job.version()).replaceAll("[^A-Za-z0-9_-]", "-");
    return name.length() <= MAX_JOB_NAME ? name : name.substring(0, MAX_JOB_NAME);
  }

  private static Map<String, String> parameters(TrainingJob job) {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("store", job.storeUri());
    parameters.put("model", job.model());
    parameters.put("version", job.version());
    parameters.put("data", job.dataKey());
    parameters.put("output", job.candidatePrefix());
    if (job.parentVersion() != null) {
      parameters.put("parent", job.parentVersion());
    }
    return parameters;
  }
}
