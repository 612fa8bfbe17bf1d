package io.triad.functions.image;

import io.triad.functions.api.TriadError;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.NoSuchObjectException;
import io.triad.functions.store.ObjectKeys;
import io.triad.functions.tabular.RecordSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The picture of one row of an uploaded table for an image model: a {@code b64} column holding the
 * image, or a {@code file} column naming an object beside the table (relative to its folder).
 */
public final class RowImages {
  public static final String B64 = "b64";
  public static final String FILE = "file";

  private final BlobStore store;
  private final String folder;

  /**
   * @param tableKey the key of the uploaded table; {@code file} values are relative to its folder
   */
  public RowImages(BlobStore store, String tableKey) {
    this.store = store;
    this.folder = tableKey.substring(0, tableKey.lastIndexOf('/') + 1);
  }

  public byte[] bytes(RecordSource.Row row) {
    String where = "row[" + row.number() + "]";
    String b64 = row.text(B64);
    if (b64 != null && !b64.isEmpty()) {
      return ImageEncoder.base64(b64, where + "." + B64);
    }
    String file = row.text(FILE);
    if (file == null || file.isEmpty()) {
      throw TriadError.unprocessable(
          where + " has neither a '" + B64 + "' nor a '" + FILE + "' value");
    }
    String key;
    try {
      key = ObjectKeys.check(folder + file);
    } catch (TriadError e) {
      throw TriadError.unprocessable(
          where + "." + FILE + " '" + file + "' is not a usable key: " + e.getMessage());
    }
    try (InputStream in = store.open(key)) {
      return in.readAllBytes();
    } catch (NoSuchObjectException e) {
      throw TriadError.unprocessable(where + "." + FILE + ": no object " + key);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + key, e);
    }
  }
}
