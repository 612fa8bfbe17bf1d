package io.triad.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.TestModels;
import io.triad.layout.BucketLayout;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One broken model never takes the others down: the runtime starts on a bucket where three models'
 * packages are broken in three ways, serves iris, and reports each broken one.
 */
class BrokenModelsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path home;

  @Test
  void start_should_serveTheGoodModelAndReportEachBrokenOne_when_aliasesAndManifestsAreBroken()
      throws Exception {
    // given iris served; digits' alias naming a missing version; wine's manifest cut short;
    // penguins' manifest naming another model
    Path bucket = home.resolve("bucket");
    FileSystemBlobStore store = new FileSystemBlobStore(bucket);
    TestModels models = new TestModels(store);
    models.publishIris("1");
    models.promote("digits", "9");
    models.publish("wine", "1", TestModels.irisOnnx());
    store.put(BucketLayout.manifest("wine", "1"), "{\"name\": \"wi".getBytes(UTF_8));
    store.put(BucketLayout.modelFile("penguins", "1"), TestModels.irisOnnx());
    store.put(
        BucketLayout.manifest("penguins", "1"), store.read(BucketLayout.manifest("iris", "1")));
    models.sign("penguins", "1"); // signed as it is: only the name inside is wrong
    models.promote("penguins", "1");

    // when the runtime starts with all four to bootstrap
    try (ConfigurableApplicationContext context =
        LocalApplication.start(
            "--triad.local.bucket=" + bucket,
            "--triad.local.port=0",
            // mnist is in the catalog (its settings come from the shared defaults) but not
            // bootstrapped
            "--triad.catalog=iris,digits,wine,penguins,mnist",
            "--triad.local.bootstrap=iris,digits,wine,penguins",
            "--" + TestModels.TRUST_SETTING)) {
      LocalClient client = new LocalClient(context.getBean(LocalHttpServer.class).url());

      // then iris serves
      assertThat(client.get("/v2/models/iris/ready").statusCode()).isEqualTo(200);
      assertThat(
              client
                  .post(
                      "/v2/models/iris/infer",
                      "{\"inputs\":[{\"name\":\"features\",\"shape\":[1,4],"
                          + "\"datatype\":\"FP32\",\"data\":[5.1,3.5,1.4,0.2]}]}")
                  .statusCode())
          .isEqualTo(200);

      // and the server is not ready, naming each broken model
      var ready = client.get("/v2/health/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).contains("digits", "wine", "penguins").doesNotContain("iris:");

      // and the model list gives each its state and reason (mnist, in the catalog but not
      // bootstrapped, was never trained)
      Map<String, String> states = new TreeMap<>();
      for (JsonNode model : JSON.readTree(client.get("/v2/models").body()).get("models")) {
        states.put(model.get("name").asText(), model.get("state").asText());
        if (!model.get("name").asText().equals("iris")) {
          assertThat(model.get("reason").asText()).as(model.toString()).isNotBlank();
        }
      }
      assertThat(states)
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "iris", "ready",
                  "digits", "unavailable",
                  "wine", "unavailable",
                  "penguins", "unavailable",
                  "mnist", "untrained"));
    }
  }
}
