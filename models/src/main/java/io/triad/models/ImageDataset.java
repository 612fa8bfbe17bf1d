package io.triad.models;

import io.triad.functions.api.TriadError;
import io.triad.functions.image.ImageEncoder;
import io.triad.functions.image.Picture;
import io.triad.functions.image.RowImages;
import io.triad.functions.model.ImageInput;
import io.triad.functions.store.BlobStore;
import io.triad.functions.tabular.RecordSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Labelled pictures from a CSV ({@code b64} or {@code file} column plus the label), decoded with
 * the serving code's own preprocessing, so training sees exactly the tensors serving will build.
 * The size and channels come from the first picture (grayscale when it is gray).
 *
 * @param x one {@code [C*H*W]} row per picture, NCHW, values scaled as {@link #input()} says
 */
public record ImageDataset(
    CsvTable table,
    String target,
    ImageInput input,
    List<String> labels,
    float[][] x,
    int[] y,
    long[] fingerprints) {
  /** Training sees 0..1 pixels; the manifest tells serving to do the same. */
  public static ImageInput inputFor(Picture first) {
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

  public static boolean holdsPictures(CsvTable table) {
    return table.header().contains(RowImages.B64) || table.header().contains(RowImages.FILE);
  }

  public static ImageDataset of(CsvTable table, String targetName, String source, BlobStore store) {
    List<String> header = table.header();
    String target = targetName == null ? header.get(header.size() - 1) : targetName;
    int targetColumn = header.indexOf(target);
    if (targetColumn < 0) {
      throw new TrainerException(
          source + ": target column '" + target + "' is not in the header " + header);
    }
    if (table.rows().isEmpty()) {
      throw new TrainerException(source + ": no pictures");
    }
    Map<String, Integer> columns = new java.util.HashMap<>();
    for (int c = 0; c < header.size(); c++) {
      columns.put(header.get(c), c);
    }
    RowImages images = new RowImages(store, source);
    List<byte[]> bytes = new ArrayList<>(table.rows().size());
    TreeSet<String> labelSet = new TreeSet<>();
    for (CsvTable.Row row : table.rows()) {
      bytes.add(
          images.bytes(
              new RecordSource.Row(row.line(), null, row.cells().toArray(String[]::new), columns)));
      labelSet.add(row.cell(targetColumn).trim());
    }
    List<String> labels = List.copyOf(labelSet);
    if (labels.size() < 2) {
      throw new TrainerException(
          source + ": target column '" + target + "' has only one class " + labels);
    }
    try {
      ImageInput input =
          inputFor(
              new ImageEncoder(ImageInput.of(1, 1, ImageInput.NCHW, ImageInput.RGB))
                  .decode(bytes.get(0)));
      ImageEncoder encoder = new ImageEncoder(input);
      float[][] x = new float[bytes.size()][];
      int[] y = new int[bytes.size()];
      for (int i = 0; i < bytes.size(); i++) {
        int line = table.rows().get(i).line();
        x[i] = encoder.encode(List.of(bytes.get(i)), n -> source + " line " + line);
        y[i] = labels.indexOf(table.rows().get(i).cell(targetColumn).trim());
      }
      long[] fingerprints =
          bytes.stream().mapToLong(io.triad.functions.model.TrainingRows::ofPicture).toArray();
      return new ImageDataset(table, target, input, labels, x, y, fingerprints);
    } catch (TriadError e) {
      throw new TrainerException(e.getMessage());
    }
  }

  public int size() {
    return y.length;
  }
}
