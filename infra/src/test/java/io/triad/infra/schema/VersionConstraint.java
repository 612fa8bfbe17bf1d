package io.triad.infra.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Terraform's version constraints ({@code =}, {@code !=}, {@code >}, {@code >=}, {@code <}, {@code
 * <=}, {@code ~>}, comma-separated), enough to say whether a stack's pin is the schema's version:
 * it must admit the version the schema was generated from and no earlier minor release, whose
 * schema may lack arguments the stack uses.
 */
final class VersionConstraint {

  private static final Pattern PART =
      Pattern.compile("\\s*(=|!=|>=|<=|>|<|~>)?\\s*v?(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?\\s*");

  private VersionConstraint() {}

  /** Why {@code constraint} does not pin {@code version}'s schema, or empty if it does. */
  static Optional<String> problem(String constraint, String version) {
    if (constraint.isBlank()) {
      return Optional.of("no version constraint; the schema is " + version + "'s");
    }
    int[] v = parse(version);
    if (!admits(constraint, v)) {
      return Optional.of(
          "'" + constraint + "' does not admit " + version + ", whose schema this is");
    }
    if (v[1] > 0 && admits(constraint, new int[] {v[0], v[1] - 1, Integer.MAX_VALUE})) {
      return Optional.of(
          "'"
              + constraint
              + "' admits versions before "
              + v[0]
              + "."
              + v[1]
              + ", whose schema was not checked (pin '~> "
              + v[0]
              + "."
              + v[1]
              + "')");
    }
    return Optional.empty();
  }

  static boolean admits(String constraint, int[] version) {
    for (String part : constraint.split(",")) {
      Matcher m = PART.matcher(part);
      if (!m.matches()) {
        throw new IllegalArgumentException("not a version constraint: " + constraint);
      }
      String op = m.group(1) == null ? "=" : m.group(1);
      List<Integer> given = new ArrayList<>();
      for (int g = 2; g <= 4; g++) {
        if (m.group(g) != null) {
          given.add(Integer.parseInt(m.group(g)));
        }
      }
      int[] bound = {
        given.get(0), given.size() > 1 ? given.get(1) : 0, given.size() > 2 ? given.get(2) : 0
      };
      int c = compare(version, bound);
      boolean ok =
          switch (op) {
            case "=" -> c == 0;
            case "!=" -> c != 0;
            case ">" -> c > 0;
            case ">=" -> c >= 0;
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            default -> c >= 0 && compare(version, pessimisticCeiling(given)) < 0;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** {@code ~> 4.55} allows up to 5.0; {@code ~> 4.55.1} up to 4.56.0; {@code ~> 4} up to 5.0. */
  private static int[] pessimisticCeiling(List<Integer> given) {
    if (given.size() <= 2) {
      return new int[] {given.get(0) + 1, 0, 0};
    }
    return new int[] {given.get(0), given.get(1) + 1, 0};
  }

  private static int compare(int[] a, int[] b) {
    for (int i = 0; i < 3; i++) {
      if (a[i] != b[i]) {
        return Integer.compare(a[i], b[i]);
      }
    }
    return 0;
  }

  private static int[] parse(String version) {
    String[] parts = version.split("[.-]");
    return new int[] {
      Integer.parseInt(parts[0]),
      parts.length > 1 ? Integer.parseInt(parts[1]) : 0,
      parts.length > 2 ? Integer.parseInt(parts[2]) : 0
    };
  }
}
