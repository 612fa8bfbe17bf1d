package io.triad.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.triad.functions.api.ObjectCreated;
import io.triad.functions.api.Outcome;
import io.triad.functions.api.TriadJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Event Grid blob-created events into {@link ObjectCreated}, from the fixture Azure documents. */
class UploadEventsTest {
  private final List<ObjectCreated> received = new ArrayList<>();
  private final UploadEvents events =
      new UploadEvents(
          e -> {
            received.add(e);
            return new Outcome.Ignored(e.key(), "recorded");
          },
          "triad",
          TriadJson.mapper());

  /** The fixture event for {@code key} in container {@code triad}. */
  static String event(String key) {
    try (InputStream in = UploadEventsTest.class.getResourceAsStream("/events/blob-created.json")) {
      // escaped as JSON text, so keys with quotes, backslashes or control characters arrive as
      // Event Grid sends them
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replace(
              "KEY",
              new String(
                  com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance()
                      .quoteAsString(key)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void handle_should_pass_key_size_and_etag_when_a_blob_is_created() {
    events.handle(event("incoming/iris/my flowers.csv"), Logger.getAnonymousLogger());

    assertThat(received)
        .containsExactly(
            new ObjectCreated("incoming/iris/my flowers.csv", 524, "0x8D4BCC2E4835CD0"));
  }

  @Test
  void handle_should_accept_the_cloudevents_schema_when_the_subscription_uses_it() {
    String cloudEvent =
        "{\"specversion\":\"1.0\",\"type\":\"Microsoft.Storage.BlobCreated\",\"source\":\"/subscriptions/x\","
            + "\"id\":\"1\",\"subject\":\"/blobServices/default/containers/triad/blobs/labelled/iris/check.csv\",\"data\":{\"contentLength\":7}}";

    events.handle(cloudEvent, Logger.getAnonymousLogger());

    assertThat(received).containsExactly(new ObjectCreated("labelled/iris/check.csv", 7, null));
  }

  @Test
  void handle_should_acknowledge_without_work_when_the_event_is_for_another_container_or_type() {
    assertThat(
            events.handle(
                event("incoming/iris/a.csv").replace("containers/triad/", "containers/other/"),
                Logger.getAnonymousLogger()))
        .isEmpty();
    assertThat(
            events.handle(
                event("incoming/iris/a.csv").replace("BlobCreated", "BlobDeleted"),
                Logger.getAnonymousLogger()))
        .isEmpty();
    assertThat(received).isEmpty();
  }
}
