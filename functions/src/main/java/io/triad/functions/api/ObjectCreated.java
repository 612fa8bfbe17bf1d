package io.triad.functions.api;

/**
 * An object landed in the bucket. Every runtime decodes its own notification (a file event, an S3
 * record, a Blob trigger, a GCS CloudEvent) into this record.
 *
 * @param key the object key, already URL-decoded, relative to the bucket root
 * @param size the size in bytes, or -1 when the event did not say
 * @param etag the provider's entity tag, or null when the event did not say
 */
public record ObjectCreated(String key, long size, String etag) {
  public ObjectCreated {
    if (key == null || key.isBlank()) {
      throw TriadError.badRequest("object event without a key");
    }
  }

  public static ObjectCreated of(String key) {
    return new ObjectCreated(key, -1, null);
  }
}
