package io.triad.gcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.triad.functions.api.ObjectCreated;
import java.io.IOException;

/**
 * Decodes an upload's event into an {@link ObjectCreated}: a {@code
 * google.cloud.storage.object.v1.finalized} CloudEvent, whose data is the GCS object resource
 * ({@code StorageObjectData}: bucket, name, size as a string, etag, ...), or, as the stack delivers
 * them, a {@code google.cloud.pubsub.topic.v1.messagePublished} CloudEvent carrying a Cloud Storage
 * Pub/Sub notification ({@code OBJECT_FINALIZE}, payload {@code JSON_API_V1}: the same object
 * resource, base64 in the message's data). Notifications can be limited to key prefixes; Eventarc's
 * direct storage events cannot, and would announce every output too.
 */
final class UploadEvents {
  static final String FINALIZED = "google.cloud.storage.object.v1.finalized";
  static final String PUBLISHED = "google.cloud.pubsub.topic.v1.messagePublished";

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
    boolean notification = PUBLISHED.equals(event.getType());
    if (!FINALIZED.equals(event.getType()) && !notification) {
      throw new UnusableEvent(
          "type is " + event.getType() + ", expected " + FINALIZED + " or " + PUBLISHED);
    }
    if (event.getData() == null) {
      throw new UnusableEvent("no data: a finalize event carries the object resource");
    }
    JsonNode object = parse(event.getData().toBytes());
    if (notification) {
      object = notified(object);
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

  private JsonNode parse(byte[] bytes) throws UnusableEvent {
    try {
      return json.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new UnusableEvent("data is not JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UnusableEvent("data cannot be read: " + e.getMessage(), e);
    }
  }

  /** The object resource a Cloud Storage Pub/Sub notification carries. */
  private JsonNode notified(JsonNode pushed) throws UnusableEvent {
    JsonNode message = pushed == null ? null : pushed.get("message");
    if (message == null || !message.isObject()) {
      throw new UnusableEvent("data is not a Pub/Sub message");
    }
    JsonNode attributes = message.path("attributes");
    String type = attributes.path("eventType").asText("");
    if (!type.equals("OBJECT_FINALIZE")) {
      throw new UnusableEvent(
          "a storage notification of '" + type + "'; only OBJECT_FINALIZE announces an upload");
    }
    if (!attributes.path("payloadFormat").asText("").equals("JSON_API_V1")) {
      throw new UnusableEvent("a storage notification without the JSON_API_V1 object payload");
    }
    byte[] payload;
    try {
      payload = java.util.Base64.getDecoder().decode(message.path("data").asText(""));
    } catch (IllegalArgumentException e) {
      throw new UnusableEvent("the notification's data is not base64", e);
    }
    return parse(payload);
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
