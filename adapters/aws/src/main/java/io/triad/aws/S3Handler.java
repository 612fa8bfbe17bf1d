package io.triad.aws;

/**
 * {@code io.triad.aws.S3Handler::handleRequest}: the s3 function, whatever {@code TRIAD_FUNCTION}
 * says.
 */
public final class S3Handler extends TriadHandler {
  public S3Handler() {
    super(FunctionRole.S3);
  }
}
