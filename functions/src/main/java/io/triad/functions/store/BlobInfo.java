package io.triad.functions.store;

import java.time.Instant;
import java.util.Map;

/**
 * Metadata of one stored object.
 *
 * @param metadata the object's user metadata by lower-case name ({@code x-amz-meta-*} on S3, blob
 *     metadata, GCS custom metadata, extended attributes locally): known from {@link
 *     BlobStore#head}; listings may leave it empty
 */
public record BlobInfo(
    String key, long size, Instant lastModified, String etag, Map<String, String> metadata) {
  public BlobInfo {
    metadata =
        metadata == null || metadata.isEmpty()
            ? Map.of()
            : metadata.entrySet().stream()
                .filter(e -> e.getKey() != null && e.getValue() != null)
                .collect(
                    java.util.stream.Collectors.toUnmodifiableMap(
                        e -> e.getKey().toLowerCase(java.util.Locale.ROOT),
                        Map.Entry::getValue,
                        (a, b) -> a));
  }

  /** Without user metadata, as a listing gives it. */
  public BlobInfo(String key, long size, Instant lastModified, String etag) {
    this(key, size, lastModified, etag, Map.of());
  }
}
