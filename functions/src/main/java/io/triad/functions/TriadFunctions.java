package io.triad.functions;

import ai.onnxruntime.OrtEnvironment;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.EvaluateCall;
import io.triad.functions.api.InferenceCall;
import io.triad.functions.api.InferenceResponse;
import io.triad.functions.api.ObjectCreated;
import io.triad.functions.api.Outcome;
import io.triad.functions.api.PredictCall;
import io.triad.functions.api.Predictions;
import io.triad.functions.api.ScheduledTick;
import io.triad.functions.api.TriadJson;
import io.triad.functions.config.ModelDefaults;
import io.triad.functions.config.SigningSettings;
import io.triad.functions.config.TriadProperties;
import io.triad.functions.http.InferenceApi;
import io.triad.functions.http.ModelPriming;
import io.triad.functions.http.ModelStates;
import io.triad.functions.http.Shadows;
import io.triad.functions.inference.Postprocessor;
import io.triad.functions.inference.Predictor;
import io.triad.functions.inference.TensorCodec;
import io.triad.functions.internal.evaluation.EvaluationReport;
import io.triad.functions.internal.evaluation.Evaluator;
import io.triad.functions.internal.pipeline.BatchScorer;
import io.triad.functions.internal.pipeline.FailureRecorder;
import io.triad.functions.internal.pipeline.ObjectRouter;
import io.triad.functions.internal.pipeline.ReportWriter;
import io.triad.functions.internal.training.PromotionGate;
import io.triad.functions.metrics.RequestPhases;
import io.triad.functions.metrics.TriadMetrics;
import io.triad.functions.model.ModelLoader;
import io.triad.functions.model.ModelRegistry;
import io.triad.functions.model.RegistrySettings;
import io.triad.functions.monitoring.DriftMonitor;
import io.triad.functions.monitoring.DriftReports;
import io.triad.functions.monitoring.PayloadLog;
import io.triad.functions.monitoring.ServedDrift;
import io.triad.functions.replication.ReplicaStores;
import io.triad.functions.replication.Replicator;
import io.triad.functions.rollout.LiveFigures;
import io.triad.functions.rollout.Rollouts;
import io.triad.functions.signing.PromotionKeys;
import io.triad.functions.signing.SigningKeySource;
import io.triad.functions.signing.TrustedKeys;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.BlobStoreProvider;
import io.triad.functions.tabular.Preprocessor;
import io.triad.functions.telemetry.Telemetry;
import io.triad.functions.training.Retraining;
import io.triad.functions.training.RetrainingReport;
import io.triad.functions.training.TrainingCosts;
import io.triad.functions.training.TrainingLauncher;
import java.time.Clock;
import java.util.Set;
import java.util.function.Function;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.cloud.function.context.FunctionRegistration;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.ResolvableType;

/**
 * Registers the suite's functions and the parts they share, functionally (no classpath scanning,
 * which starts faster). Each runtime adds a {@link BlobStore} and a {@link TrainingLauncher} bean
 * of its own and may add a {@link Clock}.
 *
 * <p>Functions in the {@link FunctionCatalog}: {@code preprocess}, {@code predict}, {@code
 * postprocess}, {@code evaluate}, {@code onObjectCreated}, {@code onSchedule}; the {@code :predict}
 * route runs {@value #PREDICT_RECORDS}.
 */
