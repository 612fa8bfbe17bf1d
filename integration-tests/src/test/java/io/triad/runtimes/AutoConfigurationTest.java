package io.triad.runtimes;

import static org.assertj.core.api.Assertions.assertThat;

import io.triad.aws.AwsApplication;
import io.triad.azure.AzureApplication;
import io.triad.gcp.GcpApplication;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Every cloud runtime's context starts from the function catalog's auto-configuration alone (a
 * cold-start cost otherwise); the local runtime's own build checks {@code LocalApplication}, which
 * reaches this module only inside its runnable jar.
 */
class AutoConfigurationTest {

  @ParameterizedTest
  @ValueSource(classes = {AwsApplication.class, AzureApplication.class, GcpApplication.class})
  void configuration_should_importOnlyTheFunctionCatalog_when_theContextStarts(
      Class<?> application) {
    // when Spring Boot reads the application class's auto-configuration, meta-annotations included
    ImportAutoConfiguration imported =
        AnnotatedElementUtils.findMergedAnnotation(application, ImportAutoConfiguration.class);

    // then it is the catalog and property placeholders only, not every candidate on the class path
    assertThat(AnnotatedElementUtils.hasAnnotation(application, EnableAutoConfiguration.class))
        .as(application.getSimpleName())
        .isFalse();
    assertThat(imported).as(application.getSimpleName()).isNotNull();
    assertThat(imported.value())
        .as(application.getSimpleName())
        .containsExactlyInAnyOrder(
            ContextFunctionCatalogAutoConfiguration.class,
            PropertyPlaceholderAutoConfiguration.class);
  }
}
