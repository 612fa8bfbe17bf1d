package io.triad.gcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.functions.invoker.HttpFunctionExecutor;
import io.triad.functions.http.HttpAnswer;
import io.triad.functions.http.HttpCall;
import io.triad.functions.http.InferenceApi;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import io.triad.gcp.testing.FakeGoogleCloud;
import io.triad.gcp.testing.HttpFixture;
import io.triad.gcp.testing.LoopbackFunctionServer;
import io.triad.gcs.GcsBlobStore;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@link HttpEntry} under the Functions Framework's own {@code HttpFunctionExecutor} (constructed
 * by the framework, Spring and all), the model in GCS ({@link FakeGoogleCloud}'s in-memory
 * storage). Every answer is also compared with the neutral {@link InferenceApi} that the local
 * runtime serves, given the same request: the adapter must add and lose nothing.
 */
class HttpEntryIT {
  private static final String BUCKET = "triad-http";
  private static final int LIMIT = 64 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path localBucket;

  private static LoopbackFunctionServer server;
  private static ConfigurableApplicationContext local;
  private static InferenceApi reference;
  private static final HttpClient client = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    System.setProperty(GcpRuntime.BUCKET, BUCKET);
    System.setProperty("triad.catalog", "iris");
    System.setProperty("triad.signing.trusted-keys", TestModels.TRUSTED_KEY);
    System.setProperty("triad.max-body-bytes", String.valueOf(LIMIT));
    new TestModels(new GcsBlobStore(FakeGoogleCloud.storage(), BUCKET)).publishIris("1");
    server = new LoopbackFunctionServer(HttpFunctionExecutor.forClass(HttpEntry.class));

    new TestModels(new FileSystemBlobStore(localBucket)).publishIris("1");
    local =
        TriadTestApp.start(
            localBucket,
            new RecordingTrainingLauncher(),
            "triad.models.iris.training-data=data/iris/train.csv");
    reference = local.getBean(InferenceApi.class);
  }

  @AfterAll
  static void stop() {
    server.close();
    local.close();
    System.clearProperty(GcpRuntime.BUCKET);
    System.clearProperty("triad.catalog");
    System.clearProperty("triad.signing.trusted-keys");
    System.clearProperty("triad.max-body-bytes");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "live",
        "ready",
        "model-metadata",
        "infer-v2",
        "predict-records",
        "unknown-model",
        "malformed-json",
        "not-json",
        "missing-field",
        "wrong-method",
        "unknown-route"
      })
  void service_should_answerExactlyLikeTheNeutralApi_when_sentTheFixture(String name)
      throws Exception {
    // given
    HttpFixture fixture = HttpFixture.load("http/" + name);

    // when
    HttpResponse<String> response = fixture.send(client, server);

    // then
    assertThat(response.statusCode()).as(name).isEqualTo(fixture.expected().status());
    assertThat(response.headers().firstValue("Content-Type"))
        .as(name)
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    fixture.expected().assertBody(name, response.body());
    HttpAnswer same =
        reference.handle(
            new HttpCall(fixture.method(), fixture.path(), fixture.headers(), fixture.body()));
    assertThat(response.statusCode()).as(name + " status vs local").isEqualTo(same.status());
    assertThat(JSON.readTree(response.body()))
        .as(name + " body vs local")
        .isEqualTo(JSON.readTree(same.body()));
  }

  @Test
  void service_should_answer413_when_theBodyIsOverTheLimit() throws Exception {
    // given
    byte[] big = new byte[LIMIT * 3];
    java.util.Arrays.fill(big, (byte) ' ');

    // when
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(server.uri("/v1/models/iris:predict"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(big))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    // then
    assertThat(response.statusCode()).isEqualTo(413);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("error").asText()).contains("limit of " + LIMIT + " bytes");
  }
}
