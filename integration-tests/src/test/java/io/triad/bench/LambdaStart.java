package io.triad.bench;

import io.triad.aws.testing.LambdaProcess;
import io.triad.aws.testing.RuntimeApiServer;
import io.triad.bench.PipelineBenchmark.Percentiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Lambda function on the real runtime interface client, launched as the managed Java runtime
 * launches it ({@link LambdaProcess#startAsManagedRuntime}: only the runtime's jars on the JVM's
 * class path, the function loaded from the task root) against the test Runtime API. The event is
 * queued before the JVM starts, so the first {@code /next} gets it: launch to its answer is the
 * cold start. Then {@code warmCalls} timed events after {@link HttpStart#WARM_UP}, and VmHWM.
 */
public record LambdaStart(
    String name,
    Path java,
    Path taskRoot,
    String handler,
    List<String> jvmOptions,
    Map<String, String> env,
    byte[] event,
    int warmCalls,
    Path logDir)
    implements ColdStart {

  /** The managed java21 runtime's own JVM options (its bootstrap), for a 512 MB function. */
  public static final List<String> MANAGED_RUNTIME_OPTIONS =
      List.of(
          "-XX:MaxHeapSize=445645k",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "-Djava.net.preferIPv4Stack=true");

  @Override
  public Sample start() throws Exception {
    Path log = logDir.resolve(name.replaceAll("\\W+", "-") + ".log");
    try (RuntimeApiServer runtime = new RuntimeApiServer()) {
      var answer = runtime.invoke(event);
      long t0 = System.nanoTime();
      try (LambdaProcess process =
          LambdaProcess.startAsManagedRuntime(
              java, handler, runtime.address(), taskRoot, jvmOptions, env, log)) {
        RuntimeApiServer.Result first = answer.get(120, TimeUnit.SECONDS);
        long firstMs = (System.nanoTime() - t0) / 1_000_000;
        check(first, process);
        Map<String, Percentiles> warm =
            warmCalls > 0 ? Map.of("iris", warm(runtime, process)) : Map.of();
        long rss = process.peakRssKib();
        // a JVM that writes a CDS archive or an AOT cache does it on the way out: let it finish
        ProcessHandle.of(process.pid()).ifPresent(handle -> ChildJvm.stop(handle, 120));
        return Sample.of(firstMs, warm, rss);
      }
    }
  }

  private Percentiles warm(RuntimeApiServer runtime, LambdaProcess process) throws Exception {
    for (int i = 0; i < HttpStart.WARM_UP; i++) {
      check(runtime.invoke(event).get(60, TimeUnit.SECONDS), process);
    }
    long[] nanos = new long[warmCalls];
    for (int i = 0; i < warmCalls; i++) {
      long t = System.nanoTime();
      RuntimeApiServer.Result result = runtime.invoke(event).get(60, TimeUnit.SECONDS);
      nanos[i] = System.nanoTime() - t;
      check(result, process);
    }
    return Percentiles.of(nanos);
  }

  private void check(RuntimeApiServer.Result result, LambdaProcess process) {
    if (!result.ok() || !result.body().contains("\"statusCode\":200")) {
      throw new IllegalStateException(name + " answered " + result + "\n" + process.output());
    }
  }
}
