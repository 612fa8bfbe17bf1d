package io.triad.aws;

import io.triad.functions.training.PlacementTarget;
import io.triad.functions.training.TrainingJob;
import io.triad.functions.training.TrainingLaunchException;
import io.triad.functions.training.TrainingLauncher;
import io.triad.settings.AwsContract;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
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
 *
 * <p>A job placed on a target ({@link TrainingJob#placement()}) goes to the stack's queue only when
 * the queue is that target ({@code TRIAD_BATCH_PLACEMENT}, {@code aws/REGION/spot} or {@code
 * .../on-demand}, from the compute environment infra made): a queue's machines are its compute
 * environment's, not the job's to choose, so any other AWS target is refused as unavailable and the
 * placement moves on. Batch's refusals are told apart for it: throttling and limits (429, {@code
 * *LimitExceeded*}) are quota, 5xx and no answer are the service's, any other 4xx a rejection.
 */
public final class AwsBatchLauncher implements TrainingLauncher {
  /** Batch job names: letters, digits, hyphens and underscores, at most 128. */
  private static final int MAX_JOB_NAME = 128;

  private final BatchClient batch;
  private final String jobQueue;
  private final String jobDefinition;
  private final String region;
  private final PlacementTarget queueTarget;

  /** Placements name AWS {@code aws}. */
  public static final String CLOUD = "aws";

  /** {@code region} is the stack's (the schedule function's own), where the bucket is. */
  public AwsBatchLauncher(BatchClient batch, String jobQueue, String jobDefinition, String region) {
    this(batch, jobQueue, jobDefinition, region, null);
  }

  /**
   * As above; {@code queuePlacement} is what the queue is ({@code aws/us-east-1/spot}), or null
   * when the stack does not say, and then no placed job is taken.
   */
  public AwsBatchLauncher(
      BatchClient batch,
      String jobQueue,
      String jobDefinition,
      String region,
      String queuePlacement) {
    this.queueTarget =
        queuePlacement == null || queuePlacement.isBlank()
            ? null
            : PlacementTarget.parse(queuePlacement);
    this.batch = batch;
    this.jobQueue = AwsSettings.require(jobQueue, AwsSettings.JOB_QUEUE);
    this.jobDefinition = AwsSettings.require(jobDefinition, AwsSettings.JOB_DEFINITION);
    this.region = AwsSettings.require(region, AwsSettings.REGION);
  }

  @Override
  public String cloud() {
    return CLOUD;
  }

  /** Only what the stack's queue is (its region, spot or on demand). */
  @Override
  public boolean takes(PlacementTarget target) {
    return target.equals(queueTarget);
  }

  @Override
  public String launch(TrainingJob job) {
    if (job.placement() != null && !job.placement().equals(queueTarget)) {
      throw new TrainingLaunchException(
          TrainingLaunchException.Refusal.UNAVAILABLE,
          queueTarget == null
              ? "the stack does not say what its Batch queue "
                  + jobQueue
                  + " is ("
                  + AwsContract.BATCH_PLACEMENT
                  + " is not set), so it takes no job placed on "
                  + job.placement()
              : "the stack's Batch queue "
                  + jobQueue
                  + " is "
                  + queueTarget
                  + ", not "
                  + job.placement());
    }
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
          refusal(e),
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

  /**
   * What Batch says of the job ({@code DescribeJobs}): {@code SUBMITTED}, {@code PENDING} and
   * {@code RUNNABLE} wait (a queue whose compute environment has no instances for it keeps the job
   * {@code RUNNABLE}), {@code STARTING} and {@code RUNNING} run, {@code SUCCEEDED} and {@code
   * FAILED} ended; a job Batch no longer knows (it keeps them about a week) ended. A job is not
   * withdrawn here ({@link #cancel} stays false): the stack has one queue, so there is nowhere in
   * AWS to move it to, and a waiting job is left to wait.
   */
  @Override
  public JobState state(String jobId) {
    java.util.List<software.amazon.awssdk.services.batch.model.JobDetail> found =
        batch.describeJobs(b -> b.jobs(jobId)).jobs();
    if (found.isEmpty()) {
      return new JobState(JobState.Phase.ENDED, "not found");
    }
    software.amazon.awssdk.services.batch.model.JobDetail job = found.get(0);
    String detail =
        job.statusAsString()
            + (job.statusReason() == null || job.statusReason().isBlank()
                ? ""
                : ": " + job.statusReason());
    JobState.Phase phase =
        job.status() == null
            ? JobState.Phase.UNKNOWN
            : switch (job.status()) {
              case SUBMITTED, PENDING, RUNNABLE -> JobState.Phase.WAITING;
              case STARTING, RUNNING -> JobState.Phase.RUNNING;
              case SUCCEEDED, FAILED -> JobState.Phase.ENDED;
              default -> JobState.Phase.UNKNOWN;
            };
    return new JobState(phase, detail);
  }

  /** How Batch refused: throttled or over a limit, failed itself, or refused the request. */
  static TrainingLaunchException.Refusal refusal(SdkException e) {
    if (!(e instanceof AwsServiceException service)) {
      return TrainingLaunchException.Refusal.SERVICE; // no answer: a timeout, a lost connection
    }
    String code =
        service.awsErrorDetails() == null || service.awsErrorDetails().errorCode() == null
            ? ""
            : service.awsErrorDetails().errorCode();
    if (service.statusCode() == 429
        || service.isThrottlingException()
        || code.contains("LimitExceeded")
        || code.contains("TooManyRequests")) {
      return TrainingLaunchException.Refusal.QUOTA;
    }
    return service.statusCode() >= 500
        ? TrainingLaunchException.Refusal.SERVICE
        : TrainingLaunchException.Refusal.REJECTED;
  }

  static String jobName(TrainingJob job) {
    String name =
        ("triad-retrain-" + job.model() + "-" + job.version()).replaceAll("[^A-Za-z0-9_-]", "-");
    return name.length() <= MAX_JOB_NAME ? name : name.substring(0, MAX_JOB_NAME);
  }
}
