package io.triad.functions.model;

import io.triad.functions.image.RowImages;
import io.triad.functions.tabular.RecordSource;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * Row fingerprints: 64 bits of the SHA-256 of a row's inputs (its features in the manifest's order,
 * numbers in one canonical form; or a picture's bytes), never its label. They decide the stable
 * split (a row is held out when its fingerprint says so, whatever the seed, the row order or the
 * rows added since) and record, with each version, which rows it trained on ({@value FORMAT}, one
 * hex fingerprint per line, sorted).
 */
public final class TrainingRows {
  static final String FORMAT = "triad-training-rows/1";

  /**
   * The largest training-rows file read (128 MiB, some 7.5 million rows): anything larger is not
   * one a trainer wrote, and is not held in memory.
   */
  static final long MAX_BYTES = 128L << 20;

  /** The share of rows held out for evaluation unless a trainer is told otherwise. */
  public static final double DEFAULT_HOLDOUT_FRACTION = 0.2;

  private static final HexFormat HEX = HexFormat.of();
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TrainingRows.class);
  private final long[] sorted;

  private TrainingRows(long[] sorted) {
    this.sorted = sorted;
  }

  /** The fingerprint of a table row: {@code value} gives each named feature's text. */
  public static long ofFeatures(List<String> names, Function<String, String> value) {
    StringBuilder canonical = new StringBuilder();
    for (String name : names) {
      String text = value.apply(name);
      canonical.append(name).append('=').append(canonical(text)).append('\u001f');
    }
    return of(canonical.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The fingerprint of a labelled row as the trainer computed it for {@code manifest}'s model: the
   * picture's bytes for an image model ({@code images} not null), else the features by name.
   */
  public static long ofRow(ModelManifest manifest, RecordSource.Row row, RowImages images) {
    if (images != null) {
      return ofPicture(images.bytes(row));
    }
    List<String> names =
        manifest.preprocessing().features().stream().map(ModelManifest.Feature::name).toList();
    return ofFeatures(names, row::text);
  }

  /** The fingerprint of a picture: its bytes as stored. */
  public static long ofPicture(byte[] bytes) {
    return of(bytes);
  }

  /**
   * Whether the row with this fingerprint belongs to the evaluation rows at {@code fraction}: the
   * same answer for every version, seed and order.
   */
  public static boolean heldOut(long fingerprint, double fraction) {
    return (fingerprint >>> 11) * 0x1.0p-53 < fraction;
  }

  public static TrainingRows of(long[] fingerprints) {
    long[] copy = fingerprints.clone();
    Arrays.sort(copy);
    int unique = 0;
    for (int i = 0; i < copy.length; i++) {
      if (i == 0 || copy[i] != copy[i - 1]) {
        copy[unique++] = copy[i];
      }
    }
    return new TrainingRows(Arrays.copyOf(copy, unique));
  }

  /**
   * The training rows stored at {@code key}, or empty when there are none, or the file is too large
   * or not of this form (said in the log): what a version did not record cannot be held against it.
   */
  public static java.util.Optional<TrainingRows> read(
      io.triad.functions.store.BlobStore store, String key) {
    var head = store.head(key);
    if (head.isEmpty()) {
      return java.util.Optional.empty();
    }
    if (head.get().size() > MAX_BYTES) {
      LOG.warn(
          "{} is {} bytes, larger than any training-rows file; ignored", key, head.get().size());
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(parse(store.read(key)));
    } catch (IllegalArgumentException e) {
      LOG.warn("{} is not a training-rows file ({}); ignored", key, e.getMessage());
      return java.util.Optional.empty();
    }
  }

  public boolean contains(long fingerprint) {
    return Arrays.binarySearch(sorted, fingerprint) >= 0;
  }

  /** Distinct rows. */
  public int size() {
    return sorted.length;
  }

  public byte[] toBytes() {
    StringBuilder text = new StringBuilder(FORMAT).append('\n');
    for (long fingerprint : sorted) {
      text.append(HEX.toHexDigits(fingerprint)).append('\n');
    }
    return text.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Reads {@link #toBytes()}'s form.
   *
   * @throws IllegalArgumentException when it is not that form
   */
  public static TrainingRows parse(byte[] bytes) {
    String[] lines = new String(bytes, StandardCharsets.US_ASCII).split("\n");
    if (lines.length == 0 || !lines[0].equals(FORMAT)) {
      throw new IllegalArgumentException("not a " + FORMAT + " file");
    }
    long[] fingerprints = new long[lines.length - 1];
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].length() != 16) {
        throw new IllegalArgumentException("line " + (i + 1) + " is not a fingerprint");
      }
      fingerprints[i - 1] = HexFormat.fromHexDigitsToLong(lines[i]);
    }
    return of(fingerprints);
  }

  private static String canonical(String text) {
    if (text == null) {
      return "";
    }
    String stripped = text.strip();
    try {
      double number = Double.parseDouble(stripped);
      if (Double.isFinite(number) && !stripped.isEmpty()) {
        return Double.toString(number);
      }
    } catch (NumberFormatException notANumber) {
      // text as it is
    }
    return stripped;
  }

  private static long of(byte[] bytes) {
    try {
      return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(bytes)).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
