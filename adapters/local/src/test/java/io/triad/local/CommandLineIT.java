package io.triad.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as a user meets it, in a JVM of its own (main exits with a status): help without
 * starting anything, an unknown option refused, and a start that cannot happen said in one line
 * with a non-zero exit, never a stack trace.
 */
class CommandLineIT {
  @TempDir Path home;

  private record Run(int exit, String out, String err) {}

  private Run run(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(LocalApplication.class.getName());
    command.addAll(List.of(args));
    Path out = home.resolve("out.txt");
    Path err = home.resolve("err.txt");
    Process process =
        new ProcessBuilder(command)
            .directory(home.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    try {
      assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("exits by itself").isTrue();
    } finally {
      process.destroyForcibly();
    }
    return new Run(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static void assertOneLine(Run run, String contains) {
    assertThat(run.err().strip().lines().toList()).as(run.err()).hasSize(1);
    assertThat(run.err()).contains(contains).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(run.out()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void help_should_printTheOptionsAndStartNothing() throws Exception {
    // when
    Run run = run("--help", "--triad.local.bucket=" + home.resolve("bucket"));

    // then the options, exit 0, and no bucket, server or training
    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("--triad.local.bucket=DIR", "--triad.local.port=N");
    assertThat(home.resolve("bucket")).doesNotExist();
  }

  @Test
  void unknownOption_should_beRefusedInOneLine() throws Exception {
    Run run = run("--bukket=/tmp/x");
    assertThat(run.exit()).isEqualTo(LocalApplication.USAGE);
    assertOneLine(run, "unknown option '--bukket=/tmp/x'");
  }

  @Test
  void takenPort_should_failInOneLineWithANonZeroExit() throws Exception {
    // given a port another process holds
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      // when the runtime is started on it
      Run run =
          run(
              "--triad.local.bucket=" + home.resolve("bucket"),
              "--triad.local.port=" + taken.getLocalPort(),
              "--triad.local.bootstrap=");

      // then one line says so
      assertThat(run.exit()).isEqualTo(LocalApplication.FAILED);
      assertOneLine(run, "cannot listen on 127.0.0.1:" + taken.getLocalPort());
    }
  }

  @Test
  void bucketThatIsAFile_should_failInOneLine() throws Exception {
    Path file = Files.writeString(home.resolve("not-a-folder"), "x");
    Run run = run("--triad.local.bucket=" + file, "--triad.local.port=0");
    assertThat(run.exit()).isEqualTo(LocalApplication.FAILED);
    assertOneLine(run, "cannot create bucket directory");
  }

  @Test
  void badSetting_should_nameTheSettingInOneLine() throws Exception {
    Run run = run("--triad.local.bucket=" + home.resolve("bucket"), "--triad.local.port=eighty");
    assertThat(run.exit()).isEqualTo(LocalApplication.FAILED);
    assertOneLine(run, "triad.local.port=eighty is not valid");
  }
}
