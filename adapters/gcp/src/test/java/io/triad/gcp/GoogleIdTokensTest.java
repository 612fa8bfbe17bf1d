package io.triad.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.triad.settings.GcpContract;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/**
 * The ID-token request as the metadata server's documented endpoint takes it (a server on 127.0.0.1
 * in its place records it), and an {@code s3://} replica refused in words when the stack gave no
 * role.
 */
class GoogleIdTokensTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/triad-gcp-replicas";
  private HttpServer server;
  private final List<String> asked = new CopyOnWriteArrayList<>();
  private final AtomicInteger status = new AtomicInteger(200);
  private final AtomicReference<String> body = new AtomicReference<>("aGVhZA.Ym9keQ.c2ln");

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          asked.add(
              exchange.getRequestURI()
                  + " flavor="
                  + exchange.getRequestHeaders().getFirst("Metadata-Flavor"));
          byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status.get(), bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void token_should_beAskedForTheAudienceWithTheMetadataHeader() {
    String token = new GoogleIdTokens(host(), ROLE).get();

    assertThat(token).isEqualTo("aGVhZA.Ym9keQ.c2ln");
    assertThat(asked)
        .containsExactly(
            "/computeMetadata/v1/instance/service-accounts/default/identity?audience="
                + "arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Ftriad-gcp-replicas&format=full"
                + " flavor=Google");
  }

  @Test
  void refusalOrNonsense_should_failInWords() {
    status.set(404);
    body.set("service account not found\n<html>");
    assertThatThrownBy(() -> new GoogleIdTokens(host(), ROLE).get())
        .hasMessage(
            "the metadata server refused an identity token (404): service account not found");

    status.set(200);
    body.set("<html>captive portal</html>");
    assertThatThrownBy(() -> new GoogleIdTokens(host(), ROLE).get())
        .hasMessage("the metadata server answered something that is no JWT");
  }

  @Test
  void s3Replica_should_beRefusedInWords_when_theStackGaveNoRole() {
    MockEnvironment env = new MockEnvironment();

    assertThatThrownBy(() -> GcpRuntime.replicaStores(env).open("s3://bucket"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(GcpContract.REPLICA_AWS_ROLE);
    env.setProperty(GcpContract.REPLICA_AWS_ROLE, ROLE);
    env.setProperty(GcpContract.REPLICA_AWS_REGION, "eu-west-1");
    assertThatThrownBy(() -> GcpRuntime.replicaStores(env).open("s3://bucket/folder"))
        .hasMessage("expected s3://bucket, got s3://bucket/folder");
  }

  private String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }
}
