package io.triad.functions.testing;

import io.triad.functions.TriadFunctions;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.training.TrainingLauncher;
import java.nio.file.Path;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The smallest Spring Boot app that runs the suite: {@link TriadFunctions} plus a bucket directory
 * and a training launcher of the test's choosing, no web server. The one
 * {@code @SpringBootConfiguration} in this package tree.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class TriadTestApp {

  /** Starts the app over {@code bucket}; {@code properties} are {@code key=value} pairs. */
  public static ConfigurableApplicationContext start(
      Path bucket, TrainingLauncher launcher, String... properties) {
    return start(new FileSystemBlobStore(bucket), launcher, properties);
  }

  /**
   * Starts the app over a store of the test's choosing (one that fails on cue, say). It trusts
   * {@link TestModels#TRUSTED_KEY} and promotes with {@link TestModels#SIGNING_KEY}, unless {@code
   * properties} say otherwise.
   */
  public static ConfigurableApplicationContext start(
      BlobStore store, TrainingLauncher launcher, String... properties) {
    return start(store, java.util.List.of(launcher), properties);
  }

  /**
   * As above, with several launchers: the first is the runtime's own, the others another cloud's
   * that the runtime carries.
   */
  public static ConfigurableApplicationContext start(
      BlobStore store, java.util.List<TrainingLauncher> launchers, String... properties) {
    return new SpringApplicationBuilder(TriadTestApp.class)
        .initializers(new TriadFunctions(), new Runtime(store, launchers))
        .web(WebApplicationType.NONE)
        .bannerMode(Banner.Mode.OFF)
        .logStartupInfo(false)
        .properties(TestModels.TRUST_SETTING, TestKeyFile.setting())
        .properties(properties)
        .run();
  }

  /** What each runtime adds to the suite: its store and its launchers. */
  private record Runtime(BlobStore store, java.util.List<TrainingLauncher> launchers)
      implements ApplicationContextInitializer<GenericApplicationContext> {
    @Override
    public void initialize(GenericApplicationContext context) {
      context.registerBean(BlobStore.class, () -> store);
      for (int i = 0; i < launchers.size(); i++) {
        TrainingLauncher launcher = launchers.get(i);
        context.registerBean("launcher" + i, TrainingLauncher.class, () -> launcher);
      }
    }
  }
}
