package io.triad.functions.model;

import io.triad.functions.api.TriadError;
import java.util.regex.Pattern;

/** The bucket layout of model packages, in one place. */
public final class ModelKeys {
  public static final String MODELS = "models/";
  public static final String CANDIDATES = "candidates/";
  public static final String MODEL_FILE = "model.onnx";
  public static final String MANIFEST_FILE = "manifest.json";
  public static final String PRODUCTION = "production";

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

  public static String modelFile(String name, String version) {
    return MODELS + name + "/" + version + "/" + MODEL_FILE;
  }

  public static String manifest(String name, String version) {
    return MODELS + name + "/" + version + "/" + MANIFEST_FILE;
  }

  public static String alias(String name, String alias) {
    return MODELS + name + "/aliases/" + alias;
  }

  public static String candidateDir(String name, String version) {
    return CANDIDATES + name + "/" + version + "/";
  }

  private static String clip(String s) {
    if (s == null) {
      return "(none)";
    }
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}
