package io.triad.azure;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triad.azure.FunctionsHostDoubles.Invocation;
import io.triad.functions.api.TriadJson;
import io.triad.functions.testing.UploadRetryFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A storage fault while the alias is read, through the Event Grid function: the invocation fails so
 * Event Grid redelivers it ({@link UploadRetryFixture}, the same drill on every runtime; the host's
 * context is a test double, as no Functions host runs here).
 */
class UploadRetryTest {
  @TempDir Path bucket;

  @Test
  void run_should_failTheInvocationAndSetNothingAside_when_theStoreFailsWhileTheAliasIsRead() {
    try (UploadRetryFixture fixture = new UploadRetryFixture(bucket)) {
      UploadEntry function =
          new UploadEntry(new UploadEvents(fixture.onObjectCreated(), "triad", TriadJson.mapper()));
      String event = UploadEventsTest.event(UploadRetryFixture.UPLOAD);

      // when Event Grid delivers the event, then the invocation fails
      assertThatThrownBy(() -> function.run(event, new Invocation("onObjectCreated")));
      fixture.assertRetriedNotSetAside();

      // when it redelivers after the store healed, then the upload is scored
      fixture.heal();
      function.run(event, new Invocation("onObjectCreated"));
      fixture.assertScored();
    }
  }
}
