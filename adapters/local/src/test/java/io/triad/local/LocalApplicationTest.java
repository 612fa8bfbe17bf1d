package io.triad.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * As integration-tests' {@code AutoConfigurationTest} for the clouds, which cannot load this class.
 */
class LocalApplicationTest {

  @Test
  void configuration_should_importOnlyTheFunctionCatalog_when_theContextStarts() {
    // when Spring Boot reads the application class's auto-configuration, meta-annotations included
    ImportAutoConfiguration imported =
        AnnotatedElementUtils.findMergedAnnotation(
            LocalApplication.class, ImportAutoConfiguration.class);

    // then it is the catalog and property placeholders only, not every candidate on the class path
    // (a cold-start cost)
    assertThat(
            AnnotatedElementUtils.hasAnnotation(
                LocalApplication.class, EnableAutoConfiguration.class))
        .isFalse();
    assertThat(imported).isNotNull();
    assertThat(imported.value())
        .containsExactlyInAnyOrder(
            ContextFunctionCatalogAutoConfiguration.class,
            PropertyPlaceholderAutoConfiguration.class);
  }
}
