package io.triad.local;

import io.triad.functions.http.HttpAnswer;
import io.triad.functions.http.HttpCall;
import io.triad.functions.http.InferenceApi;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Jetty's core server in front of {@link InferenceApi}: it turns a request into an {@link HttpCall}
 * and the {@link HttpAnswer} back, and keeps hostile clients to the cost of their own connection.
 *
 * <p>Headers are parsed and bodies read without holding a thread (a client that stalls holds a
 * connection until the read timeout, nothing more); a request takes a thread only once its body is
 * complete. Bodies are read up to the API's limit and no further. Every answer the server gives on
 * its own (a malformed request, headers or a URL too long, a body that stalls) is JSON {@code
 * {"error": …}} in plain words, like the API's own.
 */
public final class LocalHttpServer implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(LocalHttpServer.class);

  private final InferenceApi api;
  private final String host;
  private final int port;
  private final LocalProperties.Http limits;
  private final LocalPages pages;
  private Server server;
  private ServerConnector connector;

  public LocalHttpServer(InferenceApi api, String host, int port, LocalProperties.Http limits) {
    this(api, host, port, limits, null);
  }

  /**
   * @param pages what is answered besides the API (the page, reports, metrics), or null for none
   */
  LocalHttpServer(
      InferenceApi api, String host, int port, LocalProperties.Http limits, LocalPages pages) {
    this.api = api;
    this.host = host;
    this.port = port;
    this.limits = limits;
    this.pages = pages;
  }

  @Override
  public void start() {
    QueuedThreadPool pool = new QueuedThreadPool(limits.threads() + 4, 2);
    pool.setName("triad-http");
    // not daemons: the server's threads are what keeps the runtime's JVM running after main
    pool.setDaemon(false);
    pool.setReservedThreads(0);
    server = new Server(pool);
    HttpConfiguration config = new HttpConfiguration();
    config.setRequestHeaderSize(limits.maxHeaderBytes());
    config.setSendServerVersion(false);
    config.setSendXPoweredBy(false);
    // the API routes on the raw path and refuses any name that is not a model name, so an encoded
    // '/' or '..' reaches it and gets the same 404 as on the clouds instead of a parser 400
    config.setUriCompliance(
        UriCompliance.DEFAULT.with(
            "triad-raw-path",
            UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
            UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING,
            UriCompliance.Violation.AMBIGUOUS_PATH_SEGMENT,
            UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT));
    connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
    connector.setHost(host);
    connector.setPort(port);
    connector.setIdleTimeout(limits.readTimeout().toMillis());
    connector.setAcceptQueueSize(128);
    server.addConnector(connector);
    // past this many open connections Jetty stops accepting until one closes: each may hold a body
    // of up to the API's limit while it arrives, so this bounds what slow senders can pin
    server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
    server.setHandler(new ApiHandler());
    server.setErrorHandler(this::protocolError);
    server.setStopTimeout(5_000);
    try {
      server.start();
    } catch (Exception e) {
      stop();
      throw new UncheckedIOException(
          "cannot listen on "
              + host
              + ":"
              + port
              + " (is another Triad running? set --triad.local.port)",
          e instanceof IOException io ? io : new IOException(e.getMessage(), e));
    }
    log.info("HTTP API on {}", url());
  }

  /** The base URL, with the port actually bound. */
  public String url() {
    return "http://" + host + ":" + port();
  }

  public int port() {
    return connector.getLocalPort();
  }

  /** Checks the head, then reads the body without a thread and answers once it is complete. */
  private final class ApiHandler extends Handler.Abstract {
    ApiHandler() {
      super(InvocationType.BLOCKING);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      if (request.getHeaders().size() > limits.maxHeaders()) {
        send(
            response,
            callback,
            error(431, "the request has more than " + limits.maxHeaders() + " header fields"),
            true);
        return true;
      }
      if (request.getHttpURI().asString().length() > limits.maxUrlBytes()) {
        send(
            response,
            callback,
            error(414, "the URL is longer than " + limits.maxUrlBytes() + " bytes"),
            true);
        return true;
      }
      long declared = request.getLength();
      if (declared > api.maxBodyBytes()) {
        tooLarge(request, response, callback, 0);
        return true;
      }
      new BodyReader(request, response, callback).read();
      return true;
    }
  }

  /**
   * Reads a body chunk by chunk as the client sends it; between chunks it holds no thread, only a
   * demand that Jetty calls back on (or fails at the read timeout).
   */
  private final class BodyReader {
    private final Request request;
    private final Response response;
    private final Callback callback;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    BodyReader(Request request, Response response, Callback callback) {
      this.request = request;
      this.response = response;
      this.callback = callback;
    }

    void read() {
      while (true) {
        Content.Chunk chunk = request.read();
        if (chunk == null) {
          request.demand(this::read);
          return;
        }
        if (Content.Chunk.isFailure(chunk)) {
          unreadable(chunk.getFailure());
          return;
        }
        ByteBuffer bytes = chunk.getByteBuffer();
        if (body.size() + bytes.remaining() > api.maxBodyBytes()) {
          long read = body.size() + bytes.remaining();
          chunk.release();
          tooLarge(request, response, callback, read);
          return;
        }
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        body.writeBytes(copy);
        boolean last = chunk.isLast();
        chunk.release();
        if (last) {
          answer();
          return;
        }
      }
    }

    private void answer() {
      Map<String, String> headers = headers(request);
      if (pages != null) {
        java.util.Optional<HttpAnswer> page =
            pages.answer(request.getMethod(), request.getHttpURI().getPath());
        if (page.isPresent()) {
          send(response, callback, page.get(), false);
          return;
        }
      }
      // the raw path, as every runtime passes it: names and versions never need escaping
      HttpAnswer answer =
          api.handle(
              new HttpCall(
                  request.getMethod(),
                  request.getHttpURI().getPath(),
                  headers,
                  body.toByteArray()));
      send(response, callback, answer, false);
    }

    private void unreadable(Throwable failure) {
      HttpAnswer answer =
          failure instanceof TimeoutException
              ? error(
                  408,
                  "the request body stalled: nothing arrived for "
                      + limits.readTimeout().toSeconds()
                      + " s")
              : error(400, "the request body could not be read (malformed or cut short)");
      send(response, callback, answer, true);
    }
  }

  /**
   * Answers 413, then reads and drops what the client is still sending, up to {@link #drainLimit()}
   * bytes of the body in all and for no longer than one read timeout in all, before the connection
   * closes. Closed with unread bytes, the socket would be reset, and a reset can destroy the 413 in
   * the client's receive buffer before the client reads it: a client sending a body would see the
   * connection drop with no answer. A body larger than that, or one trickled slower, is cut off, so
   * a refused request holds its connection no longer than a stalled one.
   */
  private void tooLarge(Request request, Response response, Callback callback, long alreadyRead) {
    long limit = drainLimit();
    long deadline = System.nanoTime() + limits.readTimeout().toNanos();
    send(
        response,
        Callback.from(
            () -> new Drain(request, callback, limit - alreadyRead, deadline).read(),
            callback::failed),
        api.bodyTooLarge(headers(request)),
        true);
  }

  /** The request's headers, repeated ones joined with commas. */
  private static Map<String, String> headers(Request request) {
    Map<String, String> headers = new HashMap<>();
    for (HttpField field : request.getHeaders()) {
      headers.merge(field.getName(), field.getValue(), (a, b) -> a + "," + b);
    }
    return headers;
  }

  /** How much of a refused body is read and dropped so the 413 reaches the client. */
  private long drainLimit() {
    return Math.max(1L << 20, 4L * api.maxBodyBytes());
  }

  /**
   * Reads and releases a refused body's chunks until its end, until {@code left} bytes are gone, or
   * until {@code deadline} ({@link System#nanoTime()}) has passed.
   */
  private static final class Drain {
    private final Request request;
    private final Callback callback;
    private final long deadline;
    private long left;

    Drain(Request request, Callback callback, long left, long deadline) {
      this.request = request;
      this.callback = callback;
      this.left = left;
      this.deadline = deadline;
    }

    void read() {
      while (left > 0 && System.nanoTime() - deadline < 0) {
        Content.Chunk chunk = request.read();
        if (chunk == null) {
          request.demand(this::read);
          return;
        }
        boolean done = chunk.isLast() || Content.Chunk.isFailure(chunk);
        left -= chunk.remaining();
        chunk.release();
        if (done) {
          break;
        }
      }
      callback.succeeded();
    }
  }

  private static void send(
      Response response, Callback callback, HttpAnswer answer, boolean closeAfter) {
    response.setStatus(answer.status());
    answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
    if (closeAfter) {
      // what the client sent beyond this point is not read: the connection cannot be reused
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.body().length);
    response.write(true, ByteBuffer.wrap(answer.body()), callback);
  }

  /**
   * What Jetty answers on its own (a request it cannot parse, headers or a URL over the limit): the
   * status it chose, with a message in the API's words, never the server's or an exception's.
   */
  private boolean protocolError(Request request, Response response, Callback callback) {
    Object attribute = request.getAttribute(ErrorHandler.ERROR_STATUS);
    int status = attribute instanceof Integer code ? code : response.getStatus();
    if (status < 400) {
      status = 500;
    }
    send(response, callback, error(status, protocolMessage(status)), true);
    return true;
  }

  static String protocolMessage(int status) {
    return switch (status) {
      case 400 -> "malformed HTTP request";
      case 408 -> "the request was not completed in time";
      case 413 -> "the request is too large";
      case 414 -> "the URL is too long";
      case 431 -> "the request headers are too large";
      case 501 -> "this transfer or content encoding is not supported; send the body plain";
      case 505 -> "this HTTP version is not supported; use HTTP/1.1";
      default -> status < 500 ? "the request cannot be served" : "the server cannot answer";
    };
  }

  private HttpAnswer error(int status, String message) {
    return api.error(status, message);
  }

  @Override
  public void stop() {
    if (server != null) {
      try {
        server.stop();
      } catch (Exception e) {
        log.warn("the HTTP server did not stop cleanly: {}", e.getMessage());
      }
      server = null;
    }
  }

  @Override
  public boolean isRunning() {
    return server != null && server.isStarted();
  }
}