public final class TriadFunctions
    implements ApplicationContextInitializer<GenericApplicationContext> {
  public static final String PREDICT_RECORDS = "preprocess|predict|postprocess";

  @Override
  public void initialize(GenericApplicationContext context) {
    ModelDefaults.addTo(context.getEnvironment());
    context.registerBean(
        "triadProperties",
        TriadProperties.class,
        () ->
            Binder.get(context.getEnvironment())
                .bind("triad", Bindable.of(TriadProperties.class))
                .orElseGet(TriadProperties::defaults));
    context.registerBean(
        SigningSettings.class,
        () ->
            Binder.get(context.getEnvironment())
                .bind("triad.signing", Bindable.of(SigningSettings.class))
                .orElseGet(SigningSettings::defaults));
    context.registerBean(
        TrustedKeys.class,
        () -> TrustedKeys.of(context.getBean(SigningSettings.class).trustedKeys()));
    context.registerBean(
        PromotionKeys.class,
        () ->
            new PromotionKeys(
                context.getBean(SigningSettings.class),
                context.getBean(TrustedKeys.class),
                context.getBeanProvider(SigningKeySource.class).orderedStream().toList()));
    context.registerBean("triadJson", ObjectMapper.class, TriadJson::mapper);
    context.registerBean(
        OrtEnvironment.class,
        () -> {
          long began = io.triad.functions.metrics.StartPhases.begin();
          OrtEnvironment env = OrtEnvironment.getEnvironment(); // loads the native library
          io.triad.functions.metrics.StartPhases.end("context.onnxruntime-native", began);
          return env;
        });
    context.registerBean(
        ModelRegistry.class,
        () -> {
          TriadProperties p = context.getBean(TriadProperties.class);
          ModelLoader loader =
              new ModelLoader(
                  store(context),
                  json(context),
                  context.getBean(OrtEnvironment.class),
                  p.intraOpThreads(),
                  context.getBean(TrustedKeys.class),
                  context.getBean(TriadMetrics.class)::modelLoad);
          return new ModelRegistry(
              store(context),
              loader,
              new RegistrySettings(
                  p.aliasRefresh(), p.intraOpThreads(), 4, Set.copyOf(p.modelNames())));
        });
    context.registerBean(
        Predictor.class,
        () ->
            new Predictor(
                registry(context), new TensorCodec(context.getBean(OrtEnvironment.class))));
    context.registerBean(ReportWriter.class, () -> new ReportWriter(store(context), json(context)));
    context.registerBean(
        Evaluator.class,
        () ->
            new Evaluator(
                store(context),
                registry(context),
                context.getBean(Predictor.class),
                json(context),
                clock(context),
                properties(context).microBatchRows()));
    context.registerBean(
        PromotionGate.class,
        () ->
            new PromotionGate(
                store(context),
                registry(context),
                context.getBean(Evaluator.class),
                context.getBean(ReportWriter.class),
                properties(context),
                json(context),
                context.getBean(PromotionKeys.class),
                context.getBean(Replicator.class),
                context.getBean(TrainingCosts.class)));
    context.registerBean(
        TrainingCosts.class,
        () ->
            new TrainingCosts(
                store(context), json(context), properties(context).cost(), clock(context)));
    context.registerBean(
        Replicator.class,
        () ->
            new Replicator(
                store(context),
                json(context),
                model -> properties(context).model(model).replicas(),
                context
                        .getBeanProvider(ReplicaStores.class)
                        .getIfAvailable(() -> BlobStoreProvider::openUri)
                    ::open,
                clock(context)));

    function(
        context,
        "preprocess",
        PredictCall.class,
        InferenceCall.class,
        () -> timed(RequestPhases.Phase.PREPROCESS, new Preprocessor(registry(context))));
    function(
        context,
        "predict",
        InferenceCall.class,
        InferenceResponse.class,
        () -> timed(RequestPhases.Phase.PREDICT, context.getBean(Predictor.class)));
    function(
        context,
        "postprocess",
        InferenceResponse.class,
        Predictions.class,
        () -> timed(RequestPhases.Phase.POSTPROCESS, new Postprocessor(registry(context))));
    function(
        context,
        "evaluate",
        EvaluateCall.class,
        EvaluationReport.class,
        () -> context.getBean(Evaluator.class));
    function(
        context,
        "onObjectCreated",
        ObjectCreated.class,
        Outcome.class,
        () ->
            counted(
                context,
                new ObjectRouter(
                    new BatchScorer(
                        store(context),
                        registry(context),
                        context.getBean(Predictor.class),
                        json(context),
                        properties(context).microBatchRows(),
                        properties(context).maxUploadBytes(),
                        context.getBean(PayloadLog.class)),
                    context.getBean(Evaluator.class),
                    context.getBean(ReportWriter.class),
                    context.getBean(PromotionGate.class),
                    registry(context),
                    new FailureRecorder(
                        store(context),
                        json(context),
                        clock(context),
                        properties(context).maxFailedCopyBytes()),
                    driftMonitor(context),
                    store(context),
                    context.getBean(Telemetry.class)),
                TriadMetrics::outcome));
    function(
        context,
        "onSchedule",
        ScheduledTick.class,
        RetrainingReport.class,
        () ->
            counted(
                context,
                catchingUp(
                    context,
                    new Retraining(
                        store(context),
                        registry(context),
                        // the runtime's own launcher first, then any other cloud's it carries
                        context.getBeanProvider(TrainingLauncher.class).orderedStream().toList(),
                        properties(context),
                        json(context),
                        new ServedDrift(
                            store(context),
                            json(context),
                            registry(context),
                            driftMonitor(context),
                            model -> properties(context).model(model).payloads()),
                        context.getBean(TrainingCosts.class))),
                TriadMetrics::retraining));

    context.registerBean(
        PayloadLog.class,
        () ->
            new PayloadLog(
                store(context),
                json(context),
                clock(context),
                model -> properties(context).model(model).payloads(),
                properties(context).payloadFlush()),
        definition -> definition.setDestroyMethodName("close"));
    context.registerBean(
        TriadMetrics.class,
        () -> new TriadMetrics(java.util.Set.copyOf(properties(context).modelNames())));
    context.registerBean(
        Telemetry.class,
        () -> Telemetry.start(properties(context).otlp(), context.getBean(TriadMetrics.class)),
        definition -> definition.setDestroyMethodName("close"));
    context.registerBean(
        InferenceApi.class,
        () -> {
          FunctionCatalog catalog = context.getBean(FunctionCatalog.class);
          Function<InferenceCall, InferenceResponse> predict = catalog.lookup("predict");
          Function<PredictCall, Predictions> records = catalog.lookup(PREDICT_RECORDS);
          String version = TriadFunctions.class.getPackage().getImplementationVersion();
          return new InferenceApi(
              predict,
              records,
              registry(context),
              new ModelStates(registry(context), store(context), json(context)),
              json(context),
              properties(context).api(version),
              context.getBean(TriadMetrics.class),
              context.getBean(PayloadLog.class),
              context.getBean(Telemetry.class),
              context.getBean(Shadows.class),
              // the figures of the rollouts that decide from them (their checks start with traffic)
              context.getBean(Rollouts.class).figures());
        });
    context.registerBean(LiveFigures.class, () -> new LiveFigures(clock(context)::millis));
    context.registerBean(
        Rollouts.class,
        () ->
            new Rollouts(
                store(context),
                json(context),
                registry(context),
                context.getBean(LiveFigures.class),
                properties(context).modelNames(),
                model -> properties(context).model(model).rollout(),
                clock(context),
                properties(context).rolloutCheck()),
        definition -> definition.setDestroyMethodName("close"));
    context.registerBean(
        Shadows.class,
        () -> {
          Function<PredictCall, Predictions> records =
              context.getBean(FunctionCatalog.class).lookup(PREDICT_RECORDS);
          return new Shadows(
              records,
              registry(context),
              context.getBean(TriadMetrics.class),
              context.getBean(LiveFigures.class));
        },
        definition -> definition.setDestroyMethodName("close"));
    context.registerBean(
        ModelPriming.class,
        () ->
            new ModelPriming(
                context.getBean(InferenceApi.class),
                registry(context),
                properties(context).modelNames(),
                json(context)));
  }

  private static <I, O> void function(
      GenericApplicationContext context,
      String name,
      Class<I> in,
      Class<O> out,
      java.util.function.Supplier<Function<I, O>> target) {
    context.registerBean(
        name,
        FunctionRegistration.class,
        () ->
            new FunctionRegistration<>(target.get(), name)
                .type(ResolvableType.forClassWithGenerics(Function.class, in, out).getType()));
  }

  /** {@code function}, its time added to {@code phase} of the HTTP request it runs for. */
  private static <I, O> Function<I, O> timed(RequestPhases.Phase phase, Function<I, O> function) {
    return input -> RequestPhases.time(phase, () -> function.apply(input));
  }

  /**
   * {@code retraining}, each tick first bringing the replicas of the models it names (every model,
   * when it names none) to their production version: a store that was down catches up.
   */
  private static Function<ScheduledTick, RetrainingReport> catchingUp(
      GenericApplicationContext context, Function<ScheduledTick, RetrainingReport> retraining) {
    return tick -> {
      Replicator replicator = context.getBean(Replicator.class);
      for (String model :
          tick.models().isEmpty() ? properties(context).modelNames() : tick.models()) {
        try {
          replicator.catchUp(model);
        } catch (RuntimeException e) {
          // the source store failed: the next tick tries again; retraining goes on
          org.slf4j.LoggerFactory.getLogger(Replicator.class)
              .warn("model {}: replicas not caught up: {}", model, e.getMessage());
        }
      }
      return retraining.apply(tick);
    };
  }

  /** {@code function}, each result also handed to the metrics. */
  private static <I, O> Function<I, O> counted(
      GenericApplicationContext context,
      Function<I, O> function,
      java.util.function.BiConsumer<TriadMetrics, O> record) {
    TriadMetrics metrics = context.getBean(TriadMetrics.class);
    return input -> {
      O output = function.apply(input);
      record.accept(metrics, output);
      return output;
    };
  }

  private static DriftMonitor driftMonitor(GenericApplicationContext context) {
    return new DriftMonitor(
        new DriftReports(store(context), json(context)),
        clock(context),
        context.getBean(TriadMetrics.class)::drift);
  }

  private static BlobStore store(GenericApplicationContext context) {
    return context.getBean(BlobStore.class);
  }

  private static ModelRegistry registry(GenericApplicationContext context) {
    return context.getBean(ModelRegistry.class);
  }

  private static ObjectMapper json(GenericApplicationContext context) {
    return context.getBean("triadJson", ObjectMapper.class);
  }

  private static TriadProperties properties(GenericApplicationContext context) {
    return context.getBean(TriadProperties.class);
  }

  private static Clock clock(GenericApplicationContext context) {
    return context.getBeanProvider(Clock.class).getIfAvailable(Clock::systemUTC);
  }
}
