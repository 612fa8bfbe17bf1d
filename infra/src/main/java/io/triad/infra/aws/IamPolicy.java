package io.triad.infra.aws;

import io.triad.infra.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An IAM policy document built from Allow statements, rendered to the JSON string an {@code
 * aws_iam_role_policy} takes. Resource ARNs may hold Terraform references; Terraform resolves them
 * inside the string.
 */
final class IamPolicy {

  private final List<Map<String, Object>> statements = new ArrayList<>();

  static IamPolicy create() {
    return new IamPolicy();
  }

  IamPolicy allow(String sid, List<String> actions, List<String> resources) {
    return allow(sid, actions, resources, Map.of());
  }

  IamPolicy allow(
      String sid, List<String> actions, List<String> resources, Map<String, Object> condition) {
    Map<String, Object> statement = new LinkedHashMap<>();
    statement.put("Sid", sid);
    statement.put("Effect", "Allow");
    statement.put("Action", List.copyOf(actions));
    statement.put("Resource", List.copyOf(resources));
    if (!condition.isEmpty()) {
      statement.put("Condition", condition);
    }
    statements.add(statement);
    return this;
  }

  /** {@link #allow(String, List, List)} only when {@code granted}: a grant a setting turns on. */
  IamPolicy allowIf(boolean granted, String sid, List<String> actions, List<String> resources) {
    return granted ? allow(sid, actions, resources) : this;
  }

  /** {@link #allow(String, List, List, Map)} only when {@code granted}. */
  IamPolicy allowIf(
      boolean granted,
      String sid,
      List<String> actions,
      List<String> resources,
      Map<String, Object> condition) {
    return granted ? allow(sid, actions, resources, condition) : this;
  }

  String json() {
    return Json.render(Map.of("Version", "2012-10-17", "Statement", statements));
  }

  /**
   * The trust policy that lets {@code service} (e.g. {@code lambda.amazonaws.com}) assume a role.
   */
  static String trust(String service) {
    return document(
        Map.of(
            "Effect", "Allow",
            "Principal", Map.of("Service", service),
            "Action", "sts:AssumeRole"));
  }

  /**
   * The trust policy that lets holders of {@code provider}'s tokens assume a role through STS
   * {@code AssumeRoleWithWebIdentity}, when every one of {@code equals} (condition key to the
   * values allowed) holds.
   */
  static String webIdentityTrust(String sid, String provider, Map<String, Object> equals) {
    return document(
        Map.of(
            "Sid",
            sid,
            "Effect",
            "Allow",
            "Principal",
            Map.of("Federated", provider),
            "Action",
            "sts:AssumeRoleWithWebIdentity",
            "Condition",
            Map.of("StringEquals", equals)));
  }

  private static String document(Map<String, Object> statement) {
    return Json.render(Map.of("Version", "2012-10-17", "Statement", List.of(statement)));
  }
}
