package io.triad.aws;

import io.triad.settings.AwsContract;
import java.net.URI;
import java.util.function.UnaryOperator;

/**
 * The adapter's configuration, read once at init from environment variables (the infrastructure
 * sets them on each function and job); the names are {@link AwsContract}'s, which infra sets.
 *
 * @param bucket the bucket the suite reads and writes ({@code TRIAD_BUCKET})
 * @param role which function this instance is ({@code TRIAD_FUNCTION}: http, s3 or schedule), or
 *     null
 * @param region the AWS region ({@code AWS_REGION}, which Lambda sets itself; the Batch launcher
 *     hands it to the trainer's job, since Batch on EC2 may not)
 * @param s3Endpoint an S3 endpoint override, for emulators only ({@code TRIAD_S3_ENDPOINT}), or
 *     null
 * @param batchEndpoint an AWS Batch endpoint override, for tests only ({@code
 *     TRIAD_BATCH_ENDPOINT}), or null
 * @param jobQueue the Batch job queue retraining jobs go to ({@code TRIAD_BATCH_JOB_QUEUE})
 * @param jobDefinition the Batch job definition running the trainer ({@code
 *     TRIAD_BATCH_JOB_DEFINITION})
 * @param secretsEndpoint Secrets Manager's endpoint, for tests only ({@code
 *     TRIAD_SECRETS_ENDPOINT})
 * @param batchPlacement what the job queue's machines are ({@code TRIAD_BATCH_PLACEMENT}: {@code
 *     aws/REGION/spot} or {@code aws/REGION/on-demand}), or null
 */
public record AwsSettings(
    String bucket,
    String role,
    String region,
    URI s3Endpoint,
    URI batchEndpoint,
    String jobQueue,
    String jobDefinition,
    URI secretsEndpoint,
    String batchPlacement) {

  public static final String BUCKET = AwsContract.BUCKET;
  public static final String FUNCTION = AwsContract.FUNCTION;
  public static final String REGION = AwsContract.REGION;
  public static final String S3_ENDPOINT = AwsContract.S3_ENDPOINT;
  public static final String BATCH_ENDPOINT = AwsContract.BATCH_ENDPOINT;
  public static final String JOB_QUEUE = AwsContract.BATCH_JOB_QUEUE;
  public static final String JOB_DEFINITION = AwsContract.BATCH_JOB_DEFINITION;
  public static final String SECRETS_ENDPOINT = AwsContract.SECRETS_ENDPOINT;
  public static final String BATCH_PLACEMENT = AwsContract.BATCH_PLACEMENT;

  /**
   * Reads the settings through {@code lookup} (the environment, or a test's map); blank is unset.
   */
  public static AwsSettings from(UnaryOperator<String> lookup) {
    UnaryOperator<String> value =
        name -> {
          String v = lookup.apply(name);
          return v == null || v.isBlank() ? null : v.trim();
        };
    return new AwsSettings(
        value.apply(BUCKET),
        value.apply(FUNCTION),
        value.apply(REGION) != null ? value.apply(REGION) : "us-east-1",
        uri(value.apply(S3_ENDPOINT)),
        uri(value.apply(BATCH_ENDPOINT)),
        value.apply(JOB_QUEUE),
        value.apply(JOB_DEFINITION),
        uri(value.apply(SECRETS_ENDPOINT)),
        value.apply(BATCH_PLACEMENT));
  }

  /** The bucket, or a clear failure at init when the function was deployed without one. */
  public String requireBucket() {
    return require(bucket, BUCKET);
  }

  static String require(String value, String name) {
    if (value == null) {
      throw new IllegalStateException("environment variable " + name + " is not set");
    }
    return value;
  }

  private static URI uri(String value) {
    return value == null ? null : URI.create(value);
  }
}
