package io.triad.infra;

import com.hashicorp.cdktf.App;
import com.hashicorp.cdktf.AppConfig;
import io.triad.infra.config.ConfigLoader;
import io.triad.infra.config.InvalidConfigException;
import io.triad.infra.config.TriadConfig;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Synthesizes the stacks to Terraform JSON: {@code --config FILE [--out DIR] [--stacks
 * aws,azure,gcp] | [aws] [azure] [gcp]} (all three when none is named). Output goes to {@code
 * DIR/stacks/<cloud>/cdk.tf.json}.
 */
public final class TriadApp {

  private TriadApp() {}

  public static void main(String[] args) {
    Path configFile = Path.of("infra/triad.yaml");
    Path out = Path.of("infra/cdktf.out");
    List<Cloud> clouds = new ArrayList<>();
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--config" -> configFile = Path.of(value(args, ++i, "--config"));
          case "--out" -> out = Path.of(value(args, ++i, "--out"));
          case "--stacks" ->
              Arrays.stream(value(args, ++i, "--stacks").split(","))
                  .map(String::trim)
                  .filter(name -> !name.isEmpty())
                  .map(Cloud::named)
                  .forEach(clouds::add);
          default -> clouds.add(Cloud.named(args[i]));
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println(
          e.getMessage() + "\nusage: TriadApp --config FILE [--out DIR] [--stacks aws,azure,gcp]");
      System.exit(2);
      return;
    }
    if (clouds.isEmpty()) {
      clouds.addAll(List.of(Cloud.values()));
    }
    TriadConfig config;
    try {
      config = new ConfigLoader().load(configFile);
    } catch (InvalidConfigException | UncheckedIOException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    long start = System.nanoTime();
    App app = new App(AppConfig.builder().outdir(out.toAbsolutePath().toString()).build());
    clouds.forEach(cloud -> cloud.stack(app, config));
    app.synth();
    System.out.printf(
        "synthesized %s from %s to %s in %.1f s%n",
        clouds.stream().map(Cloud::stackName).toList(),
        configFile,
        out.resolve("stacks"),
        (System.nanoTime() - start) / 1e9);
    System.out.print(new CostPreview(config).render(clouds));
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[i];
  }
}
