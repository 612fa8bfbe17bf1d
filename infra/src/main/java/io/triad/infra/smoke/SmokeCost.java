package io.triad.infra.smoke;

import io.triad.infra.config.TriadConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.batch.model.JobDetail;

/**
 * What one smoke run used and what that costs at the configuration's prices ({@code cost.prices}):
 * the GPU machine from the job's submission to its end (Batch starts the machine for it), the
 * function time Lambda reported for the invocations the smoke made, the requests. An estimate: the
 * bill itself (the resources carry the project tag) shows in Cost Explorer within a day.
 */
final class SmokeCost {
  private static final Pattern REPORT =
      Pattern.compile("Billed Duration: (\\d+) ms\\s+Memory Size: (\\d+) MB");

  private Instant deployed;
  private Instant destroyed;
  private Duration wallClock = Duration.ZERO;
  private JobDetail job;
  private double gbSeconds;
  private int reported;
  private int invocations;

  void deployed(Instant at) {
    deployed = at;
  }

  void destroyed(Instant at) {
    destroyed = at;
  }

  void wallClock(Duration duration) {
    wallClock = duration;
  }

  void job(JobDetail detail) {
    job = detail;
  }

  /** An invocation the smoke made, with the log tail Lambda returned ({@code LogType=Tail}). */
  void invocation(String logResult) {
    invocations++;
    if (logResult == null) {
      return;
    }
    Matcher report =
        REPORT.matcher(new String(Base64.getDecoder().decode(logResult), StandardCharsets.UTF_8));
    if (report.find()) {
      reported++;
      gbSeconds +=
          Long.parseLong(report.group(1)) / 1000.0 * (Long.parseLong(report.group(2)) / 1024.0);
    }
  }

  /**
   * An invocation of the upload function that S3 triggered (a candidate gated, an upload scored).
   */
  void s3Triggered() {
    invocations += 1;
  }

  void httpRequest() {
    invocations++;
  }

  String render(TriadConfig config) {
    TriadConfig.Prices prices = config.cost().prices().get("aws");
    StringBuilder out =
        new StringBuilder(
            "what the smoke used (USD at cost.prices; the bill, tagged project="
                + config.project()
                + ", shows in Cost Explorer within a day):\n");
    double total = 0;
    if (job != null && job.createdAt() != null && job.stoppedAt() != null) {
      Duration held = Duration.ofMillis(job.stoppedAt() - job.createdAt());
      Duration running =
          job.startedAt() == null
              ? Duration.ZERO
              : Duration.ofMillis(job.stoppedAt() - job.startedAt());
      double usd = held.toMillis() / 3_600_000.0 * prices.gpuMachineHour();
      total += usd;
      out.append(
          String.format(
              Locale.ROOT,
              "  %9.4f  GPU: %s of %s from submission to the job's end (%s running) at %.3f/h%n",
              usd,
              minutes(held),
              config.training().gpu().aws(config.training().gpuCount()).name(),
              minutes(running),
              prices.gpuMachineHour()));
    } else {
      out.append("             GPU: no job ran to its end\n");
    }
    double functions = gbSeconds * prices.gbSecond();
    total += functions;
    out.append(
        String.format(
            Locale.ROOT,
            "  %9.4f  functions: %.1f GB-s Lambda reported for %d of %d invocations (S3-triggered"
                + " ones and URL calls report no time to the caller)%n",
            functions,
            gbSeconds,
            reported,
            invocations));
    double requests = invocations / 1e6 * prices.millionRequests();
    total += requests;
    out.append(String.format(Locale.ROOT, "  %9.4f  requests: %d%n", requests, invocations));
    Duration up =
        deployed == null
            ? Duration.ZERO
            : Duration.between(deployed, destroyed == null ? Instant.now() : destroyed);
    out.append(
        String.format(
            Locale.ROOT,
            "  %9.4f  total, with the stack up %s of a %s run; not priced: the NAT gateway"
                + " (hourly, by region) and its data, CloudWatch Logs, S3 and ECR storage%n",
            total,
            minutes(up),
            minutes(wallClock)));
    return out.toString();
  }

  static String minutes(Duration duration) {
    return String.format(Locale.ROOT, "%.1f min", duration.toMillis() / 60_000.0);
  }
}
