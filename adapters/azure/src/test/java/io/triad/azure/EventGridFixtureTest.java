package io.triad.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.azure.FunctionsHostDoubles.Invocation;
import io.triad.functions.api.ObjectCreated;
import io.triad.functions.api.Outcome;
import io.triad.functions.api.TriadJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every Event Grid fixture under {@code events/azure/event-grid/NAME.json} through the upload entry
 * point, as the Functions host hands the event's JSON to it, compared with {@code
 * NAME.expected.json}: the {@link ObjectCreated} delivered to {@code onObjectCreated}, or null when
 * the event is acknowledged without work. The function behind it records what it gets (the core's
 * handling is its own tests'); the host's context is a test double.
 */
class EventGridFixtureTest {
  private static final ObjectMapper JSON = TriadJson.mapper();

  @TestFactory
  Stream<DynamicTest> run_should_deliverWhatTheExpectedFileSays_when_givenEachFixture()
      throws URISyntaxException {
    Path dir = Path.of(getClass().getResource("/events/azure/event-grid").toURI());
    return fixtures(dir).stream()
        .map(event -> DynamicTest.dynamicTest(event.getFileName().toString(), () -> check(event)));
  }

  private static void check(Path event) throws IOException {
    // given
    List<ObjectCreated> delivered = new ArrayList<>();
    UploadEntry entry =
        new UploadEntry(
            new UploadEvents(
                created -> {
                  delivered.add(created);
                  return new Outcome.Ignored(created.key(), "recorded");
                },
                "triad",
                JSON));
    JsonNode expected =
        JSON.readTree(
            event
                .resolveSibling(event.getFileName().toString().replace(".json", ".expected.json"))
                .toFile());

    // when
    entry.run(Files.readString(event), new Invocation("onObjectCreated"));

    // then
    JsonNode want = expected.get("delivered");
    if (want.isNull()) {
      assertThat(delivered).as("%s is acknowledged without work", event.getFileName()).isEmpty();
    } else {
      assertThat(delivered)
          .as("delivered for %s", event.getFileName())
          .containsExactly(
              new ObjectCreated(
                  want.get("key").asText(),
                  want.get("size").asLong(),
                  want.get("etag").isNull() ? null : want.get("etag").asText()));
    }
  }

  private static List<Path> fixtures(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> events =
          files
              .filter(
                  f -> f.toString().endsWith(".json") && !f.toString().endsWith(".expected.json"))
              .sorted()
              .toList();
      assertThat(events).as("fixtures in %s", dir).hasSizeGreaterThanOrEqualTo(7);
      return events;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
