package io.triad.infra.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.triad.infra.schema.ProviderSchema.Argument;
import io.triad.infra.schema.ProviderSchema.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a synthesized stack ({@code cdk.tf.json}) against a provider's schema the way Terraform
 * reads JSON configuration: every resource and data source type must exist; every argument must be
 * known, every required one present (null counts as absent); a nested block is an object or a list
 * of objects, never an expression; an object-typed attribute (an "attribute-as-block") must carry
 * every one of its keys, null where unset. Each problem names its JSON path.
 */
public final class SchemaCheck {

  /** Terraform's meta-arguments, allowed on every resource and data source. */
  private static final Set<String> META =
      Set.of(
          "//",
          "count",
          "depends_on",
          "for_each",
          "provider",
          "lifecycle",
          "provisioner",
          "connection");

  private final ProviderSchema schema;
  private final List<String> problems = new ArrayList<>();

  private SchemaCheck(ProviderSchema schema) {
    this.schema = schema;
  }

  /** Every problem found in {@code stack}; empty when Terraform would accept it. */
  public static List<String> problems(JsonNode stack, ProviderSchema schema) {
    SchemaCheck check = new SchemaCheck(schema);
    check.stack(stack);
    return List.copyOf(check.problems);
  }

  private void stack(JsonNode stack) {
    String prefix = schema.provider() + "_";
    JsonNode required = stack.path("terraform").path("required_providers").path(schema.provider());
    String path = "terraform.required_providers." + schema.provider();
    if (required.isMissingNode()) {
      problems.add(path + ": missing, so Terraform would pick any version");
    } else {
      String constraint = required.path("version").asText();
      VersionConstraint.problem(constraint, schema.version())
          .ifPresent(p -> problems.add(path + ".version: " + p));
      String source = required.path("source").asText();
      if (!source.equals(schema.provider()) && !source.equals("hashicorp/" + schema.provider())) {
        problems.add(path + ".source: '" + source + "' is not hashicorp/" + schema.provider());
      }
    }
    for (JsonNode config : listOf(stack.path("provider").path(schema.provider()))) {
      struct("provider." + schema.provider(), config, schema.providerType().config(), false);
    }
    blocks(stack, "resource", prefix, true);
    blocks(stack, "data", prefix, false);
  }

  private void blocks(JsonNode stack, String section, String prefix, boolean resources) {
    for (Map.Entry<String, JsonNode> byType : stack.path(section).properties()) {
      String type = byType.getKey();
      String at = section + "." + type;
      if (!type.startsWith(prefix)) {
        problems.add(at + ": no schema for the provider of " + type + " (only " + prefix + "*)");
        continue;
      }
      var known = resources ? schema.resource(type) : schema.dataSource(type);
      if (known.isEmpty()) {
        problems.add(
            at
                + ": "
                + (resources ? "resource" : "data source")
                + " type unknown to "
                + schema.provider()
                + " "
                + schema.version());
        continue;
      }
      for (Map.Entry<String, JsonNode> instance : byType.getValue().properties()) {
        struct(at + "." + instance.getKey(), instance.getValue(), known.get().config(), true);
      }
    }
  }

  private void struct(String path, JsonNode value, String fqn, boolean topLevel) {
    if (!value.isObject()) {
      problems.add(path + ": must be an object, found " + kind(value));
      return;
    }
    Map<String, Argument> arguments = schema.struct(fqn);
    for (Map.Entry<String, JsonNode> field : value.properties()) {
      String name = field.getKey();
      Argument argument = arguments.get(name);
      if (argument == null) {
        if (!(topLevel && META.contains(name))) {
          problems.add(path + "." + name + ": unknown argument");
        }
        continue;
      }
      argument(path + "." + name, field.getValue(), argument);
    }
    for (Argument argument : arguments.values()) {
      JsonNode given = value.path(argument.name());
      boolean absent =
          given.isMissingNode()
              || given.isNull()
              || argument.block() && given.isContainerNode() && given.isEmpty();
      if (argument.required() && absent) {
        problems.add(
            path
                + "."
                + argument.name()
                + ": required "
                + (argument.block() ? "block" : "argument")
                + " missing");
      }
    }
  }

