package io.triad.permissions;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The synthesized Azure stack's blob role assignments against the Blob calls each app made in the
 * suites ({@link AzureCallRecorder}): which identity is whose comes from the stack (a Function
 * App's system identity, the trainer's user-assigned one), what it may do from its role's data
 * actions and the assignment's ABAC condition, evaluated per data action as Azure does. Blob REST
 * calls map to data actions as Azure's authorization reference gives them.
 */
public final class AzurePermissions {

  private static final String BLOBS =
      "Microsoft.Storage/storageAccounts/blobServices/containers/blobs";
  private static final String CONTAINER_READ =
      "Microsoft.Storage/storageAccounts/blobServices/containers/read";
  private static final String PATH = BLOBS + ":path";

  /** The built-in blob roles' data actions (and the container read their actions carry). */
  private static final Map<String, Set<String>> ROLES =
      Map.of(
          "Storage Blob Data Reader", Set.of(BLOBS + "/read", CONTAINER_READ),
          "Storage Blob Data Contributor",
              Set.of(
                  BLOBS + "/read",
                  BLOBS + "/write",
                  BLOBS + "/delete",
                  BLOBS + "/add/action",
                  BLOBS + "/move/action",
                  CONTAINER_READ),
          "Storage Blob Data Owner", Set.of(BLOBS + "/*", CONTAINER_READ));

  /** Grants no call used, with why they stay, keyed {@code app:assignment-name-without-hash}. */
  static final Map<String, String> EXPLAINED = Map.of();

  record Assignment(String id, String role, String condition) {}

  /** The custom roles' data actions, by role definition resource (Terraform name). */
  private final Map<String, Set<String>> customRoles = new TreeMap<>();

  /** Assignments of custom roles (the Batch job submitter), by app: role definition names. */
  private final Map<String, List<Assignment>> batchAssignments = new TreeMap<>();

  /** One data action a recorded call needed; {@code path} null for a container-level action. */
  record Need(String app, String action, String subOperation, String path, String recorded) {}

  private final Map<String, List<Assignment>> assignments = new TreeMap<>();

