package io.triad.functions.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where a function stages what it writes before it goes to the store (predictions before they are
 * published in one write): a folder of this process's own under the system's temporary folder,
 * {@code triad-scratch-{pid}}, so that what a killed process left behind can be told apart and
 * swept at the next start ({@link #sweepDead}).
 */
public final class Scratch {
  static final String PREFIX = "triad-scratch-";

  private static volatile Path dir;

  private Scratch() {}

  /** A new empty file in this process's scratch folder; the caller deletes it. */
  public static Path newFile(String prefix, String suffix) throws IOException {
    return Files.createTempFile(dir(), prefix, suffix);
  }

  private static Path dir() throws IOException {
    Path current = dir;
    if (current == null || !Files.isDirectory(current)) {
      synchronized (Scratch.class) {
        current =
            Files.createDirectories(
                Path.of(System.getProperty("java.io.tmpdir"))
                    .resolve(PREFIX + ProcessHandle.current().pid()));
        dir = current;
      }
    }
    return current;
  }

  /**
   * Deletes the scratch folders of processes that are no longer running (killed mid-write).
   *
   * @return how many folders were removed
   */
  public static int sweepDead() {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    int removed = 0;
    try (DirectoryStream<Path> folders = Files.newDirectoryStream(tmp, PREFIX + "*")) {
      for (Path folder : folders) {
        String pid = folder.getFileName().toString().substring(PREFIX.length());
        if (pid.chars().allMatch(Character::isDigit)
            && !pid.isEmpty()
            && ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
          deleteTree(folder);
          removed++;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("sweeping " + tmp, e);
    }
    return removed;
  }

  private static void deleteTree(Path folder) throws IOException {
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(path);
      }
    }
  }
}
