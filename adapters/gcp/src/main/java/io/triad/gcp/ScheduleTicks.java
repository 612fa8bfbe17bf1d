package io.triad.gcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.triad.functions.api.ScheduledTick;
import io.triad.functions.api.TriadError;
import io.triad.functions.model.ModelKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Decodes a {@code google.cloud.pubsub.topic.v1.messagePublished} CloudEvent from a Cloud Scheduler
 * job into {@link ScheduledTick}s. The Pub/Sub message's data (base64 in the event) names one model,
 * {@code iris} or {@code retrain-iris}, or several as JSON, {@code {"models": ["iris", "digits"]}}
 * (what the infrastructure's one scheduler job publishes); the ticks' time is the publish time.
 */
final class ScheduleTicks {
  static final String PUBLISHED = "google.cloud.pubsub.topic.v1.messagePublished";

  private final ObjectMapper json;

  ScheduleTicks(ObjectMapper json) {
    this.json = json;
  }

  List<ScheduledTick> decode(CloudEvent event) throws UnusableEvent {
    if (!PUBLISHED.equals(event.getType())) {
      throw new UnusableEvent("type is " + event.getType() + ", expected " + PUBLISHED);
    }
    if (event.getData() == null) {
      throw new UnusableEvent("no data: a Pub/Sub event carries the message");
    }
    JsonNode message;
    try {
      message = json.readTree(event.getData().toBytes()).path("message");
    } catch (JsonProcessingException e) {
      throw new UnusableEvent("data is not JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UnusableEvent("data cannot be read: " + e.getMessage(), e);
    }
    String text = text(message).trim();
    Instant time = time(message, event);
    List<ScheduledTick> ticks = new ArrayList<>();
    for (String name : names(text)) {
      ticks.add(ScheduledTick.retrain(model(name), time));
    }
    return ticks;
  }

  /** One name, or the {@code models} array of a JSON message. */
  private List<String> names(String text) throws UnusableEvent {
    if (!text.startsWith("{")) {
      return List.of(text);
    }
    JsonNode models;
    try {
      models = json.readTree(text).path("models");
    } catch (JsonProcessingException e) {
      throw new UnusableEvent("the message is not JSON: " + e.getOriginalMessage(), e);
    }
    if (!models.isArray() || models.isEmpty()) {
      throw new UnusableEvent("the message names no models (expected {\"models\": [...]})");
    }
    List<String> names = new ArrayList<>();
    models.forEach(m -> names.add(m.asText()));
    return names;
  }

  private static String model(String name) throws UnusableEvent {
    String model = name.startsWith(ScheduledTick.RETRAIN_PREFIX) ? name.substring(ScheduledTick.RETRAIN_PREFIX.length()) : name;
    try {
      return ModelKeys.checkName(model);
    } catch (TriadError e) {
      throw new UnusableEvent("the message names no model ('" + name + "'): " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode message) throws UnusableEvent {
    JsonNode data = message.get("data");
    if (data == null || !data.isTextual()) {
      throw new UnusableEvent("data is not a Pub/Sub message with data (expected message.data, base64)");
    }
    try {
      return new String(Base64.getDecoder().decode(data.asText()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new UnusableEvent("message.data is not base64: " + e.getMessage(), e);
    }
  }

  private static Instant time(JsonNode message, CloudEvent event) {
    String published = message.path("publishTime").asText(null);
    if (published != null) {
      try {
        return Instant.parse(published);
      } catch (DateTimeParseException e) {
        // fall through to the event's own time
      }
    }
    return event.getTime() != null ? event.getTime().toInstant() : Instant.now();
  }
}
