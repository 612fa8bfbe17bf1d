package io.triad.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The AWS Batch double refuses what SubmitJob refuses, before it runs anything. */
class FakeAwsBatchTest {

  private static final String SIGNED_FOR_US_EAST_1 =
      "AWS4-HMAC-SHA256 Credential=S3RVER/20261204/us-east-1/batch/aws4_request,"
          + " SignedHeaders=host;x-amz-date, Signature=00";

  @TempDir Path work;

  @Test
  void submitJob_should_refuseAnotherRegionMissingFieldsAndUnknownOnes() throws Exception {
    try (FakeAwsBatch batch =
        new FakeAwsBatch(
            new TrainerImage(work), "triad-training", "triad-trainer:1", Map.of(), Map.of())) {
      String valid =
          "{\"jobName\":\"triad-iris-1\",\"jobQueue\":\"triad-training\","
              + "\"jobDefinition\":\"triad-trainer:1\"";

      assertThat(send(batch, SIGNED_FOR_US_EAST_1.replace("us-east-1", "eu-west-1"), valid + "}"))
          .startsWith("403");
      assertThat(send(batch, SIGNED_FOR_US_EAST_1, "{\"jobQueue\":\"triad-training\"}"))
          .startsWith("400")
          .contains("jobName is required");
      assertThat(send(batch, SIGNED_FOR_US_EAST_1, valid + ",\"priority\":5}"))
          .startsWith("400")
          .contains("SubmitJob has no field priority");
      assertThat(
              send(batch, SIGNED_FOR_US_EAST_1, valid.replace("triad-iris-1", "triad iris!") + "}"))
          .startsWith("400")
          .contains("jobName must be");
      assertThat(send(batch, SIGNED_FOR_US_EAST_1, valid + ",\"containerOverrides\":{\"gpus\":1}}"))
          .startsWith("400")
          .contains("containerOverrides has no field gpus");
    }
  }

  private static String send(FakeAwsBatch batch, String authorization, String body)
      throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(batch.endpoint() + "/v1/submitjob"))
                    .header("Authorization", authorization)
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }
}
