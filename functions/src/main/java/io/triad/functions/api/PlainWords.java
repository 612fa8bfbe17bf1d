package io.triad.functions.api;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the code's vocabulary out of what a caller reads. Every {@link TriadError} message passes
 * through {@link #scrub}: a detail that names a Java type, package, exception or library setting
 * (as a library's message often does) is cut off, and the sentence before it stands.
 */
public final class PlainWords {
  private static final Pattern JAVA =
      Pattern.compile(
          "`" // Jackson quotes types in backticks
              + "|\\b(?:[a-z][a-z0-9_]*\\.){2,}[A-Z$]" // a qualified name: java.io.X
              + "|\\bio\\.triad\\."
              + "|\\bjavax?\\.[a-z]"
              + "|\\b[A-Z]\\w*(?:Exception|Error|Constraints)\\b"
              + "|\\bclass [a-z]+\\.");

  private PlainWords() {}

  /** Whether {@code text} is free of the code's vocabulary. */
  public static boolean isPlain(String text) {
    return text == null || !JAVA.matcher(text).find();
  }

  /**
   * {@code message} up to the clause that names code: cut at the parenthesis it is inside, else at
   * the last {@code ": "} before it; generic words when the very start names code.
   */
  public static String scrub(String message) {
    if (message == null) {
      return null;
    }
    Matcher found = JAVA.matcher(message);
    if (!found.find()) {
      return message;
    }
    int at = found.start();
    int cut = outermostOpenParenthesis(message, at);
    if (cut < 0) {
      cut = message.lastIndexOf(": ", at);
    }
    String kept = cut > 0 ? message.substring(0, cut).strip() : "";
    return kept.isEmpty() ? "the input cannot be read" : kept;
  }

  /** Where the outermost parenthesis still open at {@code end} begins, or -1. */
  private static int outermostOpenParenthesis(String text, int end) {
    int depth = 0;
    int outermost = -1;
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      if (c == '(' && depth++ == 0) {
        outermost = i;
      } else if (c == ')' && depth > 0 && --depth == 0) {
        outermost = -1;
      }
    }
    return outermost;
  }
}
