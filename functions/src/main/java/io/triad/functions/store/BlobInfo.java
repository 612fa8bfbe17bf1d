package io.triad.functions.store;

import java.time.Instant;

/** Metadata of one stored object. */
public record BlobInfo(String key, long size, Instant lastModified, String etag) {}
