package io.triad.local;

import io.triad.functions.config.TriadProperties;
import io.triad.functions.image.RowImages;
import io.triad.functions.model.TrainingRows;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.tabular.CsvReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the data sets the build fetched ({@code triad/datasets/{model}.csv} on the classpath) into
 * the bucket where training expects them, once, and writes example uploads for a first try.
 */
public final class DatasetSeeder {
  private static final Logger log = LoggerFactory.getLogger(DatasetSeeder.class);

  /** Example pictures are {@code picture-{row}-{label}.png}. */
  public static final String PICTURE_PREFIX = "picture-";

  /** The most rows an example labelled.csv holds. */
  static final int MAX_LABELLED = 1000;

  private final BlobStore store;
  private final TriadProperties properties;
  private final Path examples;

  public DatasetSeeder(BlobStore store, TriadProperties properties, Path examples) {
    this.store = store;
    this.properties = properties;
    this.examples = examples;
  }

  public void seed() {
    properties.models().keySet().forEach(this::seed);
  }

  private void seed(String model) {
    uploadFolders(model);
    String key = properties.model(model).trainingDataOr(model);
    byte[] data = bundled(model);
    if (data == null) {
      return;
    }
    if (!store.exists(key)) {
      store.put(key, data);
      log.info("seeded {} from the data set bundled at build time", key);
    }
    writeExamples(model, data);
  }

  /**
   * Creates {@code incoming/{model}/} and {@code labelled/{model}/} so a first upload has somewhere
   * to go.
   */
  private void uploadFolders(String model) {
    if (store instanceof FileSystemBlobStore directory) {
      try {
        Files.createDirectories(directory.root().resolve("incoming").resolve(model));
        Files.createDirectories(directory.root().resolve("labelled").resolve(model));
      } catch (IOException e) {
        throw new UncheckedIOException("creating upload folders for " + model, e);
      }
    }
  }

  private static byte[] bundled(String model) {
    try (InputStream in =
        DatasetSeeder.class
            .getClassLoader()
            .getResourceAsStream("triad/datasets/" + model + ".csv")) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code flowers.csv} (ids, no label) and {@code labelled.csv} (with the label), from the rows
   * the trainer holds out (their fingerprint says so, {@link TrainingRows#heldOut}), so no example
   * is a row the bootstrap model trained on; for a picture data set ({@code b64,label}) the first
   * ten held-out pictures as PNG files instead of {@code flowers.csv}, and at most {@value
   * #MAX_LABELLED} labelled rows.
   */
  private void writeExamples(String model, byte[] data) {
    Path dir = examples.resolve(model);
    try (CsvReader reader = new CsvReader(new ByteArrayInputStream(data))) {
      List<String> header = reader.next();
      int target = header.size() - 1;
      boolean pictures = header.get(0).equals(RowImages.B64);
      List<String> features = header.subList(0, target);
      List<String> unlabelled = new ArrayList<>(List.of("id," + String.join(",", features)));
      List<String> labelled = new ArrayList<>(List.of(String.join(",", header)));
      int row = 0;
      int held = 0;
      for (List<String> cells = reader.next(); cells != null; cells = reader.next()) {
        row++;
        byte[] picture = pictures ? Base64.getDecoder().decode(cells.get(0)) : null;
        List<String> values = cells;
        long fingerprint =
            pictures
                ? TrainingRows.ofPicture(picture)
                : TrainingRows.ofFeatures(features, name -> values.get(features.indexOf(name)));
        if (!TrainingRows.heldOut(fingerprint, TrainingRows.DEFAULT_HOLDOUT_FRACTION)) {
          continue;
        }
        if (pictures && held < 10) {
          Files.createDirectories(dir);
          Files.write(
              dir.resolve(PICTURE_PREFIX + held + "-" + cells.get(target) + ".png"), picture);
        }
        held++;
        if (labelled.size() <= MAX_LABELLED) {
          unlabelled.add(model + "-" + row + "," + String.join(",", cells.subList(0, target)));
          labelled.add(String.join(",", cells));
        }
      }
      Files.createDirectories(dir);
      if (!pictures) {
        Files.write(dir.resolve("flowers.csv"), unlabelled, StandardCharsets.UTF_8);
      }
      Files.write(dir.resolve("labelled.csv"), labelled, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("writing examples to " + dir, e);
    }
  }
}
