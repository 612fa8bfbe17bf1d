package io.triad.models;

import io.triad.functions.api.TriadError;
import io.triad.functions.image.ImageEncoder;
import io.triad.functions.image.Picture;
import io.triad.functions.image.PictureStats;
import io.triad.functions.image.RowImages;
import io.triad.functions.model.DataProfile;
import io.triad.functions.model.ImageInput;
import io.triad.functions.model.TrainingRows;
import io.triad.functions.store.BlobStore;
import io.triad.functions.tabular.RecordSource;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Labelled pictures from a CSV ({@code b64} or {@code file} column plus the label), read one row at
 * a time and decoded with the serving code's own preprocessing into a {@link SpooledData}, so
 * training sees exactly the tensors serving will build and no more than one picture is in memory.
 * The size and channels come from the first picture (grayscale when it is gray).
 */
final class PictureSpooler {

  /**
   * What was read: the pictures, the input every one of them was decoded to, and the profile of
   * what they look like to the model (brightness, contrast, class: {@link PictureStats}).
   */
  record Pictures(SpooledData data, ImageInput input, String target, DataProfile profile)
      implements AutoCloseable {
    @Override
    public void close() {
      data.close();
    }
  }

  private PictureSpooler() {}

  /** Every picture's brightness and contrast, and its class, as a data profile. */
  private static DataProfile profile(FloatList looks, List<String> classes, List<String> labels) {
    ProfileBuilder builder =
        new ProfileBuilder(
            List.of(
                new FeatureColumn(PictureStats.BRIGHTNESS, 0, null),
                new FeatureColumn(PictureStats.CONTRAST, 1, null)),
            labels,
            PROFILE_SEED);
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      index.put(labels.get(i), i);
    }
    for (int i = 0; i < classes.size(); i++) {
      Integer label = index.get(classes.get(i));
      if (label != null) {
        builder.add(new float[] {looks.get(2 * i), looks.get(2 * i + 1)}, label);
      }
    }
    return builder.build();
  }

  /** The seed of the profile's samples: the same pictures give the same manifest. */
  private static final long PROFILE_SEED = 17;

  /** Floats without boxing: two per picture. */
  private static final class FloatList {
    private float[] values = new float[1024];
    private int size;

    void add(float value) {
      if (size == values.length) {
        values = java.util.Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    float get(int i) {
      return values[i];
    }
  }

  static boolean holdsPictures(List<String> header) {
    return header.contains(RowImages.B64) || header.contains(RowImages.FILE);
  }

  /** Training sees 0..1 pixels; the manifest tells serving to do the same. */
  static ImageInput inputFor(Picture first) {
    return new ImageInput(
        first.width(),
        first.height(),
        ImageInput.NCHW,
        first.isGray() ? ImageInput.GRAYSCALE : ImageInput.RGB,
        ImageInput.PLAIN,
        null,
        1.0 / 255,
        List.of(0.0),
        List.of(1.0),
        first.isGray() ? "#000000" : "#ffffff",
        null);
  }

  static Pictures spool(
      BlobStore store, String source, String targetName, double holdoutFraction, Path work) {
    try (CsvRows rows = CsvRows.open(store, source)) {
      List<String> header = rows.header();
      String target = targetName == null ? header.get(header.size() - 1) : targetName;
      int targetColumn = header.indexOf(target);
      if (targetColumn < 0) {
        throw new TrainerException(
            source + ": target column '" + target + "' is not in the header " + header);
      }
      Map<String, Integer> columns = new HashMap<>();
      for (int c = 0; c < header.size(); c++) {
        columns.put(header.get(c), c);
      }
      RowImages images = new RowImages(store, source);
      FloatList looks = new FloatList();
      List<String> classes = new java.util.ArrayList<>();
      ImageInput input = null;
      ImageEncoder encoder = null;
      try (SpooledData.Writer writer =
          new SpooledData.Writer(work, header, targetColumn, source, holdoutFraction)) {
        for (CsvTable.Row row = rows.next(); row != null; row = rows.next()) {
          String label = row.cell(targetColumn).trim();
          if (label.isEmpty()) {
            throw new TrainerException(
                source + " line " + row.line() + ": column '" + target + "' has no value");
          }
          byte[] bytes =
              images.bytes(
                  new RecordSource.Row(
                      row.line(), null, row.cells().toArray(String[]::new), columns));
          if (encoder == null) {
            input =
                inputFor(
                    new ImageEncoder(ImageInput.of(1, 1, ImageInput.NCHW, ImageInput.RGB))
                        .decode(bytes));
            encoder = new ImageEncoder(input);
          }
          int line = row.line();
          float[] pixels = encoder.encode(List.of(bytes), n -> source + " line " + line);
          writer.add(row, label, TrainingRows.ofPicture(bytes), pixels);
          double[] stats = PictureStats.of(pixels, 0, pixels.length);
          looks.add((float) stats[0]);
          looks.add((float) stats[1]);
          classes.add(label);
        }
        if (writer.rows() == 0) {
          throw new TrainerException(source + ": no pictures");
        }
        SpooledData data = writer.finish();
        return new Pictures(data, input, target, profile(looks, classes, data.labels()));
      }
    } catch (TriadError e) {
      throw new TrainerException(e.getMessage());
    }
  }
}