  private AzurePermissions(JsonNode stack) {
    JsonNode resources = stack.path("resource");
    Map<String, String> appOfPrincipal = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> app :
        resources.path("azurerm_function_app_flex_consumption").properties()) {
      String name = app.getValue().path("name").asText();
      String appName = name.substring(name.lastIndexOf('-') + 1);
      appOfPrincipal.put(
          "${azurerm_function_app_flex_consumption." + app.getKey() + ".identity.0.principal_id}",
          appName);
      assignments.put(appName, new ArrayList<>());
    }
    for (Map.Entry<String, JsonNode> identity :
        resources.path("azurerm_user_assigned_identity").properties()) {
      if (identity.getKey().contains("trainer")) {
        appOfPrincipal.put(
            "${azurerm_user_assigned_identity." + identity.getKey() + ".principal_id}", "trainer");
        assignments.put("trainer", new ArrayList<>());
      }
      for (String source : List.of("gcp", "aws")) {
        if (identity.getKey().contains(source + "-replica")) {
          // the identity GCP's or AWS's functions write as (replication.gcpToAzure, awsToAzure)
          appOfPrincipal.put(
              "${azurerm_user_assigned_identity." + identity.getKey() + ".principal_id}",
              source + "-replicas");
          assignments.put(source + "-replicas", new ArrayList<>());
        }
      }
    }
    for (Map.Entry<String, JsonNode> definition :
        resources.path("azurerm_role_definition").properties()) {
      Set<String> dataActions = new TreeSet<>();
      definition
          .getValue()
          .at("/permissions/data_actions")
          .forEach(d -> dataActions.add(d.asText()));
      definition
          .getValue()
          .at("/permissions/0/data_actions")
          .forEach(d -> dataActions.add(d.asText()));
      customRoles.put(definition.getKey(), dataActions);
    }
    for (Map.Entry<String, JsonNode> assignment :
        resources.path("azurerm_role_assignment").properties()) {
      JsonNode a = assignment.getValue();
      String app = appOfPrincipal.get(a.path("principal_id").asText());
      String definitionId = a.path("role_definition_id").asText();
      if (app != null && definitionId.startsWith("${azurerm_role_definition.")) {
        String definition = definitionId.split("\\.")[1];
        batchAssignments
            .computeIfAbsent(app, k -> new ArrayList<>())
            .add(new Assignment(assignment.getKey(), definition, null));
        continue;
      }
      String role = a.path("role_definition_name").asText();
      if (app == null || !ROLES.containsKey(role)) {
        continue;
      }
      assignments
          .get(app)
          .add(
              new Assignment(
                  assignment.getKey(),
                  role,
                  a.path("condition").isMissingNode() ? null : a.path("condition").asText()));
    }
  }

  static AzurePermissions of(JsonNode stack) {
    return new AzurePermissions(stack);
  }

  /** The data actions one recorded Blob REST call needs (none for a non-blob call). */
  static List<Need> needs(JsonNode call) {
    String app = call.path("app").asText();
    if (call.has("action")) {
      return List.of(
          new Need(
              app,
              call.path("action").asText(),
              null,
              null,
              call.path("service").asText() + " " + call.path("resource").asText()));
    }
    String method = call.path("method").asText();
    String url = call.path("url").asText();
    int question = url.indexOf('?');
    String path = question < 0 ? url : url.substring(0, question);
    String query = question < 0 ? "" : url.substring(question + 1);
    // Azurite: /{account}/{container}/{blob}
    String[] parts = path.substring(1).split("/", 3);
    List<Need> needs = new ArrayList<>();
    String recorded = method + " " + url + " -> " + call.path("status").asInt();
    if (parts.length < 2) {
      return needs;
    }
    if (parts.length == 2 || parts[2].isEmpty()) {
      if (query.contains("comp=list")) {
        needs.add(new Need(app, BLOBS + "/read", "Blob.List", null, recorded));
      } else if (query.contains("restype=container") && !method.equals("PUT")) {
        needs.add(new Need(app, CONTAINER_READ, null, null, recorded));
      } else {
        needs.add(new Need(app, "not modelled", null, null, recorded));
      }
      return needs;
    }
    String blob = URLDecoder.decode(parts[2].replace("+", "%2B"), StandardCharsets.UTF_8);
    switch (method) {
      case "GET", "HEAD" -> needs.add(new Need(app, BLOBS + "/read", null, blob, recorded));
      case "PUT" -> {
        needs.add(new Need(app, BLOBS + "/write", null, blob, recorded));
        String source = call.path("copySource").asText("");
        if (!source.isEmpty() && !call.path("copySource").isNull()) {
          String sourcePath = source.replaceFirst("^https?://[^/]+/", "");
          String[] sourceParts = sourcePath.split("/", 3);
          needs.add(
              new Need(
                  app,
                  BLOBS + "/read",
                  null,
                  URLDecoder.decode(sourceParts[sourceParts.length - 1], StandardCharsets.UTF_8),
                  recorded + " (copy source)"));
        }
      }
      case "DELETE" -> needs.add(new Need(app, BLOBS + "/delete", null, blob, recorded));
      default -> needs.add(new Need(app, "not modelled", null, blob, recorded));
    }
    return needs;
  }

  Assignment allowing(Need need) {
    for (Assignment a : batchAssignments.getOrDefault(need.app(), List.of())) {
      if (customRoles.getOrDefault(a.role(), Set.of()).stream()
          .anyMatch(d -> IamPolicy.matches(d, need.action(), true))) {
        return a;
      }
    }
    for (Assignment a : assignments.getOrDefault(need.app(), List.of())) {
      boolean inRole =
          ROLES.get(a.role()).stream().anyMatch(d -> IamPolicy.matches(d, need.action(), true));
      if (!inRole) {
        continue;
      }
      Map<String, String> resource = new LinkedHashMap<>();
      if (need.path() != null) {
        // the loop's model stands for the one the stacks replicate (the GCP run copies it here)
        resource.put(PATH, AwsCall.standIn(need.path()));
      }
      if (a.condition() == null
          || AbacCondition.holds(
              a.condition(),
              new AbacCondition.Request(need.action(), need.subOperation(), resource))) {
        return a;
      }
    }
    return null;
  }

  List<String> refusals(List<Need> needs) {
    Set<String> refused = new LinkedHashSet<>();
    for (Need need : needs) {
      if (!assignments.containsKey(need.app())) {
        refused.add(need.app() + " is no identity of the stack: " + need.recorded());
      } else if (allowing(need) == null) {
        refused.add(
            need.app()
                + " may not "
                + need.action()
                + (need.path() == null ? "" : " on " + need.path())
                + ": "
                + need.recorded());
      }
    }
    return List.copyOf(refused);
  }

  Set<String> unused(List<Need> needs, Map<String, String> explained) {
    Set<String> used = new TreeSet<>();
    for (Need need : needs) {
      Assignment a = assignments.containsKey(need.app()) ? allowing(need) : null;
      if (a != null) {
        used.add(a.id());
      }
    }
    Map<String, List<Assignment>> all = new TreeMap<>(assignments);
    batchAssignments.forEach(
        (app, list) ->
            all.merge(
                app,
                list,
                (a, b) -> {
                  List<Assignment> both = new ArrayList<>(a);
                  both.addAll(b);
                  return both;
                }));
    return SuiteCheck.unused(all, used, Assignment::id, Assignment::role, explained);
  }

  static List<Need> recordedNeeds() {
    List<Need> needs = new ArrayList<>();
    for (JsonNode call : SuiteCheck.lines("azure.jsonl")) {
      // Blob calls (Azurite's account path) and the Batch double's data actions
      boolean blob = call.path("url").asText().startsWith("/devstoreaccount1/");
      if ((blob || call.has("action")) && !call.path("app").asText().equals("client")) {
        needs.addAll(needs(call));
      }
    }
    return needs;
  }

  /** As {@link AwsPermissions#suiteProblems}, for the Azure apps' and trainer's calls. */
  static List<String> suiteProblems(String suite, Set<String> apps) {
    AzurePermissions stack = of(SuiteCheck.builtStack("azure"));
    List<Need> needs = recordedNeeds();
    Set<String> seen = new TreeSet<>();
    needs.forEach(n -> seen.add(n.app()));
    return SuiteCheck.finish(
        suite, "azure", apps, seen, stack.refusals(needs), () -> stack.unused(needs, EXPLAINED));
  }
}
