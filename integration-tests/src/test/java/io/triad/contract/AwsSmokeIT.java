package io.triad.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code infra/smoke aws}, the command a user runs against a real account, run here as it is, in
 * its own process, against {@link AwsCloudDouble}: the SDK endpoints point at the doubles, and
 * {@code terraform} and {@code docker} are stand-ins that do what those tools do to the doubled
 * account (Terraform and Docker cannot run here). The stack it applies is the one it synthesizes
 * from the README's example {@code infra/triad.yaml}.
 */
class AwsSmokeIT {
  private static final Path ROOT = Path.of(System.getProperty("triad.root", ".."));

  /** infra/triad.yaml's region, which the smoke's stack keeps. */
  private static final String REGION = "eu-west-1";

  @Test
  void smoke_should_deployTrainScoreAndDestroy_when_pointedAtTheDoubles(@TempDir Path work)
      throws Exception {
    try (AwsCloudDouble cloud = account(work)) {
      Run run = smoke(cloud, work, List.of());
      System.out.println(run.output());

      assertThat(run.exit()).as(run.describe(cloud)).isZero();
      assertThat(run.output())
          .contains(
              "Apply complete!",
              "Login Succeeded",
              "promoted: models/iris/aliases/production = ",
              "\"id\":\"smoke-1\"",
              "Destroy complete!",
              "smoke PASSED")
          .containsPattern("GPU: [0-9.]+ min of g4dn.xlarge from submission")
          .containsPattern("functions: [0-9.]+ GB-s Lambda reported for 1 of 5 invocations")
          // infra/triad.yaml replicates; the disposable copy neither copies out nor lets in
          .doesNotContain("replica_role");
      assertThat(cloud.batch().runs().count("iris")).as("one training job").isEqualTo(1);
      assertThat(cloud.deployed()).as("nothing left deployed").isFalse();
    }
  }

  @Test
  void smoke_should_tearDownAndFail_when_aStepFails(@TempDir Path work) throws Exception {
    try (AwsCloudDouble cloud = account(work)) {
      // an image that was never built: docker tag refuses it, after the deploy
      Run run = smoke(cloud, work, List.of("--image", "triad-trainer:never-built"));

      assertThat(run.exit()).as(run.describe(cloud)).isEqualTo(1);
      assertThat(run.output())
          .contains(
              "No such image: triad-trainer:never-built", "Destroy complete!", "smoke FAILED");
      assertThat(cloud.deployed()).as("torn down after the failure").isFalse();
      assertThat(cloud.batch().runs().all()).isEmpty();
    }
  }

  @Test
  void smoke_should_stopBeforeAnythingExists_when_terraformCannotRun(@TempDir Path work)
      throws Exception {
    try (AwsCloudDouble cloud = account(work)) {
      Run run = smoke(cloud, work, List.of("--terraform", work.resolve("no-terraform").toString()));

      assertThat(run.exit()).as(run.output()).isEqualTo(1);
      assertThat(run.output())
          .contains("cannot run", "install it or name it with an option", "smoke FAILED")
          // nothing was applied, so there is nothing to destroy and no warning that some remains
          .doesNotContain("== tear down", "resources may remain");
      assertThat(cloud.toolCalls()).isEmpty();
    }
  }

  /** One doubled AWS account in {@link #REGION}, its trainer image read from models/Dockerfile. */
  private static AwsCloudDouble account(Path work) throws Exception {
    return new AwsCloudDouble(
        work.resolve("cloud"), new TrainerImage(work.resolve("trainer")), REGION);
  }

  /** What one run of the command printed, and its exit. */
  private record Run(int exit, String output) {
    String describe(AwsCloudDouble cloud) {
      StringBuilder jobs = new StringBuilder();
      cloud
          .batch()
          .runs()
          .all()
          .forEach(
              job ->
                  jobs.append("--- job ").append(job.jobId()).append(":\n").append(job.output()));
      return output
          + "\ntool calls: "
          + cloud.toolCalls()
          + "\n"
          + jobs
          + "\n"
          + cloud.lambda().logs();
    }
  }

  private static Run smoke(AwsCloudDouble cloud, Path work, List<String> extra) throws Exception {
    Path bin = Files.createDirectories(work.resolve("bin"));
    Path standIn = Path.of(AwsSmokeIT.class.getResource("/smoke/tool-double.mjs").toURI());
    for (String tool : List.of("terraform", "docker")) {
      Path script = bin.resolve(tool);
      Files.writeString(script, "#!/bin/sh\nexec node '" + standIn + "' " + tool + " \"$@\"\n");
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                ROOT.resolve("infra/smoke").toString(),
                "aws",
                "--project",
                "smoke-it",
                "--work",
                work.resolve("run").toString(),
                "--terraform",
                bin.resolve("terraform").toString(),
                "--docker",
                bin.resolve("docker").toString(),
                "--timeout-minutes",
                "5"));
    command.addAll(extra);
    Path log = work.resolve("smoke.log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(cloud.environment());
    Process process = builder.start();
    boolean ended = process.waitFor(10, TimeUnit.MINUTES);
    if (!ended) {
      process.destroyForcibly().waitFor();
    }
    return new Run(ended ? process.exitValue() : -1, Files.readString(log));
  }
}
