package io.triad.permissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Google's condition language as the bucket grants use it, and the permissions a recorded GCS call
 * needs, on a small stack written here.
 */
class GcpPermissionsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OBJECTS = "projects/_/buckets/BUCKET/objects/";

  @Test
  void condition_should_readPrefixesSuffixesTypesAndListingAttributes() {
    String expression =
        "(resource.name.startsWith(\""
            + OBJECTS
            + "models/\")) || (resource.type =="
            + " \"storage.googleapis.com/Bucket\" &&"
            + " (api.getAttribute(\"storage.googleapis.com/objectListPrefix\","
            + " \"\").startsWith(\"models/\")))";

    assertThat(IamCondition.holds(expression, Map.of("resource.name", OBJECTS + "models/a")))
        .isTrue();
    assertThat(IamCondition.holds(expression, Map.of("resource.name", OBJECTS + "data/a")))
        .isFalse();
    assertThat(
            IamCondition.holds(
                expression,
                Map.of(
                    "resource.type", "storage.googleapis.com/Bucket",
                    "storage.googleapis.com/objectListPrefix", "models/iris/")))
        .isTrue();
    assertThat(
            IamCondition.holds(
                "resource.name.endsWith(\"/launch.json\")",
                Map.of("resource.name", OBJECTS + "candidates/iris/1/launch.json")))
        .isTrue();
    assertThatThrownBy(() -> IamCondition.holds("request.time < timestamp(\"2030\")", Map.of()))
        .hasMessageContaining("IAM condition not modelled");
  }

  @Test
  void replacingAnObject_should_needDeleteToo() throws Exception {
    GcpPermissions stack = stack("roles/storage.objectCreator", "candidates/");
    JsonNode fresh = call("write", "candidates/iris/1/model.onnx", false);
    JsonNode again = call("write", "candidates/iris/1/model.onnx", true);

    assertThat(stack.refusals(GcpPermissions.needs(fresh))).isEmpty();
    assertThat(stack.refusals(GcpPermissions.needs(again)))
        .singleElement()
        .asString()
        .startsWith("objects may not storage.objects.delete on " + OBJECTS + "candidates/");
  }

  @Test
  void listing_should_beJudgedOnTheBucketWithItsPrefix() throws Exception {
    GcpPermissions stack = stack("roles/storage.objectViewer", "models/");
    ObjectNode list = JSON.createObjectNode().put("caller", "objects").put("op", "list");
    list.put("bucket", "b").put("prefix", "models/iris/");

    assertThat(stack.refusals(GcpPermissions.needs(list))).isEmpty();
    list.put("prefix", "failed/");
    assertThat(stack.refusals(GcpPermissions.needs(list)))
        .singleElement()
        .asString()
        .contains("storage.objects.list", "(prefix 'failed/')");
    assertThat(stack.unused(GcpPermissions.needs(list), Map.of())).isNotEmpty();
  }

  @Test
  void batchJob_should_needTheBatchRoleAndActingAsTheTrainingAccount() throws Exception {
    ObjectNode stack = stackJson("roles/storage.objectViewer", "data/");
    ObjectNode resource = (ObjectNode) stack.path("resource");
    resource
        .putObject("google_project_iam_member")
        .putObject("objects-batch")
        .put("role", "roles/batch.jobsEditor")
        .put("member", "serviceAccount:${google_service_account.objects-account.email}");
    ObjectNode create =
        JSON.createObjectNode()
            .put("caller", "objects")
            .put("op", "batch.create")
            .put("parent", "projects/t/locations/us-central1")
            .put("serviceAccount", "trainer@t.iam.gserviceaccount.com");

    // may create jobs, may not hand them the training account
    assertThat(GcpPermissions.of(stack).refusals(GcpPermissions.needs(create)))
        .singleElement()
        .asString()
        .startsWith("objects may not iam.serviceAccounts.actAs on serviceAccounts/TRAINER");

    resource
        .putObject("google_service_account_iam_member")
        .putObject("objects-acts-as-trainer")
        .put("role", "roles/iam.serviceAccountUser")
        .put("service_account_id", "${google_service_account.training_job-account_1.name}")
        .put("member", "serviceAccount:${google_service_account.objects-account.email}");
    assertThat(GcpPermissions.of(stack).refusals(GcpPermissions.needs(create))).isEmpty();
  }

  private static JsonNode call(String op, String object, boolean replaces) {
    return JSON.createObjectNode()
        .put("caller", "objects")
        .put("op", op)
        .put("bucket", "b")
        .put("object", object)
        .put("replaces", replaces);
  }

  /**
   * One function, objects, with one grant of {@code role} on {@code prefix}, as GcpStorage writes
   * it.
   */
  private static GcpPermissions stack(String role, String prefix) throws Exception {
    return GcpPermissions.of(stackJson(role, prefix));
  }

  private static ObjectNode stackJson(String role, String prefix) throws Exception {
    ObjectNode stack =
        (ObjectNode)
            JSON.readTree("{\"provider\":{\"google\":[{\"default_labels\":{\"project\":\"t\"}}]}}");
    ObjectNode resource = stack.putObject("resource");
    resource
        .putObject("google_cloudfunctions2_function")
        .putObject("objects")
        .put("name", "t-objects")
        .putObject("service_config")
        .put("service_account_email", "${google_service_account.objects-account.email}");
    String bucket = "${google_storage_bucket.storage_bucket_1.name}";
    ObjectNode grant =
        resource
            .putObject("google_storage_bucket_iam_member")
            .putObject("objects-grant")
            .put("role", role)
            .put("member", "serviceAccount:${google_service_account.objects-account.email}");
    grant
        .putObject("condition")
        .put(
            "expression",
            "(resource.name.startsWith(\"projects/_/buckets/"
                + bucket
                + "/objects/"
                + prefix
                + "\")) || (resource.type == \"storage.googleapis.com/Bucket\" &&"
                + " (api.getAttribute(\"storage.googleapis.com/objectListPrefix\","
                + " \"\").startsWith(\""
                + prefix
                + "\")))");
    return stack;
  }
}
