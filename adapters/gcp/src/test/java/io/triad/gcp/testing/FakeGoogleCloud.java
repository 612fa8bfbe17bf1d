package io.triad.gcp.testing;

import com.google.cloud.batch.v1.BatchServiceClient;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import io.triad.functions.ContextExtension;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Puts the test's Google clients into every context an entry point starts (a {@code
 * ContextExtension} listed in the test class path's {@code META-INF/services}, so the
 * framework-built entry instances get them too): the in-memory {@link LocalStorageHelper} storage,
 * shared by all its clients in this JVM, (one client for the JVM; tests keep apart by bucket) and
 * the Batch client of the {@link FakeBatchService} a test has {@link #use}d. Runs first, so {@code
 * GcpRuntime} sees the beans and registers no real ones.
 */
public final class FakeGoogleCloud implements ContextExtension {
  private static final Map<String, FakeBatchService> BATCH = new ConcurrentHashMap<>();
  // getOptions() empties the shared in-memory store each time it is called, so it is called
  // once; the create-if-absent precondition is checked as GCS checks it (PreconditionStorage)
  private static final Storage STORAGE =
      PreconditionStorage.wrap(LocalStorageHelper.getOptions().getService());

  /** The Batch service the next started contexts talk to (until {@link #clear}). */
  public static void use(FakeBatchService batch) {
    BATCH.put("current", batch);
  }

  public static void clear() {
    BATCH.clear();
  }

  public static Storage storage() {
    return STORAGE;
  }

  @Override
  public void initialize(GenericApplicationContext context) {
    // each function's own view of the one store, its calls recorded under its name
    String function = context.getEnvironment().getProperty("triad.gcp.function", "client");
    context.registerBean("storage", Storage.class, () -> RecordingStorage.wrap(STORAGE, function));
    FakeBatchService batch = BATCH.get("current");
    if (batch != null) {
      context.registerBean(
          "batchServiceClient", BatchServiceClient.class, () -> batch.client(function));
    }
  }
}
