package io.triad.infra.smoke;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * {@code infra/smoke aws [options]}: deploys a small disposable stack from {@code triad.yaml} to a
 * real account, trains once, scores one upload, asks the HTTP function, destroys it all and prints
 * what it cost. Needs {@code terraform} (or {@code tofu}), {@code docker} with the trainer image
 * built, and AWS credentials the default chain finds. See the README's "Smoke run".
 */
public final class Smoke {
  private static final String USAGE =
      """
      usage: infra/smoke aws [--config FILE] [--project NAME] [--package ZIP] [--image IMAGE]
                             [--data CSV] [--terraform CMD] [--docker CMD] [--work DIR]
                             [--timeout-minutes N] [--keep]
        --config           the triad.yaml to start from (infra/triad.yaml)
        --project          the smoke stack's project name, 2-16 of a-z 0-9 - (smoke-MMddHHmm)
        --package          the Lambda package (adapters/aws/target/triad-aws-lambda.zip)
        --image            the local trainer image to push (triad-trainer:gpu)
        --data             iris training data (models/target/classes/triad/datasets/iris.csv)
        --terraform        terraform or tofu (terraform)
        --docker           docker (docker)
        --work             where the stack and its state go (.triad/smoke/PROJECT)
        --timeout-minutes  how long the training job may take, GPU machine start included (45)
        --keep             leave the stack up (destroy it yourself)
      Relative paths are taken from the repository root.
      """;

  private Smoke() {}

  public static void main(String[] args) {
    if (java.util.Arrays.asList(args).contains("--help")) {
      System.out.print(USAGE);
      System.exit(0);
      return;
    }
    if (args.length == 0 || !args[0].equals("aws")) {
      System.err.println(
          (args.length == 0 ? "" : "no smoke for " + args[0] + " yet: aws only\n") + USAGE);
      System.exit(2);
      return;
    }
    Path config = Path.of("infra/triad.yaml");
    String project =
        "smoke-"
            + LocalDateTime.now(java.time.ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("MMddHHmm"));
    Path lambdaPackage = Path.of("adapters/aws/target/triad-aws-lambda.zip");
    String image = "triad-trainer:gpu";
    Path data = Path.of("models", "target", "classes", "triad", "datasets", "iris.csv");
    String terraform = "terraform";
    String docker = "docker";
    Path work = null;
    Duration timeout = Duration.ofMinutes(45);
    boolean keep = false;
    try {
      for (int i = 1; i < args.length; i++) {
        switch (args[i]) {
          case "--config" -> config = Path.of(value(args, ++i));
          case "--project" -> project = value(args, ++i);
          case "--package" -> lambdaPackage = Path.of(value(args, ++i));
          case "--image" -> image = value(args, ++i);
          case "--data" -> data = Path.of(value(args, ++i));
          case "--terraform" -> terraform = value(args, ++i);
          case "--docker" -> docker = value(args, ++i);
          case "--work" -> work = Path.of(value(args, ++i));
          case "--timeout-minutes" ->
              timeout = Duration.ofMinutes(Long.parseLong(value(args, ++i)));
          case "--keep" -> keep = true;
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
    }
    if (work == null) {
      work = Path.of(".triad", "smoke", project);
    }
    int exit =
        new AwsSmoke(
                new AwsSmoke.Options(
                    config,
                    project,
                    lambdaPackage,
                    image,
                    data,
                    terraform,
                    docker,
                    work,
                    timeout,
                    keep),
                System.getenv(),
                System.out)
            .run();
    System.out.flush();
    // the synth's jsii runtime keeps a node process and threads: end them with the JVM
    System.exit(exit);
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }
}
