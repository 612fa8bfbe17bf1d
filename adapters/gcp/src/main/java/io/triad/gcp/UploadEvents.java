package io.triad.gcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.triad.functions.api.ObjectCreated;
import java.io.IOException;

/**
 * Decodes a {@code google.cloud.storage.object.v1.finalized} CloudEvent, whose data is the GCS
 * object resource ({@code StorageObjectData}: bucket, name, size as a string, etag, ...), into an
 * {@link ObjectCreated}.
 */
final class UploadEvents {
  static final String FINALIZED = "google.cloud.storage.object.v1.finalized";

  private final ObjectMapper json;
  private final String bucket;

  /**
   * {@code bucket} is the one this function serves; events from others are unusable. Null accepts
   * any.
   */
  UploadEvents(ObjectMapper json, String bucket) {
    this.json = json;
    this.bucket = bucket;
  }

  ObjectCreated decode(CloudEvent event) throws UnusableEvent {
    if (!FINALIZED.equals(event.getType())) {
      throw new UnusableEvent("type is " + event.getType() + ", expected " + FINALIZED);
    }
    if (event.getData() == null) {
      throw new UnusableEvent("no data: a finalize event carries the object resource");
    }
    JsonNode object;
    try {
      object = json.readTree(event.getData().toBytes());
    } catch (JsonProcessingException e) {
      throw new UnusableEvent("data is not JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UnusableEvent("data cannot be read: " + e.getMessage(), e);
    }
    if (object == null || !object.isObject()) {
      throw new UnusableEvent("data is not a GCS object resource (expected a JSON object)");
    }
    String from = text(object, "bucket");
    String name = text(object, "name");
    if (bucket != null && !bucket.equals(from)) {
      throw new UnusableEvent(
          "the object is in bucket " + from + "; this function serves " + bucket);
    }
    return new ObjectCreated(name, size(object), object.path("etag").asText(null));
  }

  private static String text(JsonNode object, String field) throws UnusableEvent {
    JsonNode value = object.get(field);
    if (value == null || !value.isTextual() || value.asText().isEmpty()) {
      throw new UnusableEvent("data is not a GCS object resource: no '" + field + "'");
    }
    return value.asText();
  }

  /** GCS sends the size as a decimal string (an int64 in JSON); -1 when absent or not a number. */
  private static long size(JsonNode object) {
    JsonNode size = object.get("size");
    if (size == null) {
      return -1;
    }
    try {
      return Long.parseLong(size.asText());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
