package io.triad.functions.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * The one place the models' settings are defined ({@value #RESOURCE}): every runtime's environment
 * gets the entries of the models it knows (its {@code triad.catalog} and its own {@code
 * triad.models.*}) as its last property source, so each runtime resolves the same training-data
 * key, gate, seed, schedule and trainer options unless its own configuration overrides one: a
 * setting the runtime resolves in any form is not added at all, so the defaults never outrank even
 * Spring's default properties. A model a runtime does not know stays unknown there: the defaults
 * add settings, never models.
 */
public final class ModelDefaults {
  public static final String RESOURCE = "io/triad/functions/config/model-defaults.yaml";
  static final String NAME = "triad model defaults";
  private static final String PREFIX = "triad.models.";

  private ModelDefaults() {}

  /** Adds the defaults of the models {@code environment} knows, as its last source (once). */
  public static void addTo(ConfigurableEnvironment environment) {
    if (environment.getPropertySources().contains(NAME)) {
      return;
    }
    Binder binder = Binder.get(environment);
    Set<String> known = known(binder);
    Map<String, Object> defaults = new LinkedHashMap<>();
    for (PropertySource<?> source : load()) {
      if (source instanceof EnumerablePropertySource<?> entries) {
        for (String name : entries.getPropertyNames()) {
          // a setting the runtime gives in any form (a file, TRIAD_MODELS_..., a default property)
          // is left to it: only what it does not set is added
          if (known.contains(model(name))
              && !binder.bind(name, Bindable.of(String.class)).isBound()) {
            defaults.put(name, entries.getProperty(name));
          }
        }
      }
    }
    environment.getPropertySources().addLast(new MapPropertySource(NAME, defaults));
  }

  /** Every model the defaults define, by name. */
  public static Set<String> models() {
    Set<String> models = new LinkedHashSet<>();
    for (PropertySource<?> source : load()) {
      if (source instanceof EnumerablePropertySource<?> entries) {
        for (String name : entries.getPropertyNames()) {
          models.add(model(name));
        }
      }
    }
    models.remove(null);
    return models;
  }

  private static Set<String> known(Binder binder) {
    Set<String> known = new LinkedHashSet<>();
    binder
        .bind("triad.catalog", Bindable.listOf(String.class))
        .ifBound(catalog -> catalog.forEach(m -> known.add(m.trim())));
    binder
        .bind("triad.models", Bindable.mapOf(String.class, Object.class))
        .ifBound(models -> known.addAll(models.keySet()));
    return known;
  }

  /** {@code triad.models.iris.gate.minimum} → {@code iris}; null for anything else. */
  private static String model(String property) {
    if (!property.startsWith(PREFIX)) {
      return null;
    }
    int end = property.indexOf('.', PREFIX.length());
    return end < 0 ? null : property.substring(PREFIX.length(), end);
  }

  private static List<PropertySource<?>> load() {
    try {
      return new YamlPropertySourceLoader().load(NAME, new ClassPathResource(RESOURCE));
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + RESOURCE, e);
    }
  }
}
