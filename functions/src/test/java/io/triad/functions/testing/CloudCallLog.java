package io.triad.functions.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;

/**
 * Where emulators and doubles record the cloud calls they answer, for the permission checks
 * (integration-tests, {@code io.triad.permissions}): a folder named by the system property {@value
 * #PROPERTY}, one JSON object per line per call. Recording is off when the property is unset.
 */
public final class CloudCallLog {

  public static final String PROPERTY = "triad.cloud-calls";

  private static final ObjectMapper JSON = new ObjectMapper();

  private CloudCallLog() {}

  /** The log {@code name} in the recording folder (made if need be), if recording is on. */
  public static Optional<Path> file(String name) {
    String folder = System.getProperty(PROPERTY);
    if (folder == null || folder.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.createDirectories(Path.of(folder)).resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Appends {@code call} to the log {@code name}, if recording is on. */
  public static synchronized void append(String name, Map<String, ?> call) {
    Optional<Path> log = file(name);
    if (log.isEmpty()) {
      return;
    }
    try {
      Files.writeString(
          log.get(),
          JSON.writeValueAsString(call) + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
