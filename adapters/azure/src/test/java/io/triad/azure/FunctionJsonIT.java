package io.triad.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The staging folder azure-functions-maven-plugin wrote in the package phase, as the host will read
 * it.
 */
class FunctionJsonIT {
  private final Path staging = Path.of(System.getProperty("triad.staging"));
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void package_should_write_one_function_json_per_function_when_the_build_packages()
      throws IOException {
    try (Stream<Path> files = Files.list(staging)) {
      assertThat(
              files
                  .filter(p -> Files.exists(p.resolve("function.json")))
                  .map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("http", "onObjectCreated", "onSchedule");
    }
    assertThat(
            json.readTree(staging.resolve("host.json").toFile())
                .at("/extensions/http/routePrefix")
                .asText("unset"))
        .as("an empty route prefix keeps the API's own paths")
        .isEmpty();
  }

  @Test
  void http_should_be_one_catch_all_route_with_function_keys_when_packaged() throws IOException {
    JsonNode function = function("http");
    JsonNode trigger = function.at("/bindings/0");

    assertThat(function.get("entryPoint").asText()).isEqualTo("io.triad.azure.HttpEntry.run");
    assertThat(trigger.get("type").asText()).isEqualTo("httpTrigger");
    assertThat(trigger.get("route").asText()).isEqualTo("{*path}");
    assertThat(trigger.get("authLevel").asText()).isEqualTo("FUNCTION");
    assertThat(trigger.get("dataType").asText()).isEqualTo("binary");
    assertThat(names(trigger.get("methods"))).contains("GET", "POST");
    assertThat(function.at("/bindings/1/type").asText()).isEqualTo("http");
  }

  @Test
  void onObjectCreated_should_be_an_event_grid_trigger_and_onSchedule_a_timer_when_packaged()
      throws IOException {
    JsonNode events = function("onObjectCreated");
    JsonNode timer = function("onSchedule");

    assertThat(events.get("entryPoint").asText()).isEqualTo("io.triad.azure.UploadEntry.run");
    assertThat(events.at("/bindings/0/type").asText()).isEqualTo("eventGridTrigger");
    assertThat(events.get("bindings")).hasSize(1);
    assertThat(timer.at("/bindings/0/type").asText()).isEqualTo("timerTrigger");
    assertThat(timer.at("/bindings/0/schedule").asText()).isEqualTo(ScheduleEntry.SCHEDULE);
  }

  @Test
  void lib_should_hold_only_linux_x64_natives_and_no_worker_jars_when_packaged()
      throws IOException {
    List<String> libs;
    try (Stream<Path> files = Files.list(staging.resolve("lib"))) {
      libs = files.map(p -> p.getFileName().toString()).toList();
    }
    assertThat(libs)
        .anyMatch(n -> n.startsWith("triad-functions-"))
        .noneMatch(n -> n.startsWith("azure-functions-java-"))
        .noneMatch(n -> n.contains("netty"));
    Path onnxruntime =
        staging
            .resolve("lib")
            .resolve(
                libs.stream().filter(n -> n.startsWith("onnxruntime-")).findFirst().orElseThrow());
    try (ZipFile jar = new ZipFile(onnxruntime.toFile())) {
      assertThat(
              jar.stream()
                  .map(e -> e.getName())
                  .filter(n -> n.startsWith("ai/onnxruntime/native/") && !n.endsWith("/")))
          .isNotEmpty()
          .allMatch(n -> n.startsWith("ai/onnxruntime/native/linux-x64/"));
    }
    Path zip = staging.getParent().getParent().resolve("triad-azure-functions.zip");
    try (ZipFile deploy = new ZipFile(zip.toFile())) {
      assertThat(deploy.getEntry("host.json"))
          .as("zip deploy wants host.json at the root")
          .isNotNull();
      assertThat(deploy.getEntry("http/function.json")).isNotNull();
    }
  }

  private JsonNode function(String name) throws IOException {
    return json.readTree(staging.resolve(name).resolve("function.json").toFile());
  }

  private static List<String> names(JsonNode array) {
    return array == null
        ? List.of()
        : Stream.iterate(0, i -> i < array.size(), i -> i + 1)
            .map(i -> array.get(i).asText())
            .toList();
  }
}
