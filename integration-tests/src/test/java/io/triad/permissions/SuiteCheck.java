package io.triad.permissions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.testing.CloudCallLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

/** What every cloud's permission check shares: the stack it reads, the logs, a suite's end. */
final class SuiteCheck {

  static final List<String> SUITES = List.of("contract", "retraining");
  private static final ObjectMapper JSON = new ObjectMapper();

  private SuiteCheck() {}

  /** The stack infra's build synthesized for {@code cloud} (integration-tests/pom.xml names it). */
  static JsonNode builtStack(String cloud) {
    String path = System.getProperty("triad.stack." + cloud);
    if (path == null || !Files.isRegularFile(Path.of(path))) {
      throw new IllegalStateException(
          "no synthesized "
              + cloud
              + " stack at "
              + path
              + "; infra's build makes it (./mvnw -B -pl infra package -DskipTests)");
    }
    return parse(path);
  }

  /** Every line of the call log {@code name} so far, as JSON; none when it does not exist. */
  static List<JsonNode> lines(String name) {
    List<JsonNode> lines = new ArrayList<>();
    Path log = CloudCallLog.file(name).orElse(null);
    if (log == null || !Files.isRegularFile(log)) {
      return lines;
    }
    try {
      for (String line : Files.readAllLines(log)) {
        if (!line.isBlank()) {
          lines.add(JSON.readTree(line));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return lines;
  }

  /**
   * A suite's end for one cloud: every expected caller made some call (else the check had nothing
   * to check), no call was refused, and once every suite has ended, no grant went unused.
   */
  static List<String> finish(
      String suite,
      String cloud,
      Set<String> expected,
      Set<String> seen,
      List<String> refusals,
      Supplier<Set<String>> unused) {
    if (CloudCallLog.file(suite + "." + cloud + ".done").isEmpty()) {
      return List.of(
          "recording is off: "
              + CloudCallLog.PROPERTY
              + " names no folder (integration-tests/pom.xml)");
    }
    List<String> problems = new ArrayList<>();
    Set<String> silent = new TreeSet<>(expected);
    silent.removeAll(seen);
    if (!silent.isEmpty()) {
      problems.add("no recorded call from " + silent + " (callers seen: " + seen + ")");
    }
    problems.addAll(refusals);
    try {
      Files.writeString(CloudCallLog.file(suite + "." + cloud + ".done").orElseThrow(), suite);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    boolean everySuite =
        SUITES.stream()
            .allMatch(
                s ->
                    Files.isRegularFile(
                        CloudCallLog.file(s + "." + cloud + ".done").orElseThrow()));
    if (everySuite) {
      unused.get().forEach(u -> problems.add("granted but never used: " + u));
    }
    return problems;
  }

  /**
   * Each grant of {@code grants} (by caller) whose {@code id} is not among {@code used}, as {@code
   * caller:name role} (the name is the Terraform name without its hash), less those {@code
   * explained} under {@code caller:name}.
   */
  static <G> Set<String> unused(
      Map<String, List<G>> grants,
      Set<String> used,
      Function<G, String> id,
      Function<G, String> role,
      Map<String, String> explained) {
    Set<String> unused = new TreeSet<>();
    grants.forEach(
        (caller, list) -> {
          for (G grant : list) {
            String key = caller + ":" + id.apply(grant).replaceAll("_[0-9A-F]{8}$", "");
            if (!used.contains(id.apply(grant)) && !explained.containsKey(key)) {
              unused.add(key + " " + role.apply(grant));
            }
          }
        });
    return unused;
  }

  static JsonNode parse(String path) {
    try {
      return JSON.readTree(Files.readString(Path.of(path)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
