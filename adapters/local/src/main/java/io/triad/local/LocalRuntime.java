package io.triad.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.Failure;
import io.triad.functions.api.Outcome;
import io.triad.functions.api.ScheduledTick;
import io.triad.functions.config.TriadProperties;
import io.triad.functions.http.InferenceApi;
import io.triad.functions.http.ModelPriming;
import io.triad.functions.model.ModelRegistry;
import io.triad.functions.signing.FileKeySource;
import io.triad.functions.signing.PackageSigner;
import io.triad.functions.signing.SigningKeys;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.store.Scratch;
import io.triad.functions.training.RetrainingReport;
import io.triad.functions.training.TrainingLauncher;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The embedded runtime's own parts, registered functionally: a directory as the bucket, file
 * events, cron ticks, child-process training and the HTTP server. The functions come from {@link
 * io.triad.functions.TriadFunctions}; this class only connects the machine to them.
 */
public final class LocalRuntime
    implements ApplicationContextInitializer<GenericApplicationContext> {
  /** The signing key's file name, in the directory that holds the bucket. */
  static final String KEY_FILE = "signing-key.pem";

  @Override
  public void initialize(GenericApplicationContext context) {
    io.triad.functions.telemetry.OtlpSettings.nameService(context.getEnvironment(), "triad-local");
    int swept = Scratch.sweepDead();
    if (swept > 0) {
      LoggerFactory.getLogger(LocalRuntime.class)
          .info("removed the scratch files of {} runtime(s) that were killed", swept);
    }
    LocalProperties local =
        Binder.get(context.getEnvironment())
            .bind("triad.local", Bindable.of(LocalProperties.class))
            .orElseGet(LocalProperties::defaults);
    trustOwnKey(context.getEnvironment(), stateDir(local));
    context.registerBean(LocalProperties.class, () -> local);
    context.registerBean(Clock.class, Clock::systemUTC);
    context.registerBean(
        FileSystemBlobStore.class, () -> new FileSystemBlobStore(local(context).bucket()));
    context.registerBean(
        TrainingLauncher.class,
        () ->
            new ChildProcessLauncher(
                context.getBean(FileSystemBlobStore.class),
                stateDir(context).resolve("logs"),
                local(context).trainerJvmOptions(),
                local(context).trainingTimeout(),
                json(context),
                System.out::println));
    context.registerBean(
        LocalHttpServer.class,
        () ->
            new LocalHttpServer(
                context.getBean(InferenceApi.class),
                local(context).host(),
                local(context).port(),
                local(context).http(),
                new LocalPages(
                    context.getBean(FileSystemBlobStore.class),
                    new io.triad.functions.http.ModelStates(
                        context.getBean(ModelRegistry.class),
                        context.getBean(FileSystemBlobStore.class),
                        json(context)),
                    triad(context).modelNames(),
                    prometheus(context)::scrape,
                    json(context))));
    context.registerBean(
        LocalGuide.class,
        () ->
            new LocalGuide(
                System.out,
                local(context).bucket(),
                stateDir(context).resolve("examples"),
                context.getBean(LocalHttpServer.class),
                context.getBean(ModelRegistry.class),
                json(context)));
    context.registerBean(
        BucketWatcher.class,
        () ->
            new BucketWatcher(
                context.getBean(FileSystemBlobStore.class),
                function(context, "onObjectCreated"),
                context.getBean(LocalGuide.class),
                local(context).settle()));
    context.registerBean(
        CronTicks.class,
        () ->
            new CronTicks(
                schedules(triad(context)), onSchedule(context), context.getBean(Clock.class)));
    context.registerBean(
        "triadBootstrap",
        ApplicationListener.class,
        // once the context is up and the HTTP API listens
        () -> (ApplicationListener<ContextRefreshedEvent>) event -> bootstrap(context));
  }

  /**
   * Seeds data sets, then trains each bootstrap model that has no production version yet. A model
   * whose package is broken is reported and left alone: it never stops the others from starting.
   */
  /** The registry GET /metrics reads, added to the core's metrics once. */
  private static io.micrometer.prometheusmetrics.PrometheusMeterRegistry prometheus(
      GenericApplicationContext context) {
    io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry =
        new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
            io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
    context.getBean(io.triad.functions.metrics.TriadMetrics.class).registry().add(registry);
    return registry;
  }

  private static void bootstrap(GenericApplicationContext context) {
    LocalGuide guide = context.getBean(LocalGuide.class);
    FileSystemBlobStore store = context.getBean(FileSystemBlobStore.class);
    new DatasetSeeder(store, triad(context), stateDir(context).resolve("examples")).seed();
    context.getBean(ModelPriming.class).prime();
    guide.started();
    ModelRegistry registry = context.getBean(ModelRegistry.class);
    List<String> untrained = new ArrayList<>();
    for (String model : local(context).bootstrap()) {
      try {
        Optional<String> served = registry.productionVersion(model);
        if (served.isEmpty()) {
          untrained.add(model);
          continue;
        }
        ModelRegistry.Readiness readiness = registry.readiness(model, null);
        if (readiness.ready()) {
          guide.accept(new Outcome.Promoted("", model, served.get(), "already promoted"));
        } else {
          guide.unservable(model, served.get(), readiness.reason());
        }
      } catch (RuntimeException e) {
        guide.unservable(model, null, Failure.of(e).message());
      }
    }
    if (!untrained.isEmpty()) {
      guide.retraining(
          onSchedule(context)
              .apply(new ScheduledTick(untrained, context.getBean(Clock.class).instant())));
    }
  }

  private static Map<String, String> schedules(TriadProperties properties) {
    Map<String, String> schedules = new TreeMap<>();
    properties
        .models()
        .forEach(
            (model, settings) -> {
              if (settings.schedule() != null && !settings.schedule().isBlank()) {
                schedules.put(model, settings.schedule());
              }
            });
    return schedules;
  }

  private static Function<ScheduledTick, RetrainingReport> onSchedule(
      GenericApplicationContext context) {
    return function(context, "onSchedule");
  }

  private static <I, O> Function<I, O> function(GenericApplicationContext context, String name) {
    return context.getBean(FunctionCatalog.class).lookup(name);
  }

  /** Logs and examples live beside the bucket, never inside it (they are not objects). */
  private static Path stateDir(GenericApplicationContext context) {
    return stateDir(local(context));
  }

  private static Path stateDir(LocalProperties local) {
    Path bucket = local.bucket().toAbsolutePath().normalize();
    return bucket.getParent() == null ? bucket : bucket.getParent();
  }

  /**
   * The runtime promotes, so it holds a signing key: {@code triad.signing.key} if set, else {@value
   * #KEY_FILE} beside the bucket (never in it), created on first start with mode 0600. Its public
   * key joins {@code triad.signing.trusted-keys}, so what this runtime promotes it also serves.
   */
  private static void trustOwnKey(ConfigurableEnvironment environment, Path stateDir) {
    Binder binder = Binder.get(environment);
    String location = binder.bind("triad.signing.key", String.class).orElse("").strip();
    PackageSigner signer;
    try {
      if (location.isEmpty()) {
        Path file = stateDir.resolve(KEY_FILE);
        signer = FileKeySource.createIfAbsent(file);
        location = FileKeySource.SCHEME + ":" + file;
      } else {
        String path =
            location.startsWith(FileKeySource.SCHEME + ":")
                ? location.substring(FileKeySource.SCHEME.length() + 1)
                : location;
        signer = PackageSigner.fromText(new FileKeySource().read(path));
      }
    } catch (IOException e) {
      throw new IllegalStateException("the signing key could not be read or created: " + e, e);
    }
    List<String> trusted =
        new ArrayList<>(
            binder
                .bind("triad.signing.trusted-keys", Bindable.listOf(String.class))
                .orElse(List.of()));
    String own = SigningKeys.publicKeyText(signer.publicKey());
    if (!trusted.contains(own)) {
      trusted.add(own);
    }
    environment
        .getPropertySources()
        .addFirst(
            new MapPropertySource(
                "triadLocalSigning",
                Map.of(
                    "triad.signing.key",
                    location,
                    "triad.signing.trusted-keys",
                    String.join(",", trusted))));
    LoggerFactory.getLogger(LocalRuntime.class)
        .info("promoted packages are signed with {} (key {})", location, signer.keyId());
  }

  private static LocalProperties local(GenericApplicationContext context) {
    return context.getBean(LocalProperties.class);
  }

  private static TriadProperties triad(GenericApplicationContext context) {
    return context.getBean(TriadProperties.class);
  }

  private static ObjectMapper json(GenericApplicationContext context) {
    return context.getBean("triadJson", ObjectMapper.class);
  }
}
