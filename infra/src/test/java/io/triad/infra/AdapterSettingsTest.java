package io.triad.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The settings the stacks hand to functions are exactly the names {@link AdapterSettings} lists. */
class AdapterSettingsTest {

  @Test
  void functionSettings_should_allBeNamedInAdapterSettings_when_synthesized() throws IllegalAccessException {
    Set<String> contract = new TreeSet<>(constants(AdapterSettings.class));
    for (Class<?> nested : AdapterSettings.class.getDeclaredClasses()) {
      contract.addAll(constants(nested));
    }

    Set<String> used = new TreeSet<>();
    SynthesizedStack.of(Cloud.AWS).resources("aws_lambda_function")
        .forEach(f -> used.addAll(names(f.at("/environment/variables"))));
    SynthesizedStack.of(Cloud.GCP).resources("google_cloudfunctions2_function")
        .forEach(f -> used.addAll(names(f.at("/service_config/environment_variables"))));
    SynthesizedStack.of(Cloud.AZURE).resources("azurerm_linux_function_app")
        .forEach(f -> names(f.path("app_settings")).stream().filter(n -> n.startsWith("TRIAD_")).forEach(used::add));

    assertThat(used).isNotEmpty();
    assertThat(contract).containsAll(used);
    assertThat(used).contains("TRIAD_BUCKET", "TRIAD_FUNCTION", "TRIAD_BATCH_JOB_QUEUE", "TRIAD_BATCH_JOB_DEFINITION",
        "TRIAD_MODELS", "TRIAD_CONTAINER", "TRIAD_STORAGE_ACCOUNT", "TRIAD_BATCH_ACCOUNT", "TRIAD_BATCH_POOL",
        "TRIAD_BATCH_REGION");
  }

  private static List<String> constants(Class<?> type) throws IllegalAccessException {
    List<String> values = new ArrayList<>();
    for (Field field : type.getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        values.add((String) field.get(null));
      }
    }
    return values;
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
