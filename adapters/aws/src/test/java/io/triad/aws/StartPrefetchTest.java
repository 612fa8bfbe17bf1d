package io.triad.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.NoSuchObjectException;
import io.triad.layout.BucketLayout;
import io.triad.s3.S3BlobStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The start's prefetch against S3 as WireMock answers for it on 127.0.0.1: the client and priming's
 * first reads are made on the prefetch's thread, the store serves each of them once without asking
 * S3 again, a key it found missing is missing, and a write or a second read goes to S3.
 */
class StartPrefetchTest {
  private static final String BUCKET = "triad";
  private WireMockServer s3;

  @BeforeEach
  void start() {
    s3 = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    s3.start();
    s3.stubFor(
        get(urlPathEqualTo(path(alias(BucketLayout.PRODUCTION))))
            .willReturn(aResponse().withBody("7\n")));
    for (String absent :
        List.of(
            alias(BucketLayout.CANARY),
            alias(BucketLayout.SHADOW),
            BucketLayout.signature("iris", "7"))) {
      s3.stubFor(
          get(urlPathEqualTo(path(absent)))
              .willReturn(
                  aResponse()
                      .withStatus(404)
                      .withBody(
                          "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>")));
    }
    s3.stubFor(
        get(urlPathEqualTo(path(BucketLayout.manifest("iris", "7"))))
            .willReturn(aResponse().withBody("{}")));
    s3.stubFor(
        get(urlPathEqualTo(path(BucketLayout.modelFile("iris", "7"))))
            .willReturn(aResponse().withBody("onnx")));
  }

  @AfterEach
  void stop() {
    StartPrefetch.take();
    s3.stop();
  }

  @Test
  void primingReads_should_comeFromThePrefetch_once() throws Exception {
    AwsSettings settings = settings();

    // when a start begins its prefetch and the context takes it
    StartPrefetch.begin(FunctionRole.HTTP, settings, List.of("iris"), "http");
    StartPrefetch prefetch = StartPrefetch.take().orElseThrow();
    assertThat(StartPrefetch.take()).as("taken once").isEmpty();
    assertThat(prefetch.client()).isNotNull();
    BlobStore store = prefetch.store(new S3BlobStore(prefetch.client(), BUCKET));

    // then priming's reads come out of it, each once, without another request
    assertThat(new String(store.read(alias(BucketLayout.PRODUCTION)), StandardCharsets.UTF_8))
        .isEqualTo("7\n");
    assertThat(store.read(BucketLayout.modelFile("iris", "7")))
        .isEqualTo("onnx".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> store.open(alias(BucketLayout.CANARY)))
        .isInstanceOf(NoSuchObjectException.class);
    assertThat(requests(alias(BucketLayout.PRODUCTION))).isEqualTo(1);
    assertThat(requests(BucketLayout.modelFile("iris", "7"))).isEqualTo(1);
    assertThat(requests(alias(BucketLayout.CANARY))).isEqualTo(1);

    // and a second read goes to S3
    store.read(alias(BucketLayout.PRODUCTION));
    assertThat(requests(alias(BucketLayout.PRODUCTION))).isEqualTo(2);
  }

  @Test
  void fileOverTheLimit_should_beLeftToTheStore_unread() throws Exception {
    // given a limit the alias fits and the model (4 bytes) does not
    StartPrefetch.begin(FunctionRole.HTTP, settings(), List.of("iris"), "http", 3);
    StartPrefetch prefetch = StartPrefetch.take().orElseThrow();
    BlobStore store = prefetch.store(new S3BlobStore(prefetch.client(), BUCKET));

    // when priming reads both
    assertThat(store.read(alias(BucketLayout.PRODUCTION))).hasSize(2);
    assertThat(store.read(BucketLayout.modelFile("iris", "7")))
        .isEqualTo("onnx".getBytes(StandardCharsets.UTF_8));

    // then the alias came from the prefetch, the model from S3 when asked
    assertThat(requests(alias(BucketLayout.PRODUCTION))).isEqualTo(1);
    assertThat(requests(BucketLayout.modelFile("iris", "7"))).isEqualTo(2);
  }

  @Test
  void scheduleRole_should_prefetchTheClientOnly() {
    AwsSettings settings = settings();

    StartPrefetch.begin(FunctionRole.SCHEDULE, settings, List.of("iris"), "schedule");
    StartPrefetch prefetch = StartPrefetch.take().orElseThrow();

    assertThat(prefetch.client()).isNotNull();
    prefetch.store(new S3BlobStore(prefetch.client(), BUCKET)).head("x");
    assertThat(s3.getAllServeEvents().stream().map(e -> e.getRequest().getMethod().getName()))
        .containsOnly("HEAD");
  }

  private AwsSettings settings() {
    return AwsSettings.from(
        Map.of(
                AwsSettings.REGION,
                "eu-west-1",
                AwsSettings.S3_ENDPOINT,
                s3.baseUrl(),
                AwsSettings.BUCKET,
                BUCKET)
            ::get);
  }

  private int requests(String key) {
    return s3.findAll(getRequestedFor(urlPathEqualTo(path(key)))).size();
  }

  private static String alias(String alias) {
    return BucketLayout.alias("iris", alias);
  }

  private static String path(String key) {
    return "/" + BUCKET + "/" + key;
  }
}
