package io.triad.aws;

import io.triad.functions.training.TrainingJob;
import io.triad.functions.training.TrainingLaunchException;
import io.triad.functions.training.TrainingLauncher;
import io.triad.settings.AwsContract;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.batch.BatchClient;
import software.amazon.awssdk.services.batch.model.KeyValuePair;
import software.amazon.awssdk.services.batch.model.SubmitJobResponse;

/**
 * Submits a retraining job to AWS Batch. The job definition (infra's) supplies the image, GPU,
 * retries and timeout and no command: the image's entrypoint is the trainer ({@code
 * io.triad.models.TrainerMain}) and this command override carries {@link TrainingJob#arguments()},
 * the same arguments every launcher passes. No {@code Ref::} parameters: one way to hand over the
 * arguments, the same as on Cloud Batch. The override's environment names this function's region:
 * Batch on EC2 does not promise {@code AWS_REGION} in a container (it depends on the ECS agent's
 * version), and without it the trainer's S3 client would take {@code AwsSettings}' default,
 * us-east-1, and miss a bucket anywhere else.
 */
public final class AwsBatchLauncher implements TrainingLauncher {
  /** Batch job names: letters, digits, hyphens and underscores, at most 128. */
  private static final int MAX_JOB_NAME = 128;

  private final BatchClient batch;
  private final String jobQueue;
  private final String jobDefinition;
  private final String region;

  /** {@code region} is the stack's (the schedule function's own), where the bucket is. */
  public AwsBatchLauncher(BatchClient batch, String jobQueue, String jobDefinition, String region) {
    this.batch = batch;
    this.jobQueue = AwsSettings.require(jobQueue, AwsSettings.JOB_QUEUE);
    this.jobDefinition = AwsSettings.require(jobDefinition, AwsSettings.JOB_DEFINITION);
    this.region = AwsSettings.require(region, AwsSettings.REGION);
  }

  @Override
  public String launch(TrainingJob job) {
    String name = jobName(job);
    try {
      SubmitJobResponse submitted =
          batch.submitJob(
              b ->
                  b.jobName(name)
                      .jobQueue(jobQueue)
                      .jobDefinition(jobDefinition)
                      .containerOverrides(
                          c ->
                              c.command(job.arguments())
                                  // ONNX Runtime 1.29's telemetry crashes the JVM on long command
                                  // lines; the trainer runs it
                                  .environment(
                                      KeyValuePair.builder()
                                          .name(AwsContract.ORT_DISABLE_TELEMETRY)
                                          .value("1")
                                          .build(),
                                      KeyValuePair.builder()
                                          .name(AwsSettings.REGION)
                                          .value(region)
                                          .build())));
      return submitted.jobId();
    } catch (SdkException e) {
      throw new TrainingLaunchException(
          "AWS Batch did not accept job "
              + name
              + " (queue "
              + jobQueue
              + ", definition "
              + jobDefinition
              + "): "
              + e.getMessage(),
          e);
    }
  }

  static String jobName(TrainingJob job) {
    String name =
        ("triad-retrain-" + job.model() + "-" + job.version()).replaceAll("[^A-Za-z0-9_-]", "-");
    return name.length() <= MAX_JOB_NAME ? name : name.substring(0, MAX_JOB_NAME);
  }
}
