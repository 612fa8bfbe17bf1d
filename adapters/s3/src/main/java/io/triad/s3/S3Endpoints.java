package io.triad.s3;

import java.net.URI;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/** Points an S3 client at an endpoint other than AWS's: an emulator on 127.0.0.1 in the tests. */
public final class S3Endpoints {
  private S3Endpoints() {}

  /**
   * Emulators answer on one host with the bucket in the path, and know neither aws-chunked uploads
   * nor the flexible checksums the SDK sends by default; a null {@code endpoint} leaves the builder
   * as it was (AWS).
   */
  public static S3ClientBuilder at(S3ClientBuilder builder, URI endpoint) {
    if (endpoint == null) {
      return builder;
    }
    return builder
        .endpointOverride(endpoint)
        .serviceConfiguration(
            S3Configuration.builder()
                .pathStyleAccessEnabled(true)
                .chunkedEncodingEnabled(false)
                .build())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
  }
}
