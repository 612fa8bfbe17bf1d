package io.triad.infra.azure;

import java.util.Map;
import java.util.TreeMap;
import software.constructs.Construct;

/**
 * {@code azurerm_role_assignment}: one role for one principal at one scope, optionally narrowed
 * further by an ABAC condition (for instance to blob path prefixes).
 */
final class AzureRoleAssignment extends AzureResource {

  /** A built-in role by name. */
  static AzureRoleAssignment builtIn(
      Construct scope, String id, String role, String at, String principalId, String condition) {
    return new AzureRoleAssignment(
        scope, id, Map.of("role_definition_name", role), at, principalId, condition);
  }

  /**
   * A built-in role for whoever runs Terraform, a user or a service principal, so no principal type
   * is stated.
   */
  static AzureRoleAssignment forDeployer(
      Construct scope, String id, String role, String at, String principalId) {
    AzureRoleAssignment assignment =
        new AzureRoleAssignment(
            scope, id, Map.of("role_definition_name", role), at, principalId, null);
    assignment.addOverride("principal_type", null);
    return assignment;
  }

  /** A custom role by its resource id. */
  static AzureRoleAssignment custom(
      Construct scope, String id, AzureRoleDefinition role, String at, String principalId) {
    return new AzureRoleAssignment(
        scope,
        id,
        Map.of("role_definition_id", role.roleDefinitionResourceId()),
        at,
        principalId,
        null);
  }

  private AzureRoleAssignment(
      Construct scope,
      String id,
      Map<String, String> role,
      String at,
      String principalId,
      String condition) {
    super(scope, id, "azurerm_role_assignment", attributes(role, at, principalId, condition));
  }

  private static Map<String, Object> attributes(
      Map<String, String> role, String at, String principalId, String condition) {
    Map<String, Object> attributes = new TreeMap<>(role);
    attributes.put("scope", at);
    attributes.put("principal_id", principalId);
    attributes.put("principal_type", "ServicePrincipal");
    if (condition != null) {
      attributes.put("condition", condition);
      attributes.put("condition_version", "2.0");
    }
    return attributes;
  }
}
