package io.triad.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.ObjectCreated;
import io.triad.functions.api.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Decodes an Event Grid {@code Microsoft.Storage.BlobCreated} event (Event Grid or CloudEvents
 * schema) into an {@link ObjectCreated} for {@code onObjectCreated}, and logs the outcome. Events
 * for another container or of another type are acknowledged and logged. A storage fault is thrown,
 * so the invocation fails and Event Grid delivers the event again.
 */
public final class UploadEvents {
  static final String BLOB_CREATED = "Microsoft.Storage.BlobCreated";

  private final Function<ObjectCreated, Outcome> onObjectCreated;
  private final String container;
  private final ObjectMapper json;

  public UploadEvents(
      Function<ObjectCreated, Outcome> onObjectCreated, String container, ObjectMapper json) {
    this.onObjectCreated = onObjectCreated;
    this.container = container;
    this.json = json;
  }

  public Optional<Outcome> handle(String event, Logger log) {
    JsonNode node = parse(event);
    String type = node.path("eventType").asText(node.path("type").asText(""));
    String subject = node.path("subject").asText("");
    if (!type.equals(BLOB_CREATED)) {
      log.info(
          "ignored event "
              + node.path("id").asText()
              + " of type '"
              + type
              + "': only "
              + BLOB_CREATED
              + " starts work");
      return Optional.empty();
    }
    String prefix = "/blobServices/default/containers/" + container + "/blobs/";
    if (!subject.startsWith(prefix)) {
      log.info("ignored a blob event outside container " + container + ": " + subject);
      return Optional.empty();
    }
    JsonNode data = node.path("data");
    // the subject carries the blob name as stored (data.url is the percent-encoded form)
    ObjectCreated created =
        new ObjectCreated(
            subject.substring(prefix.length()),
            data.path("contentLength").asLong(-1),
            data.hasNonNull("eTag") ? data.get("eTag").asText() : null);
    Outcome outcome = onObjectCreated.apply(created);
    log.info(describe(outcome));
    return Optional.of(outcome);
  }

  private JsonNode parse(String event) {
    try {
      JsonNode node = json.readTree(event == null ? "" : event);
      // a batch delivery is an array; the trigger hands one event, but accept its first element
      return node != null && node.isArray() && node.size() == 1
          ? node.get(0)
          : node == null ? json.createObjectNode() : node;
    } catch (IOException e) {
      throw new UncheckedIOException("the Event Grid event is not JSON", e);
    }
  }

  private static String describe(Outcome outcome) {
    if (outcome instanceof Outcome.Written w) {
      return "wrote " + w.outputs() + " for " + w.key() + " (" + w.rows() + " rows)";
    }
    if (outcome instanceof Outcome.Failed f) {
      return "set " + f.key() + " aside as " + f.failedKey() + ": " + f.error();
    }
    if (outcome instanceof Outcome.Ignored i) {
      return "acknowledged " + i.key() + " without work: " + i.reason();
    }
    return outcome.toString();
  }
}
