package io.triad.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.http.InferenceApi;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.PlainText;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The HTTP front as a hostile client meets it: raw sockets on 127.0.0.1 that stall, lie about
 * lengths or send what no parser should accept, against the real server over the real API (iris
 * served from a temporary bucket).
 */
class LocalHttpServerTest {
  private static final String INFER =
      "{\"inputs\":[{\"name\":\"features\",\"shape\":[1,4],\"datatype\":\"FP32\","
          + "\"data\":[5.1,3.5,1.4,0.2]}]}";
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(2);

  @TempDir static Path bucket;
  private static ConfigurableApplicationContext app;
  private static LocalHttpServer server;
  private static final ObjectMapper json = new ObjectMapper();

  @BeforeAll
  static void start() {
    new TestModels(new FileSystemBlobStore(bucket)).publishIris("v1");
    app = TriadTestApp.start(bucket, new RecordingTrainingLauncher(), "triad.catalog=iris");
    server =
        new LocalHttpServer(
            app.getBean(InferenceApi.class),
            "127.0.0.1",
            0,
            new LocalProperties.Http(8, READ_TIMEOUT, 16 * 1024, 100, 8 * 1024, null));
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop();
    app.close();
  }

  @Test
  void server_should_answerHealthAndInferenceQuickly_when_64ConnectionsStallMidRequest()
      throws Exception {
    // given 64 connections that stop part-way: in the headers, in a declared body, in a chunk, and
    // after LF-only header lines
    List<Socket> stalled = new ArrayList<>();
    try {
      for (int i = 0; i < 16; i++) {
        stalled.add(open("POST /v2/models/iris/infer HTTP/1.1\r\nHost: x\r\nContent-Ty"));
        stalled.add(
            open(
                "POST /v2/models/iris/infer HTTP/1.1\r\nHost: x\r\nContent-Length: 4000\r\n\r\n"
                    + "{\"inputs\":"));
        stalled.add(
            open(
                "POST /v2/models/iris/infer HTTP/1.1\r\nHost: x\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n400\r\n{\"in"));
        stalled.add(open("GET /v2/health/ready HTTP/1.1\nHost: x\nAccept: a"));
      }

      // when health and inference are asked for meanwhile
      // then each answers within 100 ms (best of five, as the machine is shared)
      assertThat(bestMillis("GET /v2/health/live", null)).isLessThan(100);
      assertThat(bestMillis("GET /v2/health/ready", null)).isLessThan(100);
      assertThat(bestMillis("POST /v2/models/iris/infer", INFER)).isLessThan(100);
    } finally {
      for (Socket socket : stalled) {
        socket.close();
      }
    }
  }

  @Test
  void server_should_answer408_when_aBodyStallsPastTheReadTimeout() throws Exception {
    // given a request that declares 100 bytes and sends 10
    try (Socket socket =
        open(
            "POST /v2/models/iris/infer HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n"
                + "{\"inputs\"")) {
      // when the read timeout passes, then the client hears why, in JSON
      Reply reply = Reply.read(socket);
      assertThat(reply.status()).isEqualTo(408);
      assertThat(reply.error()).contains("stalled");
    }
  }

