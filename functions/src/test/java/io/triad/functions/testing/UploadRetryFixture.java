package io.triad.functions.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.triad.functions.api.ObjectCreated;
import io.triad.functions.api.Outcome;
import io.triad.functions.model.ModelRegistry;
import io.triad.functions.store.FileSystemBlobStore;
import java.nio.file.Path;
import java.util.function.Function;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The one drill every runtime's upload entry point is given: iris is published, an upload waits in
 * {@code incoming/iris/}, and the store fails whenever the production alias is read (a {@link
 * FaultyStore}: no emulator here fails one key on cue). The delivery must fail so the platform
 * retries it, nothing may be set aside, and once the store heals a redelivery scores it.
 */
public final class UploadRetryFixture implements AutoCloseable {
  public static final String UPLOAD = "incoming/iris/flowers.csv";
  public static final String OUTPUT = "predictions/iris/flowers.csv.jsonl";
  private static final String ALIAS = "models/iris/aliases/production";

  private final FaultyStore store;
  private final ConfigurableApplicationContext context;

  public UploadRetryFixture(Path bucket, String... properties) {
    this.store = new FaultyStore(new FileSystemBlobStore(bucket));
    new TestModels(store).publishIris("1");
    store.put(UPLOAD, TestModels.incomingCsv(4, 1).getBytes(UTF_8));
    store.failReads(ALIAS::equals);
    this.context = TriadTestApp.start(store, new RecordingTrainingLauncher(), properties);
  }

  public ConfigurableApplicationContext context() {
    return context;
  }

  public Function<ObjectCreated, Outcome> onObjectCreated() {
    return context.getBean(FunctionCatalog.class).lookup("onObjectCreated");
  }

  /** The store answers again; the registry reads the alias afresh on the next event. */
  public void heal() {
    store.failReads(key -> false);
    context.getBean(ModelRegistry.class).refresh("iris");
  }

  /** While the store fails: nothing set aside, the upload kept, no output. */
  public void assertRetriedNotSetAside() {
    assertThat(store.list("failed/")).as("an outage is not a bad upload").isEmpty();
    assertThat(store.exists(UPLOAD)).isTrue();
    assertThat(store.exists(OUTPUT)).isFalse();
  }

  /** After the redelivery: the whole output, still nothing set aside. */
  public void assertScored() {
    assertThat(new String(store.read(OUTPUT), UTF_8).lines()).hasSize(4);
    assertThat(store.list("failed/")).isEmpty();
  }

  @Override
  public void close() {
    context.close();
  }
}
