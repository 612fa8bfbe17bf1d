package io.triad.permissions;

import com.fasterxml.jackson.databind.JsonNode;
import io.triad.gcs.testing.GoogleFederationDouble;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The synthesized GCP stack's bucket grants to federated principals ({@code principal://…}), as the
 * IAM a {@link GoogleFederationDouble} enforces: a permission on an object holds when a grant to
 * that principal has a role carrying it and its condition holds for the object's resource name
 * ({@code projects/_/buckets/B/objects/NAME}), evaluated as {@link IamCondition} reads Google's
 * condition language.
 */
public final class GcpFederatedGrants {
  /** The object roles a replica grant may use, with their permissions (Google's role reference). */
  private static final Map<String, Set<String>> ROLES =
      Map.of(
          "roles/storage.objectViewer", Set.of("storage.objects.get"),
          "roles/storage.objectCreator", Set.of("storage.objects.create"),
          "roles/storage.objectUser",
              Set.of("storage.objects.get", "storage.objects.create", "storage.objects.delete"));

  private record Grant(String member, Set<String> permissions, String condition) {}

  private GcpFederatedGrants() {}

  /**
   * @param stack the synthesized GCP stack
   * @param bucket the name the test's bucket has, in place of the stack's bucket reference
   */
  public static GoogleFederationDouble.Grants of(JsonNode stack, String bucket) {
    List<Grant> grants = new ArrayList<>();
    for (JsonNode member : stack.at("/resource/google_storage_bucket_iam_member")) {
      if (!member.path("member").asText().startsWith("principal")) {
        continue;
      }
      Set<String> permissions = ROLES.get(member.path("role").asText());
      if (permissions == null) {
        throw new IllegalStateException(
            "a federated grant with a role this check does not know: " + member);
      }
      grants.add(
          new Grant(
              member.path("member").asText(),
              permissions,
              member
                  .at("/condition/expression")
                  .asText()
                  .replaceAll("\\$\\{google_storage_bucket\\.[^}]*}", bucket)));
    }
    if (grants.isEmpty()) {
      throw new IllegalStateException("the built GCP stack grants no federated principal");
    }
    return (principal, permission, object) -> {
      String name = "projects/_/buckets/" + object.replaceFirst("/", "/objects/");
      return grants.stream()
          .anyMatch(
              g ->
                  g.member().equals(principal)
                      && g.permissions().contains(permission)
                      && (g.condition().isEmpty()
                          || IamCondition.holds(
                              g.condition(),
                              Map.of(
                                  "resource.name",
                                  name,
                                  "resource.type",
                                  "storage.googleapis.com/Object"))));
    };
  }
}
