package io.triad.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.settings.AwsContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The built AWS stack's s3 function, the one that copies each promotion to the other clouds: its
 * environment and its role's name (as AWS names the role in a session's or a token's ARN).
 */
record AwsCopyingFunction(JsonNode env, String roleName) {

  /** From the built stack ({@code infra/cdktf.out}). */
  static AwsCopyingFunction built() throws IOException {
    JsonNode stack =
        new ObjectMapper()
            .readTree(Files.readString(Path.of(System.getProperty("triad.stack.aws"))));
    for (JsonNode function : stack.at("/resource/aws_lambda_function")) {
      if (AwsContract.S3.equals(
          function.at("/environment/variables/" + AwsContract.FUNCTION).asText())) {
        // ${aws_iam_role.NAME.arn}
        String role = function.path("role").asText();
        return new AwsCopyingFunction(
            function.at("/environment/variables"),
            stack
                .at("/resource/aws_iam_role")
                .path(role.substring("${aws_iam_role.".length(), role.indexOf(".arn")))
                .path("name")
                .asText());
      }
    }
    throw new IllegalStateException("the built AWS stack has no s3 function");
  }

  /** Whether the stack tells the function {@code setting}: a route it copies through. */
  boolean copiesWith(String setting) {
    return env.has(setting);
  }
}
