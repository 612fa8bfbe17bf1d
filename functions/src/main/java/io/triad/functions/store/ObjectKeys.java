package io.triad.functions.store;

import io.triad.functions.api.TriadError;

/** The one rule for object keys, applied on every runtime before a key reaches a store. */
public final class ObjectKeys {
  private static final int MAX_LENGTH = 1024;

  /**
   * The longest name (one segment between slashes) in UTF-8 bytes: file systems stop at 255, and
   * the outputs add a suffix to it.
   */
  public static final int MAX_NAME_BYTES = 200;

  private ObjectKeys() {}

  /**
   * Returns {@code key} if it is a safe relative key, else throws a 400: no leading '/', no
   * backslash, no empty, '.' or '..' segment, no control character.
   */
  public static String check(String key) {
    if (key == null || key.isEmpty()) {
      throw TriadError.badRequest("empty object key");
    }
    if (key.length() > MAX_LENGTH) {
      throw TriadError.badRequest("object key longer than " + MAX_LENGTH + " characters");
    }
    if (key.startsWith("/") || key.indexOf('\\') >= 0) {
      throw TriadError.badRequest("object key must be relative and use '/': " + printable(key));
    }
    for (int i = 0; i < key.length(); i++) {
      if (Character.isISOControl(key.charAt(i))) {
        throw TriadError.badRequest("object key has a control character: " + printable(key));
      }
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw TriadError.badRequest("object key leaves or skips a folder: " + printable(key));
      }
      if (segment.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
        throw TriadError.badRequest(
            "a name in the object key is longer than " + MAX_NAME_BYTES + " bytes");
      }
    }
    return key;
  }

  /**
   * Whether {@code key} is a forged event rather than an upload anyone could name: it tries to
   * leave its folder ({@code ..}, {@code .}, an empty segment, a leading '/' or a backslash) or
   * holds a NUL, which no file system or object store keeps in a name.
   */
  public static boolean isForged(String key) {
    if (key.startsWith("/") || key.indexOf('\\') >= 0 || key.indexOf('\0') >= 0) {
      return true;
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return true;
      }
    }
    return false;
  }

  /** Checks a prefix: like a key, but may be empty or end with '/'. */
  public static String checkPrefix(String prefix) {
    if (prefix.isEmpty()) {
      return prefix;
    }
    check(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
    return prefix;
  }

  /** {@code key} with control characters shown as escapes, at most 200 characters. */
  public static String printable(String key) {
    StringBuilder out = new StringBuilder();
    key.codePoints()
        .limit(200)
        .forEach(
            c ->
                out.append(
                    Character.isISOControl(c)
                        ? "\\u" + Integer.toHexString(c)
                        : Character.toString(c)));
    return out.toString();
  }
}
