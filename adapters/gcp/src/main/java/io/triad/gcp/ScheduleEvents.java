package io.triad.gcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.triad.functions.api.ScheduledTick;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Decodes a {@code google.cloud.pubsub.topic.v1.messagePublished} CloudEvent from a Cloud Scheduler
 * job into a {@link ScheduledTick}. The Pub/Sub message's data (base64 in the event) names one
 * model, {@code iris} or {@code retrain-iris}, several as JSON, {@code {"models": ["iris",
 * "digits"]}}, or every model in the catalog: {@code retrain}, or JSON with no list.
 *
 * <p>The tick's time is the scheduler's slot: the publish time's minute. Cloud Scheduler fires on
 * whole minutes (unix-cron) and publishes within seconds, and it delivers at least once, so a
 * second message for one slot, or Pub/Sub's redelivery of the first, is the same tick and claims
 * the same version.
 */
final class ScheduleEvents {
  static final String PUBLISHED = "google.cloud.pubsub.topic.v1.messagePublished";

  /** The message that retrains every model in the catalog. */
  static final String EVERY_MODEL = "retrain";

  private final ObjectMapper json;

  ScheduleEvents(ObjectMapper json) {
    this.json = json;
  }

  ScheduledTick decode(CloudEvent event) throws UnusableEvent {
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
    // a name that is no model's is the retraining call's to report, as on every runtime
    return new ScheduledTick(names(text).stream().map(ScheduledTick::modelOf).toList(), time);
  }

  /**
   * One name, or the {@code models} array of a JSON message; {@code retrain}, or JSON without a
   * list, names none, which means every model in the catalog.
   */
  private List<String> names(String text) throws UnusableEvent {
    if (text.isEmpty()) {
      throw new UnusableEvent(
          "the message is empty: name a model (iris), several ({\"models\": [...]}) or all (retrain)");
    }
    if (text.equals(EVERY_MODEL)) {
      return List.of();
    }
    if (!text.startsWith("{")) {
      return List.of(text);
    }
    JsonNode models;
    try {
      models = json.readTree(text).path("models");
    } catch (JsonProcessingException e) {
      throw new UnusableEvent("the message is not JSON: " + e.getOriginalMessage(), e);
    }
    if (!models.isMissingNode() && !models.isArray()) {
      throw new UnusableEvent("the message's models is not a list (expected {\"models\": [...]})");
    }
    List<String> names = new ArrayList<>();
    models.forEach(m -> names.add(m.asText()));
    return names;
  }

  private static String text(JsonNode message) throws UnusableEvent {
    JsonNode data = message.get("data");
    if (data == null || !data.isTextual()) {
      throw new UnusableEvent(
          "data is not a Pub/Sub message with data (expected message.data, base64)");
    }
    try {
      return new String(Base64.getDecoder().decode(data.asText()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new UnusableEvent("message.data is not base64: " + e.getMessage(), e);
    }
  }

  private static Instant time(JsonNode message, CloudEvent event) {
    String published = message.path("publishTime").asText(null);
    Instant time = null;
    if (published != null) {
      try {
        time = Instant.parse(published);
      } catch (DateTimeParseException e) {
        // the event's own time instead
      }
    }
    if (time == null) {
      time = event.getTime() != null ? event.getTime().toInstant() : Instant.now();
    }
    return time.truncatedTo(ChronoUnit.MINUTES);
  }
}
