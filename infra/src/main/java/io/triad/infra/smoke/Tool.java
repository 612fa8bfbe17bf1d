package io.triad.infra.smoke;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A command-line tool the smoke drives ({@code terraform}, {@code tofu}, {@code docker}), by the
 * path or name given; its output is echoed, indented, and kept for the caller.
 */
final class Tool {
  private final String executable;
  private final PrintStream console;

  Tool(String executable, PrintStream console) {
    this.executable = executable;
    this.console = console;
  }

  String name() {
    return executable;
  }

  /** Runs with {@code arguments} in {@code directory}; fails unless it exits 0. */
  String run(Path directory, byte[] stdin, List<String> arguments) {
    List<String> command = new ArrayList<>();
    command.add(executable);
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (directory != null) {
      builder.directory(directory.toFile());
    }
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new SmokeFailure(
          "cannot run "
              + executable
              + " (install it or name it with an option): "
              + e.getMessage());
    }
    try {
      try (var in = process.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin);
        }
      }
      ByteArrayOutputStream output = new ByteArrayOutputStream();
      echo(process.getInputStream(), output);
      int exit = process.waitFor();
      String text = output.toString(StandardCharsets.UTF_8);
      if (exit != 0) {
        throw new SmokeFailure(
            executable + " " + String.join(" ", redacted(arguments)) + " exited " + exit);
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      process.destroy();
      Thread.currentThread().interrupt();
      throw new SmokeFailure("interrupted while " + executable + " ran");
    }
  }

  /** Runs quietly: the output is returned, echoed only if it fails. */
  String quiet(Path directory, List<String> arguments) {
    List<String> command = new ArrayList<>();
    command.add(executable);
    command.addAll(arguments);
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(directory == null ? null : directory.toFile())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      process.getOutputStream().close();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new SmokeFailure(executable + " " + String.join(" ", arguments) + " failed");
      }
      return out;
    } catch (IOException e) {
      throw new SmokeFailure("cannot run " + executable + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SmokeFailure("interrupted while " + executable + " ran");
    }
  }

  private void echo(InputStream in, ByteArrayOutputStream copy) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b; (b = in.read()) >= 0; ) {
      copy.write(b);
      if (b == '\n') {
        console.println("    " + line.toString(StandardCharsets.UTF_8));
        line.reset();
      } else {
        line.write(b);
      }
    }
    if (line.size() > 0) {
      console.println("    " + line.toString(StandardCharsets.UTF_8));
    }
    console.flush();
  }

  /** Arguments as printed: nothing after a password flag. */
  private static List<String> redacted(List<String> arguments) {
    List<String> out = new ArrayList<>();
    boolean hide = false;
    for (String argument : arguments) {
      out.add(hide ? "***" : argument);
      hide = argument.equals("--password") || argument.equals("-p");
    }
    return out;
  }
}
