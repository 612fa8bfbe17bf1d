package io.triad.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The doubles' trainer image is what models/Dockerfile says, composed as Docker composes it. */
class TrainerImageTest {
  @TempDir Path work;

  @Test
  void entrypoint_should_be_the_dockerfiles_final_stage_exec_form() throws Exception {
    TrainerImage image = new TrainerImage(work);

    assertThat(image.entrypoint())
        .containsExactly(
            "java",
            "-Dai.djl.offline=true",
            "-cp",
            TrainerImage.IMAGE_CLASSPATH,
            TrainerImage.TRAINER);
  }

  @Test
  void process_should_append_the_command_to_the_entrypoint_or_replace_both_when_overridden()
      throws Exception {
    Path dockerfile = work.resolve("Dockerfile");
    Files.writeString(
        dockerfile,
        String.join(
            "\n",
            "FROM debian AS build",
            "ENTRYPOINT [\"make\"]",
            "FROM debian",
            "ENV A=1 \\",
            "    B=\"two words\"",
            "ENTRYPOINT [\"/app/run\", \"--fast\"]",
            "CMD [\"--help\"]"));
    TrainerImage image = new TrainerImage(dockerfile, work.resolve("image"));

    assertThat(image.process(null, List.of())).containsExactly("/app/run", "--fast", "--help");
    assertThat(image.process(null, List.of("--model", "iris")))
        .containsExactly("/app/run", "--fast", "--model", "iris");
    assertThat(image.process("/bin/sh", List.of())).containsExactly("/bin/sh");
    assertThat(image.process("/bin/sh", List.of("-c", "exit 3")))
        .containsExactly("/bin/sh", "-c", "exit 3");
  }

  @Test
  void constructor_should_refuse_a_shell_form_entrypoint_which_would_drop_the_jobs_command()
      throws Exception {
    Path dockerfile = work.resolve("Dockerfile");
    Files.writeString(dockerfile, "FROM debian\nENTRYPOINT java -cp /opt/triad/lib/* Main\n");

    assertThatThrownBy(() -> new TrainerImage(dockerfile, work.resolve("image")))
        .hasMessageContaining("exec form");
  }
}
