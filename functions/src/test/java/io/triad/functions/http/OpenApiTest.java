package io.triad.functions.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.triad.functions.api.TriadJson;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code GET /openapi.json} describes the API as it is: the reference OpenAPI parser finds the
 * document valid, every route the API answers is described and every described path is a route, and
 * what each described GET answers has the status and the required fields the document says.
 */
class OpenApiTest {
  private static final ObjectMapper JSON = TriadJson.mapper();

  @TempDir Path bucket;

  @Test
  void openapi_should_describeEveryRouteAsAnswered() throws Exception {
    new TestModels(new FileSystemBlobStore(bucket)).publishIris("1");
    try (ConfigurableApplicationContext context =
        TriadTestApp.start(bucket, new RecordingTrainingLauncher(), "triad.catalog=iris")) {
      InferenceApi api = context.getBean(InferenceApi.class);

      // when the document is fetched as a client would
      HttpAnswer answer = api.handle(new HttpCall("GET", "/openapi.json", Map.of(), null));
      String text = new String(answer.body(), StandardCharsets.UTF_8);

      // then it is valid OpenAPI
      assertThat(answer.status()).isEqualTo(200);
      ParseOptions options = new ParseOptions();
      options.setResolve(true);
      SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(text, null, options);
      assertThat(parsed.getMessages()).as("the parser's findings").isEmpty();
      OpenAPI openApi = parsed.getOpenAPI();
      assertThat(openApi.getOpenapi()).startsWith("3.0");

      // every described path is a route, and every route is described
      Set<InferenceApi.Route.Kind> described = EnumSet.noneOf(InferenceApi.Route.Kind.class);
      for (Map.Entry<String, PathItem> path : openApi.getPaths().entrySet()) {
        String concrete = path.getKey().replace("{model}", "iris").replace("{version}", "1");
        InferenceApi.Route.Kind kind = InferenceApi.Route.parse(concrete).kind();
        assertThat(kind).as(path.getKey()).isNotEqualTo(InferenceApi.Route.Kind.UNKNOWN);
        described.add(kind);

        // and each GET answers as described
        Operation get = path.getValue().getGet();
        if (get != null) {
          HttpAnswer got = api.handle(new HttpCall("GET", concrete, Map.of(), null));
          assertThat(get.getResponses()).as(concrete).containsKey(Integer.toString(got.status()));
          assertThat(got.headers()).as(concrete).containsKey("x-request-id");
          Schema<?> schema =
              resolve(
                  openApi,
                  get.getResponses()
                      .get(Integer.toString(got.status()))
                      .getContent()
                      .get("application/json")
                      .getSchema());
          JsonNode body = JSON.readTree(got.body());
          if (schema.getRequired() != null) {
            for (String field : schema.getRequired()) {
              assertThat(body.has(field)).as("%s answers with %s", concrete, field).isTrue();
            }
          }
        }
      }
      assertThat(described)
          .containsExactlyInAnyOrderElementsOf(
              EnumSet.complementOf(EnumSet.of(InferenceApi.Route.Kind.UNKNOWN)));
    }
  }

  private static Schema<?> resolve(OpenAPI openApi, Schema<?> schema) {
    String ref = schema.get$ref();
    if (ref == null) {
      return schema;
    }
    return openApi.getComponents().getSchemas().get(ref.substring(ref.lastIndexOf('/') + 1));
  }
}
