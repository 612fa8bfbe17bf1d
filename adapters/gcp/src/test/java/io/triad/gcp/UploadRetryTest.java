package io.triad.gcp;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.triad.functions.testing.UploadRetryFixture;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A storage fault while the alias is read, through the finalize entry point: the invocation fails
 * so Eventarc redelivers it (deployed with {@code --retry}; {@link UploadRetryFixture}, the same
 * drill on every runtime). The framework's own decoding is {@link UploadEntryIT}'s.
 */
class UploadRetryTest {
  @TempDir Path bucket;

  @Test
  void accept_should_failTheInvocationAndSetNothingAside_when_theStoreFailsWhileTheAliasIsRead() {
    try (UploadRetryFixture fixture = new UploadRetryFixture(bucket)) {
      UploadEntry entry = new UploadEntry(fixture.context());

      // when Eventarc delivers the finalize event, then the invocation fails
      assertThatThrownBy(() -> entry.accept(finalized()));
      fixture.assertRetriedNotSetAside();

      // when it redelivers after the store healed, then the upload is scored
      fixture.heal();
      entry.accept(finalized());
      fixture.assertScored();
    }
  }

  private static CloudEvent finalized() {
    String object =
        "{\"bucket\":\"triad\",\"name\":\"" + UploadRetryFixture.UPLOAD + "\",\"size\":\"120\"}";
    return CloudEventBuilder.v1()
        .withId("1")
        .withSource(URI.create("//storage.googleapis.com/projects/_/buckets/triad"))
        .withType("google.cloud.storage.object.v1.finalized")
        .withData("application/json", object.getBytes(StandardCharsets.UTF_8))
        .build();
  }
}
