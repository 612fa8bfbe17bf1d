package io.triad.aws.testing;

import io.triad.functions.testing.CloudCallLog;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the emulators and doubles record the cloud calls they answer, when the system property
 * {@value #PROPERTY} names a folder: s3rver writes {@code s3.jsonl} itself (raw requests), the Java
 * doubles write {@code aws.jsonl} (one call per line: service, caller, IAM action, resources). A
 * caller is the {@code triad/NAME} suffix AwsClients puts in every User-Agent.
 */
public final class CloudCalls {

  public static final String PROPERTY = CloudCallLog.PROPERTY;

  private static final Pattern CALLER = Pattern.compile("\\btriad/([a-z0-9-]+)");

  private CloudCalls() {}

  /** The log {@code name} in the recording folder, if recording is on. */
  public static Optional<Path> file(String name) {
    return CloudCallLog.file(name);
  }

  /** The Triad caller a User-Agent names, or {@code unnamed}. */
  public static String caller(String userAgent) {
    Matcher m = CALLER.matcher(userAgent == null ? "" : userAgent);
    return m.find() ? m.group(1) : "unnamed";
  }

  /** Appends one call made to a Java double to {@code aws.jsonl}, if recording is on. */
  public static void record(
      String service, String userAgent, String action, List<String> resources, int status) {
    record(service, userAgent, action, resources, status, Map.of());
  }

  /**
   * Appends one call, with the IAM condition keys its request sets ({@code
   * sts:IdentityTokenAudience}, say), to {@code aws.jsonl}, if recording is on.
   */
  public static void record(
      String service,
      String userAgent,
      String action,
      List<String> resources,
      int status,
      Map<String, String> context) {
    CloudCallLog.append(
        "aws.jsonl",
        Map.of(
            "service", service,
            "caller", caller(userAgent),
            "action", action,
            "resources", resources,
            "status", status,
            "context", context));
  }
}
