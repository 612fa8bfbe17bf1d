package io.triad.aws;

/**
 * {@code io.triad.aws.UploadEntry::handleRequest}: the s3 function, whatever {@code TRIAD_FUNCTION}
 * says.
 */
public final class UploadEntry extends LambdaEntry {
  public UploadEntry() {
    super(FunctionRole.S3);
  }
}
