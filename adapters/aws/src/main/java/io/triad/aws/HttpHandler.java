package io.triad.aws;

/**
 * {@code io.triad.aws.HttpHandler::handleRequest}: the http function, whatever {@code
 * TRIAD_FUNCTION} says.
 */
public final class HttpHandler extends TriadHandler {
  public HttpHandler() {
    super(FunctionRole.HTTP);
  }
}
