package io.triad.functions.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;

/**
 * The check every error body and {@code failed/} record passes: it speaks to the caller, never in
 * the code's vocabulary (a Java type, package, exception, library setting or server page). Written
 * apart from the production scrubber so that one cannot vouch for itself.
 */
public final class PlainText {
  private static final Pattern CODE =
      Pattern.compile(
          "`|\\bjava[x]?\\.|\\bio\\.triad|org\\.eclipse|com\\.fasterxml|jetty|\\w+Exception\\b"
              + "|\\w+Constraints\\b|NullPointer|<html|\\bat [a-z]+\\.[a-z]+\\.",
          Pattern.CASE_INSENSITIVE);

  private PlainText() {}

  public static void assertPlain(String what, String text) {
    assertThat(CODE.matcher(text).find())
        .as("%s names code: %s", what, text.length() > 300 ? text.substring(0, 300) : text)
        .isFalse();
  }
}
