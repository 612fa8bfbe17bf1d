package io.triad.permissions;

import java.util.List;

/**
 * What the clouds' condition languages share here: tokens read left to right, {@code OR} over
 * {@code AND} over terms, parentheses, and a refusal of anything the reader does not know, so a
 * grant it cannot read fails the check instead of passing it.
 */
abstract class Conditions {

  protected final List<String> tokens;
  protected int at;
  private final String or;
  private final String and;
  private final String language;

  protected Conditions(List<String> tokens, String or, String and, String language) {
    this.tokens = tokens;
    this.or = or;
    this.and = and;
    this.language = language;
  }

  /** The whole expression's value; a token left over is refused. */
  protected final boolean evaluate() {
    boolean value = or();
    if (at != tokens.size()) {
      throw unreadable("trailing " + tokens.get(at));
    }
    return value;
  }

  protected final boolean or() {
    boolean value = and();
    while (peek(or)) {
      at++;
      value |= and();
    }
    return value;
  }

  private boolean and() {
    boolean value = term();
    while (peek(and)) {
      at++;
      value &= term();
    }
    return value;
  }

  /** A parenthesized expression, a negation or a comparison, at {@link #at}. */
  protected abstract boolean term();

  /** {@code ( expression )} at {@link #at}. */
  protected final boolean parenthesized() {
    expect("(");
    boolean value = or();
    expect(")");
    return value;
  }

  protected final boolean peek(String token) {
    return at < tokens.size() && tokens.get(at).equals(token);
  }

  protected final void expect(String token) {
    if (!peek(token)) {
      throw unreadable("expected " + token);
    }
    at++;
  }

  protected final IllegalArgumentException unreadable(String what) {
    return new IllegalArgumentException(language + " not modelled (" + what + "): " + tokens);
  }
}
