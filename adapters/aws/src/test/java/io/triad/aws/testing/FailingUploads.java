package io.triad.aws.testing;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Breaks every PutObject under {@code prefix} halfway through its body, as a dropped connection
 * would: the request has started, half the bytes are sent, then the stream fails.
 */
public record FailingUploads(String prefix) implements ExecutionInterceptor {

  @Override
  public Optional<RequestBody> modifyHttpContent(
      Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
    if (!(context.request() instanceof PutObjectRequest put)
        || !put.key().startsWith(prefix)
        || context.requestBody().isEmpty()) {
      return context.requestBody();
    }
    RequestBody body = context.requestBody().get();
    long length = body.optionalContentLength().orElseThrow();
    return Optional.of(
        RequestBody.fromContentProvider(
            () -> new BreaksAfter(body.contentStreamProvider().newStream(), length / 2),
            length,
            body.contentType()));
  }

  private static final class BreaksAfter extends FilterInputStream {
    private long left;

    BreaksAfter(InputStream in, long bytes) {
      super(in);
      this.left = bytes;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        throw new IOException("connection lost midway through the upload (test fault)");
      }
      int n = super.read(b, off, (int) Math.min(len, left));
      left -= Math.max(n, 0);
      return n;
    }
  }
}
