package io.triad.permissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Azure's condition language as the blob role assignments use it, and the data actions a recorded
 * Blob call needs, on a small stack written here with the condition infra writes.
 */
class AzurePermissionsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BLOBS =
      "Microsoft.Storage/storageAccounts/blobServices/containers/blobs";
  private static final String PATH = "@Resource[" + BLOBS + ":path]";

  /** As BlobAccessCondition.readsAndWrites(models/, failed/) writes it, deletes never. */
  private static final String CONDITION =
      "((!(ActionMatches{'"
          + BLOBS
          + "/read'} AND NOT SubOperationMatches{'Blob.List'})) OR ("
          + PATH
          + " StringStartsWith 'models/'))\n AND\n ((!(ActionMatches{'"
          + BLOBS
          + "/write'}) AND !(ActionMatches{'"
          + BLOBS
          + "/add/action'})) OR ("
          + PATH
          + " StringStartsWith 'failed/'))\n AND\n (!(ActionMatches{'"
          + BLOBS
          + "/delete'}))";

  @Test
  void condition_should_narrowEachDataActionToItsPrefixes() {
    assertThat(holds(BLOBS + "/read", null, "models/iris/1/model.onnx")).isTrue();
    assertThat(holds(BLOBS + "/read", null, "data/iris/train.csv")).isFalse();
    // a listing has no path: the condition lets it through by its sub-operation
    assertThat(holds(BLOBS + "/read", "Blob.List", null)).isTrue();
    assertThat(holds(BLOBS + "/write", null, "failed/x.error.json")).isTrue();
    assertThat(holds(BLOBS + "/write", null, "models/iris/alias/production")).isFalse();
    assertThat(holds(BLOBS + "/delete", null, "failed/x")).isFalse();
    assertThatThrownBy(
            () ->
                AbacCondition.holds(
                    "@Request[x] ForAnyOfAnyValues:StringEquals {'a'}",
                    new AbacCondition.Request("r", null, Map.of())))
        .hasMessageContaining("not modelled");
  }

  @Test
  void recordedCalls_should_needTheDataActionsAzureAuthorizes() throws Exception {
    AzurePermissions stack = stack();

    JsonNode copy =
        call("PUT", "/devstoreaccount1/triad/failed%2Fincoming%2Fx.csv")
            .put("copySource", "http://127.0.0.1:1/devstoreaccount1/triad/incoming%2Fx.csv");
    // the copy's source is read, and reading incoming/ is not granted here
    assertThat(stack.refusals(AzurePermissions.needs(copy)))
        .singleElement()
        .asString()
        .startsWith("functions may not " + BLOBS + "/read on incoming/x.csv");
    assertThat(
            stack.refusals(
                AzurePermissions.needs(
                    call(
                        "GET",
                        "/devstoreaccount1/triad?restype=container&comp=list&prefix=models/"))))
        .isEmpty();
    assertThat(
            stack.refusals(
                AzurePermissions.needs(call("DELETE", "/devstoreaccount1/triad/failed%2Fx"))))
        .singleElement()
        .asString()
        .contains("/delete on failed/x");
  }

  @Test
  void batchCalls_should_needTheCustomRolesDataActions() {
    ObjectNode stack = stackJson();
    stack
        .withObjectProperty("resource")
        .withObjectProperty("azurerm_role_definition")
        .withObjectProperty("submitter_1")
        .withObjectProperty("permissions")
        .putArray("data_actions")
        .add("Microsoft.Batch/batchAccounts/jobs/write")
        .add("Microsoft.Batch/batchAccounts/jobs/tasks/write");
    stack
        .withObjectProperty("resource")
        .withObjectProperty("azurerm_role_assignment")
        .withObjectProperty("functions_job-submit_1")
        .put(
            "principal_id",
            "${azurerm_function_app_flex_consumption.functions_app_1.identity.0.principal_id}")
        .put(
            "role_definition_id",
            "${azurerm_role_definition.submitter_1.role_definition_resource_id}");
    AzurePermissions permissions = AzurePermissions.of(stack);
    ObjectNode delete =
        JSON.createObjectNode()
            .put("app", "functions")
            .put("service", "batch")
            .put("action", "Microsoft.Batch/batchAccounts/jobs/delete")
            .put("resource", "/jobs/triad-iris-1");
    ObjectNode add = delete.deepCopy().put("action", "Microsoft.Batch/batchAccounts/jobs/write");

    assertThat(permissions.refusals(AzurePermissions.needs(add))).isEmpty();
    // a launcher that cleans up a job it could not fill needs jobs/delete as well
    assertThat(permissions.refusals(AzurePermissions.needs(delete)))
        .singleElement()
        .asString()
        .startsWith("functions may not Microsoft.Batch/batchAccounts/jobs/delete");
  }

  private static boolean holds(String action, String subOperation, String path) {
    return AbacCondition.holds(
        CONDITION,
        new AbacCondition.Request(
            action, subOperation, path == null ? Map.of() : Map.of(BLOBS + ":path", path)));
  }

  private static ObjectNode call(String method, String url) {
    return JSON.createObjectNode()
        .put("app", "functions")
        .put("method", method)
        .put("url", url)
        .put("status", 200);
  }

  /** The events app, with Storage Blob Data Contributor under {@link #CONDITION}. */
  private static AzurePermissions stack() {
    return AzurePermissions.of(stackJson());
  }

  private static ObjectNode stackJson() {
    ObjectNode stack = JSON.createObjectNode();
    ObjectNode resource = stack.putObject("resource");
    resource
        .putObject("azurerm_function_app_flex_consumption")
        .putObject("functions_app_1")
        .put("name", "triad-demo-functions");
    resource
        .putObject("azurerm_role_assignment")
        .putObject("functions_blob-access_1")
        .put("role_definition_name", "Storage Blob Data Contributor")
        .put(
            "principal_id",
            "${azurerm_function_app_flex_consumption.functions_app_1.identity.0.principal_id}")
        .put("condition", CONDITION);
    return stack;
  }
}
