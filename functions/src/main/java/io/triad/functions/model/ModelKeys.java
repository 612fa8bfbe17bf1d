package io.triad.functions.model;

import io.triad.functions.api.TriadError;
import java.util.regex.Pattern;

/** What may be a model name or a version; the keys built from them are {@code BucketLayout}'s. */
public final class ModelKeys {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private ModelKeys() {}

  public static String checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw TriadError.notFound("no such model: " + clip(name));
    }
    return name;
  }

  public static String checkVersion(String version) {
    if (version == null || !VERSION.matcher(version).matches()) {
      throw TriadError.notFound("no such version: " + clip(version));
    }
    return version;
  }

  private static String clip(String s) {
    if (s == null) {
      return "(none)";
    }
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}
