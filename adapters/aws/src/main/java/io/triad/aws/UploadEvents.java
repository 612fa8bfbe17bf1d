package io.triad.aws;

import com.fasterxml.jackson.databind.JsonNode;
import io.triad.functions.api.ObjectCreated;
import io.triad.functions.api.Outcome;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * S3 event notifications to {@code onObjectCreated}, one call per record, in order. Bad input is
 * the core's business (it lands under {@code failed/}); a storage fault is thrown, which fails the
 * invocation so Lambda retries the event. Outputs are replaced, never appended, so a retried or
 * duplicated event writes the same objects again.
 */
final class UploadEvents implements LambdaEvents {
  private static final Logger log = LoggerFactory.getLogger(UploadEvents.class);

  private final Function<ObjectCreated, Outcome> onObjectCreated;
  private final String bucket;

  UploadEvents(Function<ObjectCreated, Outcome> onObjectCreated, String bucket) {
    this.onObjectCreated = onObjectCreated;
    this.bucket = bucket;
  }

  /** What one invocation did, record by record. */
  record Handled(List<Outcome> outcomes) {}

  @Override
  public Handled handle(JsonNode event) {
    if ("s3:TestEvent".equals(event.path("Event").asText())) {
      log.info("S3 test event for bucket {} acknowledged", event.path("Bucket").asText());
      return new Handled(List.of());
    }
    List<Outcome> outcomes = new ArrayList<>();
    for (Record record : decode(event)) {
      Outcome outcome =
          record.bucket().equals(bucket)
              ? onObjectCreated.apply(record.object())
              : new Outcome.Ignored(
                  record.object().key(),
                  "event from bucket " + record.bucket() + "; this function serves " + bucket);
      log.info("s3://{}/{}: {}", record.bucket(), record.object().key(), outcome);
      outcomes.add(outcome);
    }
    return new Handled(outcomes);
  }

  /** One {@code ObjectCreated:*} record; other event names (removals, restores) are skipped. */
  record Record(String bucket, ObjectCreated object) {}

  static List<Record> decode(JsonNode event) {
    JsonNode records = event.path("Records");
    if (!records.isArray()) {
      throw new IllegalArgumentException("not an S3 event notification: no Records array");
    }
    List<Record> decoded = new ArrayList<>();
    for (JsonNode record : records) {
      String name = record.path("eventName").asText();
      JsonNode s3 = record.path("s3");
      if (!name.startsWith("ObjectCreated:")) {
        log.info("skipped S3 {} for {}", name, s3.path("object").path("key").asText());
        continue;
      }
      JsonNode object = s3.path("object");
      // S3 encodes keys as in an HTML form: %XX escapes and '+' for a space
      String key = URLDecoder.decode(object.path("key").asText(), StandardCharsets.UTF_8);
      String etag = object.hasNonNull("eTag") ? object.path("eTag").asText() : null;
      decoded.add(
          new Record(
              s3.path("bucket").path("name").asText(),
              new ObjectCreated(key, object.path("size").asLong(-1), etag)));
    }
    return decoded;
  }
}
