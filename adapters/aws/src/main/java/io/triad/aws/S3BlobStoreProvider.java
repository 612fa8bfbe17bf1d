package io.triad.aws;

import io.triad.functions.store.BlobStore;
import io.triad.functions.store.BlobStoreProvider;
import io.triad.s3.S3BlobStore;
import java.net.URI;

/**
 * Opens {@code s3://bucket} for the trainer's {@code --store} argument; the client is configured
 * from the same environment variables as the functions (region, optional endpoint).
 */
public final class S3BlobStoreProvider implements BlobStoreProvider {

  @Override
  public String scheme() {
    return "s3";
  }

  @Override
  public BlobStore open(URI uri) {
    if (uri.getHost() == null
        || (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))) {
      throw new IllegalArgumentException("expected s3://bucket, got " + uri);
    }
    // AWS Batch sets AWS_BATCH_JOB_ID in every job's container: there, this is the trainer.
    String caller = System.getenv("AWS_BATCH_JOB_ID") != null ? "trainer" : AwsClients.ANY_CALLER;
    return new S3BlobStore(AwsClients.s3(AwsSettings.from(System::getenv), caller), uri.getHost());
  }
}
