package io.triad.functions.internal.pipeline;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triad.functions.api.Failure;
import io.triad.functions.api.ObjectCreated;
import io.triad.functions.api.Outcome;
import io.triad.functions.api.TriadError;
import io.triad.functions.http.HttpAnswer;
import io.triad.functions.http.HttpCall;
import io.triad.functions.http.InferenceApi;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.FaultyStore;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What an upload and a request come to for each kind of {@link Failure}: the caller's fault is set
 * aside under failed/, a model with nothing servable yet and a storage fault are thrown for the
 * runtime to retry, and the upload is kept either way.
 */
class FailureDecisionTest {
  private static final String ALIAS = "models/iris/aliases/production";

  @TempDir Path bucket;
  private FaultyStore store;
  private ConfigurableApplicationContext context;
  private Function<ObjectCreated, Outcome> onObjectCreated;

  @BeforeEach
  void start() {
    store = new FaultyStore(new FileSystemBlobStore(bucket));
    context =
        TriadTestApp.start(store, new RecordingTrainingLauncher(), "triad.catalog=iris,digits");
    onObjectCreated =
        context.getBean(FunctionCatalog.class).lookup(Function.class, "onObjectCreated");
    store.put("incoming/iris/flowers.csv", TestModels.incomingCsv(3, 1).getBytes(UTF_8));
  }

  @AfterEach
  void stop() {
    context.close();
  }

  @Test
  void upload_should_beThrownForRetry_when_theStoreFailsWhileTheAliasIsRead() {
    // given iris published, and the store failing on its alias
    new TestModels(store).publishIris("1");
    store.failReads(ALIAS::equals);

    // when, then: thrown (the platform redelivers), nothing set aside
    assertThatThrownBy(() -> onObjectCreated.apply(ObjectCreated.of("incoming/iris/flowers.csv")))
        .satisfies(e -> assertThat(Failure.of(e)).isInstanceOf(Failure.Transient.class));
    assertThat(store.list("failed/")).isEmpty();

    // and when the store heals and the event is redelivered, the upload is scored
    store.failReads(key -> false);
    context.getBean(io.triad.functions.model.ModelRegistry.class).refresh("iris");
    assertThat(onObjectCreated.apply(ObjectCreated.of("incoming/iris/flowers.csv")))
        .isInstanceOf(Outcome.Written.class);
    assertThat(store.exists("predictions/iris/flowers.csv.jsonl")).isTrue();
  }

  @Test
  void upload_should_waitNotFail_when_aCatalogModelHasNoProductionVersionYet() {
    // given digits is in the catalog and nothing of it is published
    store.put("incoming/digits/d.csv", "id,x\n1,2\n".getBytes(UTF_8));

    // when, then
    assertThatThrownBy(() -> onObjectCreated.apply(ObjectCreated.of("incoming/digits/d.csv")))
        .isInstanceOfSatisfying(
            TriadError.class, e -> assertThat(e.kind()).isEqualTo(TriadError.Kind.NOT_READY))
        .satisfies(e -> assertThat(Failure.of(e)).isInstanceOf(Failure.NotReady.class));
    assertThat(store.list("failed/")).isEmpty();
    assertThat(store.exists("incoming/digits/d.csv")).isTrue();
  }

  @Test
  void upload_should_beSetAside_when_theModelDoesNotExist() {
    // given a model neither in the catalog nor in the bucket
    store.put("incoming/nosuch/x.csv", "id,x\n1,2\n".getBytes(UTF_8));

    // when
    Outcome outcome = onObjectCreated.apply(ObjectCreated.of("incoming/nosuch/x.csv"));

    // then: the caller's fault
    assertThat(outcome)
        .isInstanceOfSatisfying(
            Outcome.Failed.class, f -> assertThat(f.error()).contains("no such model: nosuch"));
    assertThat(store.exists("failed/incoming/nosuch/x.csv.error.json")).isTrue();
  }

  @Test
  void http_should_answer503WithoutAClassName_when_theStoreFailsWhileTheAliasIsRead() {
    // given
    new TestModels(store).publishIris("1");
    store.failReads(ALIAS::equals);

    // when
    HttpAnswer answer =
        context
            .getBean(InferenceApi.class)
            .handle(new HttpCall("GET", "/v2/models/iris/ready", Map.of(), null));

    // then
    String body = new String(answer.body(), UTF_8);
    assertThat(answer.status()).isEqualTo(503);
    assertThat(body)
        .contains("the store could not be read")
        .doesNotContain("Exception")
        .doesNotContain("java.");
  }

  @Test
  void of_should_classifyWhatEscapes_when_givenEachKind() {
    assertThat(Failure.of(TriadError.badRequest("x")))
        .isInstanceOfSatisfying(
            Failure.CallerFault.class, f -> assertThat(f.status()).isEqualTo(400));
    assertThat(Failure.of(TriadError.notReady("x")))
        .isInstanceOfSatisfying(Failure.NotReady.class, f -> assertThat(f.status()).isEqualTo(503));
    assertThat(
            Failure.of(
                new java.io.UncheckedIOException(new java.io.IOException("connection reset"))))
        .isInstanceOfSatisfying(
            Failure.Transient.class,
            f -> {
              assertThat(f.status()).isEqualTo(503);
              assertThat(f.message()).isEqualTo("the store could not be reached; try again");
            });
    assertThat(Failure.of(new IllegalStateException("bug")))
        .isInstanceOfSatisfying(
            Failure.Transient.class,
            f -> {
              assertThat(f.status()).isEqualTo(500);
              assertThat(f.message()).isEqualTo("internal error");
            });
    assertThat(Failure.of(new RuntimeException("wrapped", TriadError.unprocessable("bad row"))))
        .isInstanceOf(Failure.CallerFault.class);
  }
}