  private void argument(String path, JsonNode value, Argument argument) {
    if (argument.block()) {
      block(path, value, argument);
      return;
    }
    if (value.isNull() || isExpression(value)) {
      return;
    }
    switch (argument.shape()) {
      case SCALAR -> {
        if (!value.isValueNode()) {
          problems.add(path + ": must be a single value, found " + kind(value));
        }
      }
      case SCALAR_LIST -> {
        if (!value.isArray()) {
          problems.add(path + ": must be a list, found " + kind(value));
        } else {
          for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isValueNode()) {
              problems.add(
                  path + "[" + i + "]: must be a single value, found " + kind(value.get(i)));
            }
          }
        }
      }
      case MAP -> {
        if (!value.isObject()) {
          problems.add(path + ": must be a map, found " + kind(value));
        } else {
          value
              .properties()
              .forEach(
                  e -> {
                    if (!e.getValue().isValueNode()) {
                      problems.add(path + "." + e.getKey() + ": must be a single value");
                    }
                  });
        }
      }
      case OBJECT, OBJECT_LIST -> objectAttribute(path, value, argument);
      case ANY -> {}
    }
  }

  /** A nested block: an object or a list of objects, each checked against the block's struct. */
  private void block(String path, JsonNode value, Argument argument) {
    if (argument.struct() == null) {
      problems.add(path + ": the schema gives this block no struct");
      return;
    }
    if (value.isTextual()) {
      problems.add(path + ": a block cannot be set from an expression (use a dynamic block)");
      return;
    }
    List<JsonNode> items = listOf(value);
    if (argument.shape() == Shape.OBJECT && items.size() > 1) {
      problems.add(path + ": at most one " + argument.name() + " block, found " + items.size());
    }
    for (int i = 0; i < items.size(); i++) {
      struct(value.isArray() ? path + "[" + i + "]" : path, items.get(i), argument.struct(), false);
    }
  }

  /**
   * An object-typed attribute: Terraform converts the JSON value to the attribute's object type,
   * which needs every attribute of it present (an unset one as null).
   */
  private void objectAttribute(String path, JsonNode value, Argument argument) {
    List<JsonNode> items;
    if (argument.shape() == Shape.OBJECT_LIST) {
      if (!value.isArray()) {
        problems.add(
            path
                + ": an attribute (not a block) of a list of objects must be a JSON array, found "
                + kind(value));
        return;
      }
      items = listOf(value);
    } else {
      items = List.of(value);
    }
    Map<String, Argument> arguments = schema.struct(argument.struct());
    for (int i = 0; i < items.size(); i++) {
      String at = argument.shape() == Shape.OBJECT_LIST ? path + "[" + i + "]" : path;
      JsonNode item = items.get(i);
      if (!item.isObject()) {
        problems.add(at + ": must be an object, found " + kind(item));
        continue;
      }
      for (String key : arguments.keySet()) {
        if (!item.has(key)) {
          problems.add(
              at
                  + "."
                  + key
                  + ": missing; "
                  + argument.name()
                  + " is an attribute, so every key of its objects must be present (null where unset)");
        }
      }
      struct(at, item, argument.struct(), false);
    }
  }

  private static boolean isExpression(JsonNode value) {
    return value.isTextual() && value.asText().contains("${");
  }

  private static List<JsonNode> listOf(JsonNode value) {
    List<JsonNode> items = new ArrayList<>();
    if (value.isArray()) {
      value.forEach(items::add);
    } else if (!value.isMissingNode()) {
      items.add(value);
    }
    return items;
  }

  private static String kind(JsonNode value) {
    if (value.isObject()) {
      return "an object";
    }
    if (value.isArray()) {
      return "a list";
    }
    return value.isNull() ? "null" : "a value";
  }
}
