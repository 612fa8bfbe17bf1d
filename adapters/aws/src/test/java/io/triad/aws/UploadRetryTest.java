package io.triad.aws;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triad.functions.testing.UploadRetryFixture;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A storage fault while the alias is read, through the S3 notification handler: the invocation
 * fails so Lambda's asynchronous invocation retries it ({@link UploadRetryFixture}, the same drill
 * on every runtime).
 */
class UploadRetryTest {
  @TempDir Path bucket;

  @Test
  void
      handleRequest_should_failTheInvocationAndSetNothingAside_when_theStoreFailsWhileTheAliasIsRead()
          throws Exception {
    try (UploadRetryFixture fixture = new UploadRetryFixture(bucket, "TRIAD_BUCKET=triad-test")) {
      LambdaEntry uploads = new LambdaEntry(FunctionRole.S3, fixture.context());

      // when S3 delivers the notification, then the invocation fails
      assertThatThrownBy(() -> uploads.handleRequest(put(), new ByteArrayOutputStream(), null));
      fixture.assertRetriedNotSetAside();

      // when Lambda retries it after the store healed, then it is scored
      fixture.heal();
      uploads.handleRequest(put(), new ByteArrayOutputStream(), null);
      fixture.assertScored();
    }
  }

  /**
   * The adapter's S3 put fixture: {@code incoming/iris/flowers.csv} in bucket triad-test, the
   * drill's upload.
   */
  private static InputStream put() {
    return UploadRetryTest.class.getResourceAsStream("/events/aws/s3/put.json");
  }
}
