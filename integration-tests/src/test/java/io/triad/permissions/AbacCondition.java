package io.triad.permissions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The part of Azure's attribute-based access control condition language that the stack's blob role
 * assignments use: {@code AND}, {@code OR}, {@code NOT} and {@code !}, parentheses, {@code
 * ActionMatches{'…'}}, {@code SubOperationMatches{'…'}} and {@code @Resource[…] StringStartsWith
 * '…'} (also StringEquals, StringLike). An attribute the request lacks fails the condition, as
 * Azure denies a condition it cannot evaluate; anything else unknown is refused.
 */
final class AbacCondition extends Conditions {

  /** What a request offers a condition: its data action, sub-operation and resource attributes. */
  record Request(String action, String subOperation, Map<String, String> resource) {}

  private final Request request;

  private AbacCondition(String expression, Request request) {
    super(tokenize(expression), "OR", "AND", "ABAC condition");
    this.request = request;
  }

  static boolean holds(String expression, Request request) {
    return new AbacCondition(expression, request).evaluate();
  }

  @Override
  protected boolean term() {
    if (peek("!") || peek("NOT")) {
      at++;
      return !term();
    }
    if (peek("(")) {
      return parenthesized();
    }
    String token = tokens.get(at++);
    if (token.startsWith("ActionMatches{")) {
      return IamPolicy.matches(argument(token), request.action(), true);
    }
    if (token.startsWith("SubOperationMatches{")) {
      return argument(token).equals(request.subOperation());
    }
    if (token.startsWith("@Resource[")) {
      String attribute = token.substring("@Resource[".length(), token.length() - 1);
      String operator = tokens.get(at++);
      String literal = tokens.get(at++);
      String expected = literal.substring(1, literal.length() - 1);
      String value = request.resource().get(attribute);
      if (value == null) {
        return false;
      }
      return switch (operator) {
        case "StringStartsWith" -> value.startsWith(expected);
        case "StringEquals" -> value.equals(expected);
        case "StringLike" -> IamPolicy.matches(expected, value, false);
        default -> throw unreadable("operator " + operator);
      };
    }
    throw unreadable("'" + token + "'");
  }

  private static String argument(String token) {
    int open = token.indexOf("{'");
    return token.substring(open + 2, token.lastIndexOf("'}"));
  }

  private static List<String> tokenize(String text) {
    List<String> tokens = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '(' || c == ')' || c == '!') {
        tokens.add(String.valueOf(c));
        i++;
      } else if (c == '\'') {
        int end = text.indexOf('\'', i + 1);
        tokens.add(text.substring(i, end + 1));
        i = end + 1;
      } else if (text.startsWith("ActionMatches{", i)
          || text.startsWith("SubOperationMatches{", i)) {
        int end = text.indexOf('}', i);
        tokens.add(text.substring(i, end + 1));
        i = end + 1;
      } else if (c == '@') {
        int end = text.indexOf(']', i);
        tokens.add(text.substring(i, end + 1));
        i = end + 1;
      } else {
        int end = i;
        while (end < text.length() && Character.isLetterOrDigit(text.charAt(end))) {
          end++;
        }
        if (end == i) {
          throw new IllegalArgumentException("ABAC condition not modelled: '" + c + "' in " + text);
        }
        tokens.add(text.substring(i, end));
        i = end;
      }
    }
    return tokens;
  }
}
