package io.triad.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration;

class AwsApplicationTest {

  @Test
  void configuration_should_importOnlyTheFunctionCatalog_when_theContextStarts() {
    // given the class the runtime's context starts from
    Class<?> application = AwsApplication.class;

    // when Spring Boot reads its auto-configuration
    ImportAutoConfiguration imported = application.getAnnotation(ImportAutoConfiguration.class);

    // then it is the catalog and property placeholders only, not every candidate on the class path (a cold-start cost)
    assertThat(application.isAnnotationPresent(EnableAutoConfiguration.class)).isFalse();
    assertThat(imported).isNotNull();
    assertThat(imported.value()).containsExactlyInAnyOrder(ContextFunctionCatalogAutoConfiguration.class, PropertyPlaceholderAutoConfiguration.class);
  }
}