  @Test
  void server_should_deliverEvery413_when_aClientKeepsSendingBodiesOverTheLimit(@TempDir Path small)
      throws Exception {
    // given a server whose API takes 64 KiB, and a client that reuses its connections
    new TestModels(new FileSystemBlobStore(small)).publishIris("v1");
    // a system property outranks the runtime's application.yaml, as the command line does
    System.setProperty("triad.max-body-bytes", "65536");
    try (ConfigurableApplicationContext limited =
        TriadTestApp.start(small, new RecordingTrainingLauncher(), "triad.catalog=iris")) {
      System.clearProperty("triad.max-body-bytes");
      LocalHttpServer strict =
          new LocalHttpServer(
              limited.getBean(InferenceApi.class),
              "127.0.0.1",
              0,
              new LocalProperties.Http(8, READ_TIMEOUT, 16 * 1024, 100, 8 * 1024, null));
      strict.start();
      try {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        byte[] body = " ".repeat(100_000).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        // when 2,000 bodies of 100 kB (the contract fixture's) are posted one after another:
        // without
        // the drain, one in a few hundred lost its 413 to the reset of a socket closed unread
        for (int i = 0; i < 2000; i++) {
          java.net.http.HttpResponse<String> answer =
              client.send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create(strict.url() + "/v1/models/iris:predict"))
                      .header("Content-Type", "application/json")
                      .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
          // then every one is answered 413, none with a connection dropped before the answer
          assertThat(answer.statusCode()).as("post %d", i).isEqualTo(413);
        }
      } finally {
        strict.stop();
      }
    } finally {
      System.clearProperty("triad.max-body-bytes");
    }
  }

  @Test
  void server_should_answerPlainJson_when_theRequestIsMalformedOrOverALimit() throws Exception {
    // given requests the API never sees: unparseable, over a limit, or in an unsupported framing
    Map<String, Integer> requests =
        Map.of(
            "GET /v2\\models HTTP/1.1\r\nHost: x\r\n\r\n",
            400,
            "POST /v2/models/iris/infer HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
            400,
            "GET /" + "a".repeat(1 << 20) + " HTTP/1.1\r\nHost: x\r\n\r\n",
            414,
            "GET /v2/x?" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
            414,
            "GET /v2 HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(1 << 20) + "\r\n\r\n",
            431,
            "GET /v2 HTTP/1.1\r\nHost: x\r\n" + "X-N: 1\r\n".repeat(300) + "\r\n",
            431,
            "POST /v2/models/iris/infer HTTP/1.1\r\nHost: x\r\n"
                + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
            400,
            "\u0001\u0002 nonsense\r\n\r\n",
            400,
            "POST /v2/models/iris/infer HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n",
            413);
    for (Map.Entry<String, Integer> request : requests.entrySet()) {
      String shown = request.getKey().substring(0, Math.min(60, request.getKey().length()));
      // when each is sent
      try (Socket socket = open(request.getKey())) {
        Reply reply = Reply.read(socket);
        // then the answer is the expected status with a JSON error in plain words
        assertThat(reply.status()).as(shown).isBetween(400, 499);
        assertThat(reply.status()).as(shown).isEqualTo(request.getValue());
        assertThat(reply.contentType()).as(shown).startsWith("application/json");
        assertThat(reply.error()).as(shown).isNotBlank();
        PlainText.assertPlain(shown, reply.body());
      }
    }
  }

  @Test
  void server_should_answerTheApisJsonError_when_theBodyIsNotTheExpectedShape() throws Exception {
    // given an array where an object is expected
    try (Socket socket = open(post("/v2/models/iris/infer", "[]"))) {
      Reply reply = Reply.read(socket);
      // then 400 in plain words
      assertThat(reply.status()).isEqualTo(400);
      PlainText.assertPlain("[]", reply.body());
    }
  }

  private static long bestMillis(String requestLine, String body) throws IOException {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      String[] parts = requestLine.split(" ");
      String request =
          body == null
              ? parts[0] + " " + parts[1] + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
              : post(parts[1], body);
      long start = System.nanoTime();
      try (Socket socket = open(request)) {
        Reply reply = Reply.read(socket);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(reply.status()).as(requestLine).isEqualTo(200);
        best = Math.min(best, millis);
      }
    }
    return best;
  }

  private static String post(String path, String body) {
    return "POST "
        + path
        + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n"
        + "Content-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length
        + "\r\n\r\n"
        + body;
  }

  /** A connection that has sent {@code request} (as far as the server read it). */
  private static Socket open(String request) throws IOException {
    Socket socket = new Socket("127.0.0.1", server.port());
    socket.setSoTimeout((int) READ_TIMEOUT.multipliedBy(5).toMillis());
    try {
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    } catch (IOException e) {
      // the server answered and closed before the whole request was sent: the answer is readable
    }
    return socket;
  }

  /** An HTTP/1.1 answer read off a socket: the status line, headers, and a Content-Length body. */
  private record Reply(int status, String contentType, String body) {
    static Reply read(Socket socket) throws IOException {
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      try {
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
          int b = in.read();
          if (b < 0) {
            break;
          }
          head.write(b);
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError("no answer: " + head, e);
      }
      String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      String type = "";
      int length = 0;
      for (String line : lines) {
        String lower = line.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-type:")) {
          type = line.substring(13).trim();
        } else if (lower.startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      return new Reply(status, type, new String(in.readNBytes(length), StandardCharsets.UTF_8));
    }

    String error() throws IOException {
      JsonNode node = json.readTree(body);
      return node.path("error").asText();
    }
  }
}
