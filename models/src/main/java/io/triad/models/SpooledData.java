package io.triad.models;

import io.triad.functions.model.TrainingRows;
import io.triad.functions.tabular.CsvWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A data set read once from the store into a local {@link RowSpool}, split by fingerprint: a row is
 * held out when {@link TrainingRows#heldOut} says so, except that a class none of whose rows would
 * be trained on is trained on whole, so every version, seed and retrain on grown data keeps the
 * same rows for evaluation. The held-out rows' CSV goes to a file beside the spool, for the
 * candidate's {@code holdout.csv}. Only the class list and the per-class counts are in memory while
 * it is written.
 */
final class SpooledData implements AutoCloseable {
  private final RowSpool spool;
  private final List<String> labels;
  private final int[] classOf;
  private final boolean[] trainedWhole;
  private final long trainRows;
  private final long holdoutRows;
  private final Path holdoutCsv;

  private SpooledData(
      RowSpool spool,
      List<String> labels,
      int[] classOf,
      boolean[] trainedWhole,
      long trainRows,
      long holdoutRows,
      Path holdoutCsv) {
    this.spool = spool;
    this.labels = labels;
    this.classOf = classOf;
    this.trainedWhole = trainedWhole;
    this.trainRows = trainRows;
    this.holdoutRows = holdoutRows;
    this.holdoutCsv = holdoutCsv;
  }

  /** Takes rows as they are read and spools them; {@link #finish} makes the data set. */
  static final class Writer implements AutoCloseable {
    private final Path dir;
    private final String source;
    private final List<String> header;
    private final int targetColumn;
    private final double holdoutFraction;
    private final Map<String, Integer> ordinals = new HashMap<>();
    private final List<String> seen = new ArrayList<>();
    private final List<long[]> counts = new ArrayList<>();
    private final Path holdoutFile;
    private final CsvFile holdout;
    private RowSpool spool;
    private boolean finished;

    /**
     * @param dir where the spool and the held-out CSV are written
     * @param header the data's header, the held-out CSV's first line
     * @param targetColumn the label's column, by which held-out rows are taken back when their
     *     class turns out to have no training rows
     */
    Writer(Path dir, List<String> header, int targetColumn, String source, double holdoutFraction) {
      this.dir = dir;
      this.source = source;
      this.header = List.copyOf(header);
      this.targetColumn = targetColumn;
      this.holdoutFraction = holdoutFraction;
      try {
        this.holdoutFile = Files.createTempFile(dir, "holdout-", ".csv");
        this.holdout = new CsvFile(holdoutFile);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the held-out rows under " + dir, e);
      }
      holdout.write(header);
    }

    /** One row of class {@code label} with its fingerprint and raw input. */
    void add(CsvTable.Row row, String label, long fingerprint, float[] features) {
      if (spool == null) {
        spool = new RowSpool(dir, features.length);
      }
      Integer ordinal = ordinals.get(label);
      if (ordinal == null) {
        if (seen.size() >= TableSchema.MAX_DISTINCT) {
          throw new TrainerException(
              source + ": more than " + TableSchema.MAX_DISTINCT + " classes in the target column");
        }
        ordinal = seen.size();
        ordinals.put(label, ordinal);
        seen.add(label);
        counts.add(new long[2]);
      }
      boolean heldOut = TrainingRows.heldOut(fingerprint, holdoutFraction);
      counts.get(ordinal)[heldOut ? 1 : 0]++;
      spool.append(ordinal, heldOut, fingerprint, features);
      if (heldOut) {
        holdout.write(row.cells());
      }
    }

    long rows() {
      return spool == null ? 0 : spool.size();
    }

    /** The data set: classes sorted, the split settled, the held-out CSV without moved rows. */
    SpooledData finish() {
      holdout.close();
      if (spool == null) {
        throw new TrainerException("data file " + source + " has a header but no rows");
      }
      spool.finish();
      List<String> labels = seen.stream().sorted().toList();
      if (labels.size() < 2) {
        throw new TrainerException(
            source
                + ": target column '"
                + header.get(targetColumn)
                + "' has only one class "
                + labels);
      }
      int[] classOf = new int[seen.size()];
      boolean[] trainedWhole = new boolean[seen.size()];
      Set<String> moved = new HashSet<>();
      long train = 0;
      long held = 0;
      for (int ordinal = 0; ordinal < seen.size(); ordinal++) {
        int c = labels.indexOf(seen.get(ordinal));
        classOf[ordinal] = c;
        long[] count = counts.get(ordinal);
        if (count[0] == 0) {
          trainedWhole[c] = true;
          moved.add(seen.get(ordinal));
          train += count[1];
        } else {
          train += count[0];
          held += count[1];
        }
      }
      if (held == 0) {
        throw new TrainerException(
            "the holdout is empty: "
                + spool.size()
                + " rows are too few for a holdout fraction of "
                + holdoutFraction);
      }
      if (!moved.isEmpty()) {
        withoutClasses(moved);
      }
      finished = true;
      return new SpooledData(spool, labels, classOf, trainedWhole, train, held, holdoutFile);
    }

    /** Rewrites the held-out CSV without the rows of {@code moved} classes. */
    private void withoutClasses(Set<String> moved) {
      Path kept = holdoutFile.resolveSibling(holdoutFile.getFileName() + ".kept");
      try (InputStream in = Files.newInputStream(holdoutFile);
          CsvRows rows = new CsvRows(in, "the held-out rows");
          CsvFile out = new CsvFile(kept)) {
        out.write(rows.header());
        for (CsvTable.Row row = rows.next(); row != null; row = rows.next()) {
          if (!moved.contains(row.cell(targetColumn).trim())) {
            out.write(row.cells());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("rewriting " + holdoutFile, e);
      }
      try {
        Files.move(kept, holdoutFile, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new UncheckedIOException("rewriting " + holdoutFile, e);
      }
    }

    /** Removes what was written when {@link #finish} did not hand it on. */
    @Override
    public void close() {
      if (!finished) {
        holdout.close();
        if (spool != null) {
          spool.close();
        }
        try {
          Files.deleteIfExists(holdoutFile);
        } catch (IOException e) {
          // a temporary file in the job's own folder; the folder goes with the job
        }
      }
    }
  }

  /** A CSV file written row by row. */
  private static final class CsvFile implements AutoCloseable {
    private final java.io.Writer file;
    private final CsvWriter csv;

    CsvFile(Path path) throws IOException {
      this.file =
          new BufferedWriter(Files.newBufferedWriter(path, StandardCharsets.UTF_8), 1 << 16);
      this.csv = new CsvWriter(file);
    }

    void write(List<String> cells) {
      csv.write(cells);
    }

    @Override
    public void close() {
      csv.close();
    }
  }

  RowSpool spool() {
    return spool;
  }

  int width() {
    return spool.width();
  }

  /** The class labels, sorted; a row's class is an index into them. */
  List<String> labels() {
    return labels;
  }

  long trainRows() {
    return trainRows;
  }

  long holdoutRows() {
    return holdoutRows;
  }

  /** The held-out rows as CSV, header first, in the data's order. */
  Path holdoutCsv() {
    return holdoutCsv;
  }

  /** The class of record {@code i} of {@code chunk}. */
  int label(RowSpool.Chunk chunk, int i) {
    return classOf[chunk.labels()[i]];
  }

  /** Whether record {@code i} of {@code chunk} is trained on (else it is held out). */
  boolean isTrain(RowSpool.Chunk chunk, int i) {
    return !chunk.heldOut()[i] || trainedWhole[label(chunk, i)];
  }

  /** Visits one side's rows in the data's order, a chunk of records at a time. */
  void forEach(boolean train, RowVisitor visitor) {
    int chunkRows = Math.max(1, (1 << 20) / spool.recordBytes());
    int width = width();
    for (long first = 0; first < spool.size(); first += chunkRows) {
      RowSpool.Chunk chunk = spool.read(first, chunkRows);
      for (int i = 0; i < chunk.size(); i++) {
        if (isTrain(chunk, i) == train) {
          boolean more =
              visitor.visit(
                  Arrays.copyOfRange(chunk.features(), i * width, (i + 1) * width),
                  label(chunk, i),
                  chunk.fingerprints()[i]);
          if (!more) {
            return;
          }
        }
      }
    }
  }

  /** One row handed out by {@link #forEach}; false stops the pass. */
  @FunctionalInterface
  interface RowVisitor {
    boolean visit(float[] features, int label, long fingerprint);
  }

  /** The fingerprints of the rows trained on, as the package records them. */
  TrainingRows trainingRows() {
    long[] fingerprints = new long[(int) trainRows];
    int[] next = {0};
    forEach(
        true,
        (features, label, fingerprint) -> {
          fingerprints[next[0]++] = fingerprint;
          return true;
        });
    return TrainingRows.of(fingerprints);
  }

  /** Up to {@code max} held-out rows, the first in the data's order. */
  Sample heldOutSample(int max) {
    List<float[]> x = new ArrayList<>();
    List<Integer> y = new ArrayList<>();
    if (max > 0) {
      forEach(
          false,
          (features, label, fingerprint) -> {
            x.add(features);
            y.add(label);
            return x.size() < max;
          });
    }
    return new Sample(x.toArray(float[][]::new), y.stream().mapToInt(Integer::intValue).toArray());
  }

  /** Rows in memory. */
  record Sample(float[][] x, int[] y) {}

  /** Removes the spool; the held-out CSV stays for the candidate, in the caller's folder. */
  @Override
  public void close() {
    spool.close();
  }
}
