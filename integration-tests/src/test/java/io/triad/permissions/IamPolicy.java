package io.triad.permissions;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An IAM policy document and AWS's documented evaluation logic for one account: an explicit Deny in
 * any policy wins; otherwise an Allow from an identity policy or from the resource's policy allows;
 * otherwise the call is denied. Statements match on Action/NotAction (case-insensitive wildcards),
 * Resource/NotResource (case-sensitive wildcards) and every Condition (operators AND keys AND,
 * values OR; {@code ...IfExists}; negated operators hold when the key is absent).
 */
record IamPolicy(String name, List<Statement> statements) {

  /** One statement; {@code policy} names the document it came from. */
  record Statement(
      String policy,
      String sid,
      boolean allow,
      List<String> actions,
      boolean notAction,
      List<String> resources,
      boolean notResource,
      JsonNode condition) {

    String label() {
      return policy + (sid.isEmpty() ? "" : "/" + sid);
    }
  }

  /** A call as IAM sees it: the action, the resource's ARN and the request's context keys. */
  record Request(String action, String resource, Map<String, String> context) {}

  enum Outcome {
    ALLOWED,
    IMPLICIT_DENY,
    EXPLICIT_DENY
  }

  /** The outcome, and the statement that decided it (null for an implicit deny). */
  record Decision(Outcome outcome, Statement by) {}

  static IamPolicy parse(String name, JsonNode document) {
    List<Statement> statements = new ArrayList<>();
    JsonNode all = document.path("Statement");
    for (JsonNode s : all.isArray() ? all : List.of(all)) {
      boolean notAction = s.has("NotAction");
      boolean notResource = s.has("NotResource");
      statements.add(
          new Statement(
              name,
              s.path("Sid").asText(""),
              s.path("Effect").asText().equals("Allow"),
              texts(s.path(notAction ? "NotAction" : "Action")),
              notAction,
              texts(s.path(notResource ? "NotResource" : "Resource")),
              notResource,
              s.path("Condition")));
    }
    return new IamPolicy(name, List.copyOf(statements));
  }

  /** AWS's order: explicit deny anywhere, then any allow, else implicit deny. */
  static Decision evaluate(List<IamPolicy> identity, List<IamPolicy> resource, Request request) {
    Statement allow = null;
    for (List<IamPolicy> policies : List.of(identity, resource)) {
      for (IamPolicy policy : policies) {
        for (Statement s : policy.statements()) {
          if (!applies(s, request)) {
            continue;
          }
          if (!s.allow()) {
            return new Decision(Outcome.EXPLICIT_DENY, s);
          }
          if (allow == null) {
            allow = s;
          }
        }
      }
    }
    return allow != null
        ? new Decision(Outcome.ALLOWED, allow)
        : new Decision(Outcome.IMPLICIT_DENY, null);
  }

  static boolean applies(Statement s, Request request) {
    boolean action = s.actions().stream().anyMatch(a -> matches(a, request.action(), true));
    boolean resource = s.resources().stream().anyMatch(r -> matches(r, request.resource(), false));
    return action != s.notAction()
        && resource != s.notResource()
        && conditionHolds(s.condition(), request.context());
  }

  static boolean conditionHolds(JsonNode condition, Map<String, String> context) {
    if (condition.isMissingNode() || condition.isNull()) {
      return true;
    }
    for (Map.Entry<String, JsonNode> operator : condition.properties()) {
      for (Map.Entry<String, JsonNode> key : operator.getValue().properties()) {
        String value = contextValue(context, key.getKey());
        if (!holds(operator.getKey(), value, texts(key.getValue()))) {
          return false;
        }
      }
    }
    return true;
  }

  private static String contextValue(Map<String, String> context, String key) {
    for (Map.Entry<String, String> e : context.entrySet()) {
      if (e.getKey().equalsIgnoreCase(key)) {
        return e.getValue();
      }
    }
    return null;
  }

  private static boolean holds(String operator, String value, List<String> expected) {
    boolean ifExists = operator.endsWith("IfExists");
    String op =
        ifExists ? operator.substring(0, operator.length() - "IfExists".length()) : operator;
    if (op.equals("Null")) {
      boolean wantAbsent = Boolean.parseBoolean(expected.get(0));
      return (value == null) == wantAbsent;
    }
    boolean negated = op.contains("Not");
    if (value == null) {
      // an absent key matches no value: positive operators fail (unless ...IfExists), negated hold
      return ifExists || negated;
    }
    boolean any =
        switch (op.replace("Not", "")) {
          case "StringEquals", "ArnEquals" -> expected.contains(value);
          case "StringEqualsIgnoreCase" -> expected.stream().anyMatch(value::equalsIgnoreCase);
          case "StringLike", "ArnLike" -> expected.stream().anyMatch(p -> matches(p, value, false));
          case "Bool" -> expected.stream().anyMatch(value::equalsIgnoreCase);
          default ->
              throw new IllegalArgumentException("condition operator not modelled: " + operator);
        };
    return negated != any;
  }

  /** IAM's wildcards: {@code *} any run of characters, {@code ?} one. */
  static boolean matches(String pattern, String value, boolean ignoreCase) {
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    int flags = ignoreCase ? Pattern.CASE_INSENSITIVE : 0;
    return Pattern.compile(regex.toString(), flags | Pattern.DOTALL).matcher(value).matches();
  }

  private static List<String> texts(JsonNode node) {
    List<String> values = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(v -> values.add(v.asText()));
    } else if (!node.isMissingNode()) {
      values.add(node.asText());
    }
    return values;
  }
}
