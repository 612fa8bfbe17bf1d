package io.triad.functions.api;

/**
 * An object landed in the bucket. Every runtime decodes its own notification (a file event, an S3
 * record, a Blob trigger, a GCS CloudEvent) into this record.
 *
 * @param key the object key, already URL-decoded, relative to the bucket root
 * @param size the size in bytes, or -1 when the event did not say
 * @param etag the provider's entity tag, or null when the event did not say
 * @param finalAttempt true when the runtime will not deliver this event again: a fault of the
 *     machinery then sets the upload aside with its reason instead of asking for a retry
 */
public record ObjectCreated(String key, long size, String etag, boolean finalAttempt) {
  public ObjectCreated {
    if (key == null || key.isBlank()) {
      throw TriadError.badRequest("object event without a key");
    }
  }

  public ObjectCreated(String key, long size, String etag) {
    this(key, size, etag, false);
  }

  /** The same event, marked as the last delivery there will be. */
  public ObjectCreated asFinalAttempt() {
    return new ObjectCreated(key, size, etag, true);
  }

  public static ObjectCreated of(String key) {
    return new ObjectCreated(key, -1, null);
  }
}
