package io.triad.infra.schema;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A Terraform provider's schema as its prebuilt CDKTF package on the npm registry describes it: the
 * package's jsii assembly ({@code package/.jsii}) names every resource and data source, each
 * argument with its Terraform name, whether it is required, whether it is a nested block or an
 * attribute, and its shape. Read straight from the pinned tarball (integrity-checked first), so the
 * schema is the official artifact's and never typed here by hand.
 *
 * <p>How the assembly says it: a resource class's summary links to its registry page ({@code
 * .../docs/resources/batch_pool azurerm_batch_pool}) and its initializer takes a {@code ...Config}
 * struct; a struct property is optional when marked so; a nested block's summary is "{@code name
 * block.}", an attribute's links to {@code ...#terraform_name}. An attribute whose type is a struct
 * is an object-typed attribute (the provider's "attribute-as-block"): in JSON every nested key of
 * it must be present.
 */
public final class ProviderSchema {

  /** What kind of Terraform object a class stands for. */
  public enum Kind {
    RESOURCE,
    DATA,
    PROVIDER
  }

  /** The shape of one argument's value. */
  public enum Shape {
    SCALAR,
    SCALAR_LIST,
    MAP,
    /** One nested object: a block with at most one item, or an object attribute. */
    OBJECT,
    /** A list or set of nested objects. */
    OBJECT_LIST,
    ANY
  }

  /** One argument of a resource, a data source, a provider or a nested block. */
  public record Argument(
      String name, boolean required, boolean block, Shape shape, String struct) {}

  /** A resource, data source or provider: its Terraform name and its arguments' struct. */
  public record Type(Kind kind, String name, String config) {}

  private static final Pattern REPRESENTS =
      Pattern.compile(
          "Represents a \\{@link https://registry\\.terraform\\.io/providers/[^/]+/([^/]+)/([^/]+)/docs"
              + "(?:/(resources|data-sources)/[^ ]+)? ([a-z0-9_]+)}");
  private static final Pattern ANCHOR = Pattern.compile("#([a-z0-9_]+) ");
  private static final Pattern BLOCK = Pattern.compile("^([a-z0-9_]+) block\\.");

  private final String provider;
  private final String version;
  private final Map<String, Type> resources = new HashMap<>();
  private final Map<String, Type> dataSources = new HashMap<>();
  private Type providerConfig;
  private final Map<String, Map<String, Argument>> structs = new HashMap<>();

  private ProviderSchema(String provider, String version) {
    this.provider = provider;
    this.version = version;
  }

  /**
   * Reads the schema out of a provider package's npm tarball after checking it against the pinned
   * Subresource Integrity value ({@code sha512-BASE64}, as the registry publishes it).
   */
  public static ProviderSchema read(Path tarball, String integrity) throws IOException {
    checkIntegrity(tarball, integrity);
    JsonNode packageJson = null;
    ProviderSchema schema = null;
    try (InputStream gz = new GZIPInputStream(Files.newInputStream(tarball), 1 << 16)) {
      TarEntries tar = new TarEntries(gz);
      for (TarEntries.Entry entry = tar.next(); entry != null; entry = tar.next()) {
        if (entry.name().equals("package/package.json")) {
          packageJson = new ObjectMapper().readTree(entry.content().readAllBytes());
        } else if (entry.name().equals("package/.jsii")) {
          schema = fromAssembly(entry.content());
        }
      }
    }
    if (schema == null || packageJson == null) {
      throw new IOException(tarball + " holds no package/.jsii and package/package.json");
    }
    String declared = packageJson.path("cdktf").path("provider").path("version").asText();
    if (!declared.equals(schema.version)) {
      throw new IOException(
          tarball
              + ": package.json says provider "
              + declared
              + ", the assembly "
              + schema.version);
    }
    return schema;
  }

  private static void checkIntegrity(Path tarball, String integrity) throws IOException {
    int dash = integrity.indexOf('-');
    if (dash < 0) {
      throw new IOException("integrity must read ALGORITHM-BASE64: " + integrity);
    }
    String algorithm = integrity.substring(0, dash).toUpperCase().replace("SHA", "SHA-");
    try {
      MessageDigest digest = MessageDigest.getInstance(algorithm);
      try (InputStream in = Files.newInputStream(tarball)) {
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
          digest.update(buffer, 0, n);
        }
      }
      String actual =
          integrity.substring(0, dash) + "-" + Base64.getEncoder().encodeToString(digest.digest());
      if (!actual.equals(integrity)) {
        throw new IOException(tarball + ": integrity " + actual + ", pinned " + integrity);
      }
    } catch (NoSuchAlgorithmException e) {
      throw new IOException("unknown integrity algorithm in " + integrity, e);
    }
  }

  /** Streams the assembly: one type at a time, so a 200 MB assembly never sits in memory whole. */
  static ProviderSchema fromAssembly(InputStream assembly) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> classes = new ArrayList<>();
    Map<String, JsonNode> interfaces = new HashMap<>();
    Map<String, Map<String, Argument>> structs = new HashMap<>();
    try (JsonParser parser = new JsonFactory().setCodec(mapper).createParser(assembly)) {
      expect(parser.nextToken(), JsonToken.START_OBJECT);
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        parser.nextToken();
        if (!field.equals("types")) {
          parser.skipChildren();
          continue;
        }
        expect(parser.currentToken(), JsonToken.START_OBJECT);
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String fqn = parser.currentName();
          parser.nextToken();
          JsonNode type = parser.readValueAsTree();
          String kind = type.path("kind").asText();
          if (kind.equals("class") && REPRESENTS.matcher(summary(type)).find()) {
            classes.add(type);
          } else if (kind.equals("interface") && type.path("datatype").asBoolean()) {
            structs.put(fqn, arguments(type));
            interfaces.put(fqn, type.path("interfaces"));
          }
        }
      }
    }
    ProviderSchema schema = null;
    for (JsonNode type : classes) {
      Matcher m = REPRESENTS.matcher(summary(type));
      m.find();
      if (schema == null) {
        schema = new ProviderSchema(m.group(1), m.group(2));
      }
      Optional<String> config = configOf(type);
      if (config.isEmpty()) {
        continue;
      }
      String section = m.group(3);
      Kind kind =
          section == null ? Kind.PROVIDER : section.equals("resources") ? Kind.RESOURCE : Kind.DATA;
      Type t = new Type(kind, m.group(4), config.get());
      switch (kind) {
        case RESOURCE -> schema.resources.put(t.name(), t);
        case DATA -> schema.dataSources.put(t.name(), t);
        case PROVIDER -> schema.providerConfig = t;
      }
    }
    if (schema == null || schema.providerConfig == null) {
      throw new IOException("the assembly describes no Terraform provider");
    }
    // A struct's own properties plus those of the structs it extends within this package
    // (cdktf.TerraformMetaArguments, outside it, are Terraform's meta-arguments).
    for (Map.Entry<String, Map<String, Argument>> struct : structs.entrySet()) {
      Map<String, Argument> all = new LinkedHashMap<>(struct.getValue());
      for (JsonNode parent : interfaces.get(struct.getKey())) {
        Map<String, Argument> inherited = structs.get(parent.asText());
        if (inherited != null) {
          all.putAll(inherited);
        }
      }
      schema.structs.put(struct.getKey(), all);
    }
    return schema;
  }

  private static void expect(JsonToken actual, JsonToken expected) throws IOException {
    if (actual != expected) {
      throw new IOException("jsii assembly: expected " + expected + ", found " + actual);
    }
  }

  private static String summary(JsonNode type) {
    return type.path("docs").path("summary").asText();
  }

  private static Optional<String> configOf(JsonNode type) {
    for (JsonNode parameter : type.path("initializer").path("parameters")) {
      if (parameter.path("name").asText().equals("config")) {
        return Optional.of(parameter.path("type").path("fqn").asText());
      }
    }
    return Optional.empty();
  }

  private static Map<String, Argument> arguments(JsonNode struct) {
    Map<String, Argument> arguments = new LinkedHashMap<>();
    for (JsonNode property : struct.path("properties")) {
      String summary = property.path("docs").path("summary").asText();
      Matcher block = BLOCK.matcher(summary);
      Matcher anchor = ANCHOR.matcher(summary);
      boolean isBlock = block.find();
      String name =
          isBlock
              ? block.group(1)
              : anchor.find() ? anchor.group(1) : snake(property.path("name").asText());
      JsonNode type = property.path("type");
      Argument argument =
          new Argument(
              name, !property.path("optional").asBoolean(), isBlock, shapeOf(type), structOf(type));
      arguments.put(name, argument);
    }
    return arguments;
  }

  /** The fqn of the struct a property's value is made of, or null for plain values. */
  private static String structOf(JsonNode type) {
    if (type.has("fqn") && !type.path("fqn").asText().startsWith("cdktf.")) {
      return type.path("fqn").asText();
    }
    for (JsonNode member : type.path("union").path("types")) {
      String inner = structOf(member);
      if (inner != null) {
        return inner;
      }
    }
    JsonNode element = type.path("collection").path("elementtype");
    return element.isMissingNode() ? null : structOf(element);
  }

  private static Shape shapeOf(JsonNode type) {
    if (type.has("primitive")) {
      String primitive = type.path("primitive").asText();
      return primitive.equals("any") || primitive.equals("json") ? Shape.ANY : Shape.SCALAR;
    }
    if (type.has("fqn")) {
      return type.path("fqn").asText().startsWith("cdktf.") ? Shape.ANY : Shape.OBJECT;
    }
    if (type.has("collection")) {
      JsonNode collection = type.path("collection");
      Shape element = shapeOf(collection.path("elementtype"));
      if (collection.path("kind").asText().equals("map")) {
        return element == Shape.SCALAR ? Shape.MAP : Shape.ANY;
      }
      return switch (element) {
        case SCALAR -> Shape.SCALAR_LIST;
        case OBJECT -> Shape.OBJECT_LIST;
        default -> Shape.ANY;
      };
    }
    Shape found = Shape.ANY;
    for (JsonNode member : type.path("union").path("types")) {
      Shape shape = shapeOf(member);
      if (shape != Shape.ANY) {
        found = shape;
      }
    }
    return found;
  }

  private static String snake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
  }

  /** The provider's local name, e.g. {@code azurerm}. */
  public String provider() {
    return provider;
  }

  /** The provider version the package was generated from, e.g. {@code 4.55.0}. */
  public String version() {
    return version;
  }

  public Optional<Type> resource(String name) {
    return Optional.ofNullable(resources.get(name));
  }

  public Optional<Type> dataSource(String name) {
    return Optional.ofNullable(dataSources.get(name));
  }

  public Type providerType() {
    return providerConfig;
  }

  /** The arguments of a struct, by Terraform name. */
  public Map<String, Argument> struct(String fqn) {
    Map<String, Argument> arguments = structs.get(fqn);
    if (arguments == null) {
      throw new IllegalArgumentException("the assembly has no struct " + fqn);
    }
    return arguments;
  }
}
