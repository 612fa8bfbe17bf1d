package io.triad.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import io.triad.azblob.AzureBlobStore;
import io.triad.functions.TriadContext;
import io.triad.functions.TriadFunctions;
import io.triad.functions.api.ObjectCreated;
import io.triad.functions.api.Outcome;
import io.triad.functions.api.TriadJson;
import io.triad.functions.store.BlobInfo;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.BlobStoreProvider;
import io.triad.functions.store.NoSuchObjectException;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.training.TrainingLauncher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import reactor.core.publisher.Mono;

/**
 * {@link AzureBlobStore} against Azurite: the {@code BlobStore} contract, and a write that fails
 * half-way.
 */
class AzureBlobStoreIT {
  @TempDir static Path work;

  private static Azurite azurite;
  private static BlobStore store;

  @BeforeAll
  static void start() throws Exception {
    azurite = Azurite.start(work.resolve("azurite"));
    store = new AzureBlobStore(client(null).createBlobContainer("contract"));
  }

  @AfterAll
  static void stop() {
    azurite.close();
  }

  @Test
  void putIfAbsent_should_write_once_when_two_writers_race_for_a_key() {
    assertThat(store.putIfAbsent("locks/a", "first".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(store.putIfAbsent("locks/a", "second".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(new String(store.read("locks/a"), StandardCharsets.UTF_8)).isEqualTo("first");
  }

  @Test
  void putIfAbsent_should_create_once_when_eight_writers_race_at_once() throws Exception {
    io.triad.functions.testing.CreateRace.run(
        store, "candidates/iris/20261204-030000/launch.json", 8);
  }

  @Test
  void store_should_keep_the_contract_when_objects_are_written_listed_copied_and_deleted(
      @TempDir Path files) throws IOException {
    Path file = Files.writeString(files.resolve("f.txt"), "from a file");
    store.put("c/b.txt", "b".getBytes(StandardCharsets.UTF_8));
    store.put("c/a.txt", file);
    store.copy("c/a.txt", "c/copy/a.txt");

    assertThat(store.list("c/").stream().map(BlobInfo::key))
        .containsExactly("c/a.txt", "c/b.txt", "c/copy/a.txt");
    assertThat(store.head("c/a.txt"))
        .hasValueSatisfying(info -> assertThat(info.size()).isEqualTo(11));
    assertThat(new String(store.read("c/copy/a.txt"), StandardCharsets.UTF_8))
        .isEqualTo("from a file");
    store.delete("c/a.txt");
    store.delete("c/a.txt");
    assertThat(store.head("c/a.txt")).isEmpty();
    assertThatThrownBy(() -> store.open("c/a.txt")).isInstanceOf(NoSuchObjectException.class);
    assertThatThrownBy(() -> store.copy("c/a.txt", "c/x.txt"))
        .hasCauseInstanceOf(NoSuchObjectException.class);
  }

  @Test
  void openUri_should_reach_the_container_when_the_trainer_is_given_an_azblob_store() {
    // the trainer's --store; TRIAD_STORAGE_CONNECTION stands in for the Batch node's identity
    System.setProperty(AzureSettings.STORAGE_CONNECTION, azurite.connectionString());
    try {
      BlobStore opened = BlobStoreProvider.openUri("azblob://devstoreaccount1/contract");
      opened.put("from-trainer.txt", new byte[] {1});
      assertThat(opened.uri()).isEqualTo("azblob://devstoreaccount1/contract");
      assertThat(store.exists("from-trainer.txt")).isTrue();
    } finally {
      System.clearProperty(AzureSettings.STORAGE_CONNECTION);
    }
  }

  @Test
  void onObjectCreated_should_leave_no_partial_output_and_fail_the_invocation_when_the_write_fails()
      throws Exception {
    // given a container whose writes under predictions/ fail (the service or the network gives out)
    BlobStore failing =
        new AzureBlobStore(
            client(new FailWritesUnder("predictions")).createBlobContainer("faulty"));
    new TestModels(failing).publishIris("1");
    failing.put(
        "incoming/iris/flowers.csv",
        TestModels.incomingCsv(2000, 4).getBytes(StandardCharsets.UTF_8));

    try (ConfigurableApplicationContext context = suite(failing)) {
      Function<ObjectCreated, Outcome> onObjectCreated =
          context.getBean(FunctionCatalog.class).lookup("onObjectCreated");
      UploadEvents events = new UploadEvents(onObjectCreated, "faulty", TriadJson.mapper());

      // when the upload's event is handled, then the invocation fails (Event Grid will deliver it
      // again)
      assertThatThrownBy(
              () ->
                  events.handle(
                      UploadEventsTest.event("incoming/iris/flowers.csv")
                          .replace("/triad/", "/faulty/"),
                      Logger.getAnonymousLogger()))
          .isInstanceOfAny(RuntimeException.class, UncheckedIOException.class);
    }

    // and nothing half-written is visible, nor set aside as a bad upload
    assertThat(failing.list("predictions/")).isEmpty();
    assertThat(failing.list("failed/")).isEmpty();
    assertThat(failing.exists("incoming/iris/flowers.csv")).isTrue();
  }

  private static ConfigurableApplicationContext suite(BlobStore bucket) {
    TrainingLauncher launcher = new RecordingTrainingLauncher();
    return TriadContext.using(AzureBlobStoreIT.class.getClassLoader())
        .start(
            new TriadFunctions(),
            (GenericApplicationContext context) -> {
              context.registerBean(BlobStore.class, () -> bucket);
              context.registerBean(TrainingLauncher.class, () -> launcher);
            });
  }

  private static com.azure.storage.blob.BlobServiceClient client(HttpPipelinePolicy fault) {
    BlobServiceClientBuilder builder =
        new BlobServiceClientBuilder()
            .connectionString(azurite.connectionString())
            .httpClient(new JdkHttpClientBuilder().build())
            .retryOptions(new RequestRetryOptions(RetryPolicyType.FIXED, 1, 10, 10L, 10L, null));
    if (fault != null) {
      builder.addPolicy(fault);
    }
    return builder.buildClient();
  }

  /** Fails every PUT whose URL contains {@code fragment}, before it reaches the service. */
  private record FailWritesUnder(String fragment) implements HttpPipelinePolicy {
    @Override
    public Mono<HttpResponse> process(
        HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
      return failing(context)
          ? Mono.error(new IOException("injected write failure"))
          : next.process();
    }

    @Override
    public HttpResponse processSync(
        HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
      if (failing(context)) {
        throw new UncheckedIOException(new IOException("injected write failure"));
      }
      return next.processSync();
    }

    private boolean failing(HttpPipelineCallContext context) {
      return context.getHttpRequest().getHttpMethod() == com.azure.core.http.HttpMethod.PUT
          && context.getHttpRequest().getUrl().toString().contains(fragment);
    }
  }

  static List<String> keys(BlobStore store, String prefix) {
    return store.list(prefix).stream().map(BlobInfo::key).toList();
  }
}
