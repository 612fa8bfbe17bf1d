package io.triad.azure;

/** POSIX shell quoting: one argument stays one argument whatever it holds. */
final class ShellQuote {
  private ShellQuote() {}

  static String quote(String arg) {
    if (!arg.isEmpty() && arg.matches("[A-Za-z0-9_./:=@%+,-]+")) {
      return arg;
    }
    return "'" + arg.replace("'", "'\"'\"'") + "'";
  }
}
