package io.triad.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.TriadJson;
import io.triad.functions.http.HttpAnswer;
import io.triad.functions.http.ModelStates;
import io.triad.functions.model.ModelRegistry;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The page and the reports it links to, against hostile names: only HTML and JSON under the report
 * folders are served, never a model file, a path out of the bucket or a link; names are escaped in
 * the page and encoded in its links, and the links lead back to the same files.
 */
class LocalPagesTest {
  private static final ObjectMapper JSON = TriadJson.mapper();

  @TempDir Path bucket;
  @TempDir Path outside;

  @Test
  void reports_should_serveOnlyReportsInTheBucket_when_askedForAnythingElse() throws Exception {
    FileSystemBlobStore store = new FileSystemBlobStore(bucket);
    new TestModels(store).publishIris("1");
    String name = "evaluations/iris/1/my <b>\"flowers\" (2) é.html";
    store.put(name, "<p>the report</p>".getBytes(StandardCharsets.UTF_8));
    store.put(
        "evaluations/iris/1/gate.json",
        "{\"version\":\"1\",\"notes\":[\"promoted: <i>yes</i>\"]}"
            .getBytes(StandardCharsets.UTF_8));
    Files.writeString(outside.resolve("secret.html"), "secret");
    Files.createDirectories(bucket.resolve("evaluations/iris/2"));
    Files.createSymbolicLink(
        bucket.resolve("evaluations/iris/2/linked.html"), outside.resolve("secret.html"));
    try (ConfigurableApplicationContext app =
        TriadTestApp.start(bucket, new RecordingTrainingLauncher(), "triad.catalog=iris")) {
      LocalPages pages =
          new LocalPages(
              store,
              new ModelStates(app.getBean(ModelRegistry.class), store, JSON),
              List.of("iris"),
              () -> "# metrics\n",
              JSON);

      // the page escapes what it shows and encodes what it links to, and shows the drift check
      store.put(
          "monitoring/iris/1/drift-2026-12-05.json",
          "{\"version\":\"1\",\"drifted\":true,\"driftedShare\":0.75}"
              .getBytes(StandardCharsets.UTF_8));
      String page = body(pages, "/");
      assertThat(page)
          .contains("drift in version 1, 75% of features moved")
          .contains("href=\"/reports/monitoring/iris/1/drift-2026-12-05.html\"");
      assertThat(page).doesNotContain("canary");
      // and a canary, when its alias names one (or why its alias is ignored)
      store.put(
          "models/iris/aliases/canary",
          "{\"version\":\"2\",\"weight\":10}".getBytes(StandardCharsets.UTF_8));
      assertThat(body(pages, "/")).contains("version 2 answers 10% of requests");
      store.put("models/iris/aliases/canary", "{\"weight\":<b>".getBytes(StandardCharsets.UTF_8));
      assertThat(body(pages, "/")).contains("canary alias is not JSON").doesNotContain("<b>");
      store.delete("models/iris/aliases/canary");
      store.put(
          "models/iris/aliases/shadow",
          "{\"version\":\"3\",\"weight\":100}".getBytes(StandardCharsets.UTF_8));
      assertThat(body(pages, "/")).contains("version 3 is shown 100% of requests");
      store.delete("models/iris/aliases/shadow");
      assertThat(page)
          .contains("promoted: &lt;i&gt;yes&lt;/i&gt;")
          .contains("my &lt;b&gt;&quot;flowers&quot; (2) é.html")
          .doesNotContain("<b>", "<i>yes", "<script");
      String href = LocalPages.REPORTS + LocalPages.encode(name);
      assertThat(page).contains("href=\"" + href + "\"");
      assertThat(href).doesNotContain(" ", "<", "\"");

      // the link leads to the report
      HttpAnswer report = pages.answer("GET", href).orElseThrow();
      assertThat(report.status()).isEqualTo(200);
      assertThat(report.headers().get("Content-Type")).startsWith("text/html");
      assertThat(report.headers().get("Content-Security-Policy")).contains("default-src 'none'");
      assertThat(new String(report.body(), StandardCharsets.UTF_8)).isEqualTo("<p>the report</p>");

      // and nothing else is served
      for (String refused :
          List.of(
              "/reports/models/iris/1/model.onnx",
              "/reports/models/iris/1/manifest.json",
              "/reports/evaluations/iris/1/data.csv",
              "/reports/evaluations/../models/iris/1/manifest.json",
              "/reports/evaluations%2F..%2Fmodels%2Firis%2F1%2Fmanifest.json",
              "/reports/evaluations/iris/2/linked.html",
              "/reports/evaluations/iris/none.html",
              "/reports/evaluations/iris/1/%zz.html",
              "/reports/%2Fetc%2Fpasswd.html")) {
        HttpAnswer answer = pages.answer("GET", refused).orElseThrow();
        assertThat(answer.status()).as(refused).isEqualTo(404);
        assertThat(new String(answer.body(), StandardCharsets.UTF_8))
            .as(refused)
            .doesNotContain("secret", "sha256");
      }
      // POSTs and API paths are the API's
      assertThat(pages.answer("POST", "/")).isEmpty();
      assertThat(pages.answer("GET", "/v2/models")).isEmpty();
      assertThat(body(pages, "/metrics")).isEqualTo("# metrics\n");
    }
  }

  @Test
  void training_should_readAsWords_notAsAMap() {
    assertThat(
            LocalPages.training(
                Map.of(
                    "version", "20261205-0434",
                    "job", "local-7",
                    "status", "running",
                    "progress",
                        Map.of("text", "epoch 3/60 loss=0.41", "at", "2026-12-05T04:34:21Z"))))
        .isEqualTo("version 20261205-0434, job local-7, status running: epoch 3/60 loss=0.41");
  }

  @Test
  void decode_should_undoEncode_forAnyKey() {
    for (String key : List.of("a b/c+d%e", "é/ü/日本.html", "x/(1)~_-.json")) {
      assertThat(LocalPages.decode(LocalPages.encode(key))).isEqualTo(key);
    }
  }

  private static String body(LocalPages pages, String path) {
    HttpAnswer answer = pages.answer("GET", path).orElseThrow();
    assertThat(answer.status()).isEqualTo(200);
    return new String(answer.body(), StandardCharsets.UTF_8);
  }
}
