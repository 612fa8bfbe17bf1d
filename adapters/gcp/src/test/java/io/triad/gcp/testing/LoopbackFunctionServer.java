package io.triad.gcp.testing;

import java.net.URI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * One of the Functions Framework's own request handlers ({@code HttpFunctionExecutor}, {@code
 * BackgroundFunctionExecutor}) on a Jetty server bound to 127.0.0.1 and a free port: the
 * framework's real decoding and error handling, without the stock {@code Invoker} main, which
 * listens on every interface.
 */
public final class LoopbackFunctionServer implements AutoCloseable {
  private final Server server = new Server();
  private final ServerConnector connector = new ServerConnector(server);

  public LoopbackFunctionServer(Handler executor) throws Exception {
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(executor);
    server.start();
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + connector.getLocalPort() + path);
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("the function server did not stop", e);
    }
  }
}
