package io.triad.local;

import io.triad.functions.TriadContext;
import io.triad.functions.TriadFunctions;
import io.triad.functions.api.PlainWords;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The embedded runtime: the whole suite on one machine with no cloud. {@code java -jar
 * triad-local.jar [--triad.local.bucket=DIR] [--triad.local.port=N]}; {@code --help} lists the
 * options. A start that fails says why in one line and exits non-zero. Started by {@link
 * TriadContext}, as the clouds' functions are: settings come from the command line, the JVM, the
 * environment and the packaged {@code application.yaml}.
 */
public final class LocalApplication {
  private LocalApplication() {}

  /** Exit status for a command line that is not understood. */
  static final int USAGE = 2;

  /** Exit status for a runtime that could not start. */
  static final int FAILED = 1;

  /** Settings a user may give, by prefix: Triad's own and logging's. */
  private static final List<String> KNOWN = List.of("--triad.", "--logging.", "--debug", "--trace");

  static final String HELP =
      """
      Usage: java -jar triad-local.jar [--setting=value ...]

      Runs the whole Triad suite on this machine: a directory as the bucket, file uploads scored
      as they land, the HTTP API, scheduled retraining and the trainer as a child process.

        --triad.local.bucket=DIR          the bucket directory (.triad/bucket)
        --triad.local.host=ADDRESS        the address the HTTP API binds (127.0.0.1)
        --triad.local.port=N              the HTTP port, 0 for any free one (8080)
        --triad.local.bootstrap=M,...     models to train at start when none is served (iris)
        --triad.local.settle=DURATION     how long a new file must stay unchanged (300ms)
        --triad.local.training-timeout=D  how long one training job may run (30m)
        --triad.local.http.threads=N      calls run at once (8)
        --triad.local.http.read-timeout=D how long a connection may send nothing (30s)
        --triad.local.http.max-connections=N  open connections at once (512)
        --triad.catalog=M,...             the models the API and retraining know
        --triad.models.M.training-data=KEY, --triad.models.M.schedule=CRON, ...
        --triad.max-body-bytes=N          the largest HTTP body (6291456)
        --logging.level.io.triad=LEVEL    how much the runtime logs
        --help                            this text

      The README lists every setting; docs/architecture.md explains the parts.
      """;

  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * Runs the command line: {@code --help} prints the options and starts nothing; an unknown option
   * or a failed start is one line on {@code err} and a non-zero status. Returns 0 once started (the
   * runtime then runs until the JVM stops).
   */
  static int run(String[] args, PrintStream out, PrintStream err) {
    for (String arg : args) {
      if (arg.equals("--help") || arg.equals("-h")) {
        out.print(HELP);
        return 0;
      }
      if (KNOWN.stream().noneMatch(arg::startsWith) || !arg.contains("=") && isSetting(arg)) {
        err.println(
            "triad: unknown option '"
                + clip(arg)
                + "' (settings look like --triad.local.port=9090;"
                + " --help lists them)");
        return USAGE;
      }
    }
    try {
      start(args);
      return 0;
    } catch (RuntimeException e) {
      err.println("triad: cannot start: " + describe(e));
      return FAILED;
    }
  }

  private static boolean isSetting(String arg) {
    return !arg.equals("--debug") && !arg.equals("--trace");
  }

  /** Starts the runtime; the caller closes the context to stop it. */
  public static ConfigurableApplicationContext start(String... args) {
    return TriadContext.using(LocalApplication.class.getClassLoader())
        // a failed start is reported by main in one line, not as the context's warning and trace
        .properties(
            Map.of(
                "logging.level.org.springframework.context.support.GenericApplicationContext",
                "error"))
        .properties(settings(args))
        .start(new TriadFunctions(), new LocalRuntime());
  }

  /**
   * The command line's settings: each {@code --key=value}; {@code --debug} and {@code --trace} are
   * the runtime's own logging at that level.
   */
  static Map<String, String> settings(String... args) {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String arg : args) {
      if (arg.equals("--debug") || arg.equals("--trace")) {
        settings.put("logging.level.io.triad", arg.substring(2));
        continue;
      }
      int equals = arg.indexOf('=');
      if (!arg.startsWith("--") || equals < 3) {
        throw new IllegalArgumentException(
            "a setting looks like --triad.local.port=9090, not '" + clip(arg) + "'");
      }
      settings.put(arg.substring(2, equals), arg.substring(equals + 1));
    }
    return settings;
  }

  /** Why a start failed, in one line: the setting at fault, or the first plain reason given. */
  static String describe(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof BindException bind && bind.getProperty() != null) {
        return "the setting "
            + bind.getProperty().getName()
            + "="
            + clip(String.valueOf(bind.getProperty().getValue()))
            + " is not valid"
            + reason(bind.getCause());
      }
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null
          && (message.startsWith("cannot ") || message.startsWith("the "))
          && PlainWords.isPlain(message)) {
        return message + reason(t.getCause());
      }
    }
    Throwable root = failure;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return PlainWords.scrub(String.valueOf(root.getMessage()));
  }

  /** The operating system's or library's own reason, when it is plain words. */
  private static String reason(Throwable cause) {
    while (cause != null && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause == null || cause.getMessage() == null) {
      return "";
    }
    String message = PlainWords.scrub(cause.getMessage());
    return message.equals("the input cannot be read") ? "" : ": " + clip(message);
  }

  private static String clip(String text) {
    String line = text.replaceAll("\\s+", " ");
    return line.length() > 120 ? line.substring(0, 120) + "..." : line;
  }
}
