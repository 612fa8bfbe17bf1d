package io.triad.aws;

/**
 * {@code io.triad.aws.HttpEntry::handleRequest}: the http function, whatever {@code TRIAD_FUNCTION}
 * says.
 */
public final class HttpEntry extends LambdaEntry {
  public HttpEntry() {
    super(FunctionRole.HTTP);
  }
}
