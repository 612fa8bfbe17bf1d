package io.triad.permissions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The part of Google's IAM condition language (CEL) that bucket grants use: {@code ||}, {@code &&},
 * parentheses, {@code resource.name} and {@code resource.type}, {@code api.getAttribute("key",
 * "default")}, string literals, {@code ==}, {@code .startsWith(…)} and {@code .endsWith(…)}.
 * Anything else is refused, so a grant this cannot read fails the check instead of passing it.
 */
final class IamCondition extends Conditions {

  private final Map<String, String> request;

  private IamCondition(String expression, Map<String, String> request) {
    super(tokenize(expression), "||", "&&", "IAM condition");
    this.request = request;
  }

  /**
   * Whether {@code expression} holds for a request whose {@code resource.name}, {@code
   * resource.type} and API attributes are in {@code request} (attributes keyed by their name).
   */
  static boolean holds(String expression, Map<String, String> request) {
    return new IamCondition(expression, request).evaluate();
  }

  @Override
  protected boolean term() {
    if (peek("(")) {
      return parenthesized();
    }
    String left = value();
    if (peek("==")) {
      at++;
      return left.equals(value());
    }
    if (peek(".startsWith") || peek(".endsWith")) {
      String method = tokens.get(at++);
      expect("(");
      String argument = value();
      expect(")");
      return method.equals(".startsWith") ? left.startsWith(argument) : left.endsWith(argument);
    }
    throw unreadable("a comparison after " + left);
  }

  private String value() {
    String token = tokens.get(at++);
    if (token.startsWith("\"")) {
      return token.substring(1, token.length() - 1);
    }
    switch (token) {
      case "resource.name", "resource.type" -> {
        return request.getOrDefault(token, "");
      }
      case "api.getAttribute" -> {
        expect("(");
        String key = value();
        expect(",");
        String otherwise = value();
        expect(")");
        return request.getOrDefault(key, otherwise);
      }
      default -> throw unreadable("'" + token + "'");
    }
  }

  private static List<String> tokenize(String text) {
    List<String> tokens = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '"') {
        int end = text.indexOf('"', i + 1);
        tokens.add(text.substring(i, end + 1));
        i = end + 1;
      } else if (text.startsWith("||", i) || text.startsWith("&&", i) || text.startsWith("==", i)) {
        tokens.add(text.substring(i, i + 2));
        i += 2;
      } else if (c == '(' || c == ')' || c == ',') {
        tokens.add(String.valueOf(c));
        i++;
      } else if (c == '.'
          && (text.startsWith(".startsWith", i) || text.startsWith(".endsWith", i))) {
        int end = text.indexOf('(', i);
        tokens.add(text.substring(i, end));
        i = end;
      } else {
        int end = i;
        while (end < text.length()
            && (Character.isLetterOrDigit(text.charAt(end))
                || text.charAt(end) == '.'
                || text.charAt(end) == '_')
            && !text.startsWith(".startsWith", end)
            && !text.startsWith(".endsWith", end)) {
          end++;
        }
        if (end == i) {
          throw new IllegalArgumentException("IAM condition not modelled: '" + c + "' in " + text);
        }
        tokens.add(text.substring(i, end));
        i = end;
      }
    }
    return tokens;
  }
}
