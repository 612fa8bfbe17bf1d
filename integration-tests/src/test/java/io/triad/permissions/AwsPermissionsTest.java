package io.triad.permissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The evaluation the permission checks rely on, on small stacks written here: S3's
 * 403-for-a-missing-key rule, conditions on {@code s3:prefix}, explicit denies, copies, and grants
 * no call uses.
 */
class AwsPermissionsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void missingKey_should_needAnUnconditionalListBucket_when_s3AnswersItsHead404() throws Exception {
    AwsPermissions prefixOnly =
        stack(
            statement("s3:GetObject", "${aws_s3_bucket.b.arn}/models/*", null),
            statement(
                "s3:ListBucket",
                "${aws_s3_bucket.b.arn}",
                "{\"StringLike\":{\"s3:prefix\":[\"models/*\"]}}"));
    List<AwsCall> head404 =
        AwsCall.fromS3(s3("HEAD", "/any-bucket/models/iris/alias/production", 404));

    assertThat(prefixOnly.refusals(head404))
        .singleElement()
        .asString()
        .contains("http may not s3:ListBucket on arn:aws:s3:::BUCKET")
        .contains("a 404, not a 403, needs s3:ListBucket on the bucket");

    AwsPermissions unconditional =
        stack(
            statement("s3:GetObject", "${aws_s3_bucket.b.arn}/models/*", null),
            statement("s3:ListBucket", "${aws_s3_bucket.b.arn}", null));
    assertThat(unconditional.refusals(head404)).isEmpty();
    // a key that exists needs no listing
    assertThat(prefixOnly.refusals(AwsCall.fromS3(s3("HEAD", "/b/models/iris/1/model.onnx", 200))))
        .isEmpty();
  }

  @Test
  void listing_should_beJudgedOnItsPrefix_when_theGrantIsConditional() throws Exception {
    AwsPermissions stack =
        stack(
            statement(
                "s3:ListBucket",
                "${aws_s3_bucket.b.arn}",
                "{\"StringLike\":{\"s3:prefix\":[\"labelled/*\"]}}"));

    assertThat(
            stack.refusals(
                AwsCall.fromS3(s3("GET", "/b?list-type=2&prefix=labelled%2Firis%2F", 200))))
        .isEmpty();
    assertThat(stack.refusals(AwsCall.fromS3(s3("GET", "/b?list-type=2&prefix=models%2F", 200))))
        .singleElement()
        .asString()
        .startsWith("http may not s3:ListBucket");
  }

  @Test
  void explicitDeny_should_win_overAnAllow() throws Exception {
    ObjectNode stack = stackJson(statement("s3:*", "${aws_s3_bucket.b.arn}/*", null));
    stack
        .withObjectProperty("resource")
        .withObjectProperty("aws_s3_bucket_policy")
        .withObjectProperty("p")
        .put(
            "policy",
            "{\"Statement\":[{\"Sid\":\"KeepModels\",\"Effect\":\"Deny\",\"Principal\":\"*\","
                + "\"Action\":\"s3:DeleteObject\",\"Resource\":\"${aws_s3_bucket.b.arn}/models/*\"}]}");

    assertThat(AwsPermissions.of(stack).refusals(AwsCall.fromS3(s3("DELETE", "/b/models/x", 204))))
        .singleElement()
        .asString()
        .contains("denied by bucket:p/KeepModels");
  }

  @Test
  void copy_should_needReadingItsSource() throws Exception {
    AwsPermissions stack =
        stack(statement("s3:PutObject", "${aws_s3_bucket.b.arn}/failed/*", null));
    ObjectNode copy = s3("PUT", "/b/failed/incoming/x.csv", 200);
    copy.put("copySource", "/b/incoming/x.csv");

    assertThat(stack.refusals(AwsCall.fromS3(copy)))
        .singleElement()
        .asString()
        .contains("s3:GetObject on arn:aws:s3:::BUCKET/incoming/x.csv");
  }

  @Test
  void unused_should_nameEveryGrantNoCallNeeded_unlessExplained() throws Exception {
    AwsPermissions stack =
        stack(
            statement("s3:GetObject", "${aws_s3_bucket.b.arn}/models/*", null),
            statement("s3:PutObject", "${aws_s3_bucket.b.arn}/models/*", null));
    List<AwsCall> calls = AwsCall.fromS3(s3("GET", "/b/models/iris/1/model.onnx", 200));

    assertThat(stack.unused(calls, Map.of()))
        .containsExactly("http:S1 s3:PutObject arn:aws:s3:::BUCKET/models/*");
    assertThat(stack.unused(calls, Map.of("http:S1", "written by a tool"))).isEmpty();
  }

  @Test
  void unmappedRequest_should_failLoudly() {
    assertThatThrownBy(() -> AwsCall.fromS3(s3("POST", "/b?delete", 200)))
        .hasMessageContaining("no IAM mapping for the S3 request POST /b?delete");
  }

  private static ObjectNode s3(String method, String url, int status) {
    return JSON.createObjectNode()
        .put("method", method)
        .put("url", url)
        .put("userAgent", "aws-sdk-java/2.40.2 triad/http")
        .put("status", status);
  }

  private static String statement(String action, String resource, String condition) {
    return "{\"Effect\":\"Allow\",\"Action\":[\""
        + action
        + "\"],\"Resource\":[\""
        + resource
        + "\"]"
        + (condition == null ? "" : ",\"Condition\":" + condition)
        + "}";
  }

  private static AwsPermissions stack(String... statements) throws Exception {
    return AwsPermissions.of(stackJson(statements));
  }

  /** One function, http, whose role has one inline policy of {@code statements} (Sids S0, S1…). */
  private static ObjectNode stackJson(String... statements) throws Exception {
    StringBuilder policy = new StringBuilder("{\"Version\":\"2012-10-17\",\"Statement\":[");
    for (int i = 0; i < statements.length; i++) {
      policy
          .append(i == 0 ? "" : ",")
          .append(statements[i].replaceFirst("\\{", "{\"Sid\":\"S" + i + "\","));
    }
    policy.append("]}");
    ObjectNode stack =
        (ObjectNode) JSON.readTree("{\"provider\":{\"aws\":[{\"region\":\"eu-west-1\"}]}}");
    ObjectNode resource = stack.putObject("resource");
    resource
        .putObject("aws_lambda_function")
        .putObject("http")
        .put("role", "${aws_iam_role.http-role.arn}")
        .putObject("environment")
        .putObject("variables")
        .put("TRIAD_FUNCTION", "http");
    resource
        .putObject("aws_iam_role_policy")
        .putObject("http-policy")
        .put("role", "${aws_iam_role.http-role.id}")
        .put("policy", policy.toString());
    return stack;
  }
}
