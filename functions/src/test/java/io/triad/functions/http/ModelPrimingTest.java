package io.triad.functions.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.triad.functions.store.BlobStore;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/** The neutral priming step every runtime runs once its context is up. */
class ModelPrimingTest {
  @TempDir Path bucket;

  @Test
  void prime_should_runASampleInferenceOnEveryServedModel_andPassOverOneNotReady() {
    try (ConfigurableApplicationContext context =
        TriadTestApp.start(bucket, new RecordingTrainingLauncher(), "triad.catalog=iris,digits")) {
      // given iris served, digits never promoted
      BlobStore store = context.getBean(BlobStore.class);
      new TestModels(store).publishIris("1");

      // when
      int primed = context.getBean(ModelPriming.class).prime();

      // then
      assertThat(primed).isEqualTo(1);
    }
  }
}
