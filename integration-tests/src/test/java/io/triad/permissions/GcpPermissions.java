package io.triad.permissions;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The synthesized GCP stack's Cloud Storage grants against the calls each function made in the
 * suites (recorded by the adapter's {@code RecordingStorage}): which account a function runs as
 * comes from the stack ({@code service_config.service_account_email}), what it may do from its
 * bucket grants (role, and the IAM condition, evaluated as Google documents it: objects are {@code
 * projects/_/buckets/B/objects/NAME}, a listing is checked on the bucket with its {@code
 * objectListPrefix}; replacing an object needs delete as well as create), its project roles (Batch)
 * and whether it may act as the training account a job runs as. Every bucket the tests use stands
 * for the stack's one, {@code BUCKET}.
 */
public final class GcpPermissions {

  static final String BUCKET = "BUCKET";

  /** The roles' permissions that matter here, from Google's role reference. */
  private static final Map<String, Set<String>> ROLES =
      Map.of(
          "roles/storage.objectViewer", Set.of("storage.objects.get", "storage.objects.list"),
          "roles/storage.objectCreator", Set.of("storage.objects.create"),
          "roles/storage.objectUser",
              Set.of(
                  "storage.objects.get",
                  "storage.objects.list",
                  "storage.objects.create",
                  "storage.objects.delete",
                  "storage.objects.update"),
          "roles/storage.objectAdmin",
              Set.of(
                  "storage.objects.get",
                  "storage.objects.list",
                  "storage.objects.create",
                  "storage.objects.delete",
                  "storage.objects.update"),
          "roles/batch.jobsEditor",
              Set.of("batch.jobs.create", "batch.jobs.get", "batch.jobs.list", "batch.jobs.delete"),
          "roles/iam.serviceAccountUser", Set.of("iam.serviceAccounts.actAs"));

  /** The job's service account, which the stack hands the launcher, as a resource name. */
  static final String TRAINER_ACCOUNT = "serviceAccounts/TRAINER";

  /** Where a grant applies: the bucket (under its condition), the project, or one account. */
  private static final String BUCKET_SCOPE = "bucket";

  private static final String PROJECT_SCOPE = "project";

  /** One bucket grant: its Terraform name, role and condition (null for none). */
  record Grant(String id, String role, String condition, String scope) {
    Grant(String id, String role, String condition) {
      this(id, role, condition, BUCKET_SCOPE);
    }
  }

  /** One permission a recorded call needed. */
  record Need(String caller, String permission, String resource, String prefix, String recorded) {}

  /**
   * Grants no call used, each with why it stays, keyed {@code caller:grant-id-prefix} (the grant's
   * Terraform name without its hash).
   */
  static final Map<String, String> EXPLAINED = Map.of();

  private final Map<String, List<Grant>> grants = new TreeMap<>();

  private GcpPermissions(JsonNode stack) {
    JsonNode resources = stack.path("resource");
    Map<String, String> callerOfAccount = new LinkedHashMap<>();
    String project = stack.at("/provider/google/0/default_labels/project").asText();
    resources
        .path("google_cloudfunctions2_function")
        .forEach(
            f -> {
              String caller = f.path("name").asText().substring(project.length() + 1);
              callerOfAccount.put(
                  f.at("/service_config/service_account_email").asText().replace(".email}", ""),
                  caller);
              grants.put(caller, new ArrayList<>());
            });
    for (Map.Entry<String, JsonNode> grant :
        resources.path("google_storage_bucket_iam_member").properties()) {
      JsonNode g = grant.getValue();
      String member = g.path("member").asText().replace("serviceAccount:", "");
      String caller = callerOfAccount.get(member.replace(".email}", ""));
      if (caller == null || !ROLES.containsKey(g.path("role").asText())) {
        continue;
      }
      String condition =
          g.at("/condition/expression").isMissingNode()
              ? null
              : g.at("/condition/expression")
                  .asText()
                  .replaceAll("\\$\\{google_storage_bucket\\.[^}]+\\.name}", BUCKET);
      grants.get(caller).add(new Grant(grant.getKey(), g.path("role").asText(), condition));
    }
    // project roles (Batch) and the right to hand jobs the training account
    for (Map.Entry<String, JsonNode> grant :
        resources.path("google_project_iam_member").properties()) {
      String caller = callerOf(callerOfAccount, grant.getValue());
      String role = grant.getValue().path("role").asText();
      if (caller != null && ROLES.containsKey(role)) {
        grants.get(caller).add(new Grant(grant.getKey(), role, null, PROJECT_SCOPE));
      }
    }
    for (Map.Entry<String, JsonNode> grant :
        resources.path("google_service_account_iam_member").properties()) {
      String caller = callerOf(callerOfAccount, grant.getValue());
      String role = grant.getValue().path("role").asText();
      boolean trainer =
          grant.getValue().path("service_account_id").asText().contains("job-account");
      if (caller != null && trainer && ROLES.containsKey(role)) {
        grants.get(caller).add(new Grant(grant.getKey(), role, null, TRAINER_ACCOUNT));
      }
    }
  }

  private static String callerOf(Map<String, String> callerOfAccount, JsonNode grant) {
    String member = grant.path("member").asText().replace("serviceAccount:", "");
    return callerOfAccount.get(member.replace(".email}", ""));
  }

  static GcpPermissions of(JsonNode stack) {
    return new GcpPermissions(stack);
  }

  /** The permissions one recorded call needs. */
  static List<Need> needs(JsonNode call) {
    String caller = call.path("caller").asText();
    String op = call.path("op").asText();
    String object = "projects/_/buckets/" + BUCKET + "/objects/" + call.path("object").asText();
    String recorded = call.toString();
    List<Need> needs = new ArrayList<>();
    switch (op) {
      case "get", "read" ->
          needs.add(new Need(caller, "storage.objects.get", object, null, recorded));
      case "write" -> {
        needs.add(new Need(caller, "storage.objects.create", object, null, recorded));
        if (call.path("replaces").asBoolean()) {
          needs.add(new Need(caller, "storage.objects.delete", object, null, recorded));
        }
      }
      case "delete" ->
          needs.add(new Need(caller, "storage.objects.delete", object, null, recorded));
      case "copy" -> {
        String target = "projects/_/buckets/" + BUCKET + "/objects/" + call.path("target").asText();
        needs.add(new Need(caller, "storage.objects.get", object, null, recorded));
        needs.add(new Need(caller, "storage.objects.create", target, null, recorded));
        if (call.path("replaces").asBoolean()) {
          needs.add(new Need(caller, "storage.objects.delete", target, null, recorded));
        }
      }
      case "list" ->
          needs.add(
              new Need(
                  caller,
                  "storage.objects.list",
                  "projects/_/buckets/" + BUCKET,
                  call.path("prefix").asText(),
                  recorded));
      case "batch.create" -> {
        needs.add(
            new Need(caller, "batch.jobs.create", call.path("parent").asText(), null, recorded));
        // the job runs as an account: handing it over is acting as it
        if (!call.path("serviceAccount").asText("").isEmpty()) {
          needs.add(new Need(caller, "iam.serviceAccounts.actAs", TRAINER_ACCOUNT, null, recorded));
        }
      }
      case "batch.get" ->
          needs.add(
              new Need(caller, "batch.jobs.get", call.path("parent").asText(), null, recorded));
      case "batch.delete" ->
          needs.add(
              new Need(caller, "batch.jobs.delete", call.path("parent").asText(), null, recorded));
      default -> needs.add(new Need(caller, "not modelled: " + op, object, null, recorded));
    }
    return needs;
  }

  /** The grant that allows {@code need}, or null. */
  Grant allowing(Need need) {
    for (Grant grant : grants.getOrDefault(need.caller(), List.of())) {
      if (!ROLES.get(grant.role()).contains(need.permission())) {
        continue;
      }
      if (grant.scope().equals(PROJECT_SCOPE)
          || grant.scope().equals(need.resource())
          || grant.scope().equals(BUCKET_SCOPE)
              && need.resource().startsWith("projects/_/buckets/")
              && grant.condition() == null) {
        return grant;
      }
      if (!grant.scope().equals(BUCKET_SCOPE) || grant.condition() == null) {
        continue;
      }
      Map<String, String> request = new LinkedHashMap<>();
      request.put("resource.name", need.resource());
      boolean bucket = need.prefix() != null;
      request.put(
          "resource.type",
          bucket ? "storage.googleapis.com/Bucket" : "storage.googleapis.com/Object");
      if (bucket) {
        request.put("storage.googleapis.com/objectListPrefix", need.prefix());
      }
      if (IamCondition.holds(grant.condition(), request)) {
        return grant;
      }
    }
    return null;
  }

  public Set<String> callers() {
    return grants.keySet();
  }

  /** One line per needed permission no grant gives. */
  List<String> refusals(List<Need> needs) {
    Set<String> refused = new LinkedHashSet<>();
    for (Need need : needs) {
      if (!grants.containsKey(need.caller())) {
        refused.add(need.caller() + " is no function of the stack: " + need.recorded());
      } else if (allowing(need) == null) {
        refused.add(
            need.caller()
                + " may not "
                + need.permission()
                + " on "
                + need.resource()
                + (need.prefix() == null ? "" : " (prefix '" + need.prefix() + "')")
                + ": "
                + need.recorded());
      }
    }
    return List.copyOf(refused);
  }

  /** Each grant no need used, as {@code caller:grant role}, less the explained ones. */
  Set<String> unused(List<Need> needs, Map<String, String> explained) {
    Set<String> used = new TreeSet<>();
    for (Need need : needs) {
      Grant grant = grants.containsKey(need.caller()) ? allowing(need) : null;
      if (grant != null) {
        used.add(grant.id());
      }
    }
    return SuiteCheck.unused(grants, used, Grant::id, Grant::role, explained);
  }

  /** Every call recorded so far ({@code gcs.jsonl}), as the permissions each needs. */
  static List<Need> recordedNeeds() {
    List<Need> needs = new ArrayList<>();
    SuiteCheck.lines("gcs.jsonl").forEach(line -> needs.addAll(needs(line)));
    return needs;
  }

  /** As {@link AwsPermissions#suiteProblems}, for the GCP functions' Cloud Storage calls. */
  static List<String> suiteProblems(String suite, Set<String> callers) {
    GcpPermissions stack = of(SuiteCheck.builtStack("gcp"));
    List<Need> needs = recordedNeeds().stream().filter(n -> !n.caller().equals("client")).toList();
    Set<String> seen = new TreeSet<>();
    needs.forEach(n -> seen.add(n.caller()));
    return SuiteCheck.finish(
        suite, "gcp", callers, seen, stack.refusals(needs), () -> stack.unused(needs, EXPLAINED));
  }
}
