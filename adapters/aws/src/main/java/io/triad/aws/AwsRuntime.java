package io.triad.aws;

import io.triad.functions.metrics.StartPhases;
import io.triad.functions.replication.ReplicaStores;
import io.triad.functions.store.BlobStore;
import io.triad.functions.training.TrainingLauncher;
import io.triad.s3.S3BlobStore;
import io.triad.settings.AwsContract;
import java.time.Clock;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.support.GenericApplicationContext;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What the AWS runtime adds to {@link io.triad.functions.TriadFunctions}: settings from the
 * environment, the S3 bucket as the {@link BlobStore}, and, for the schedule function only, the AWS
 * Batch launcher (the other roles never launch training and need no Batch configuration or client).
 */
public final class AwsRuntime implements ApplicationContextInitializer<GenericApplicationContext> {
  private final FunctionRole role;

  public AwsRuntime(FunctionRole role) {
    this.role = role;
  }

  /** The function's name in the User-Agent of its AWS calls: http, s3 or schedule. */
  private String caller() {
    return role.name().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public void initialize(GenericApplicationContext context) {
    StartPrefetch prefetch = StartPrefetch.take().orElse(null);
    io.triad.functions.telemetry.OtlpSettings.nameService(
        context.getEnvironment(), "triad-aws-" + caller());
    context.registerBean(
        AwsSettings.class, () -> AwsSettings.from(context.getEnvironment()::getProperty));
    context.registerBean(Clock.class, Clock::systemUTC);
    context.registerBean(
        S3Client.class,
        () -> {
          long began = StartPhases.begin();
          // the one the entry point's prefetch built meanwhile, else built here
          S3Client s3 =
              prefetch == null || prefetch.client() == null
                  ? AwsClients.s3(settings(context), caller())
                  : prefetch.client();
          StartPhases.end("context.s3-client", began);
          return s3;
        });
    context.registerBean(
        SecretsManagerKeySource.class,
        () -> new SecretsManagerKeySource(() -> AwsClients.secrets(settings(context), caller())));
    context.registerBean(
        BlobStore.class,
        () -> {
          BlobStore store =
              new S3BlobStore(context.getBean(S3Client.class), settings(context).requireBucket());
          return prefetch == null ? store : prefetch.store(store);
        });
    // gs:// and azblob:// replicas (replication.awsToGcp, awsToAzure): the s3 function copies
    // each promotion, the schedule catches unfinished copies up; the HTTP function copies
    // nothing, and its start loads none of it
    if (role != FunctionRole.HTTP) {
      registerReplicaStores(context);
    }
    context.registerBean(
        TrainingLauncher.class,
        () ->
            role == FunctionRole.SCHEDULE
                ? new AwsBatchLauncher(
                    AwsClients.batch(settings(context), caller()),
                    settings(context).jobQueue(),
                    settings(context).jobDefinition(),
                    settings(context).region(),
                    settings(context).batchPlacement())
                : TrainingLauncher.refusing(
                    AwsBatchLauncher.CLOUD,
                    "the "
                        + role
                        + " function does not launch training; the schedule function does"));
  }

  private void registerReplicaStores(GenericApplicationContext context) {
    context.registerBean(
        ReplicaStores.class,
        () -> {
          String sts = context.getEnvironment().getProperty(AwsContract.REPLICA_STS_ENDPOINT);
          return GoogleFederation.replicaStores(
              context.getEnvironment()::getProperty,
              caller(),
              AwsClients.credentials(),
              settings(context).region(),
              new RoleTokens(
                  () ->
                      AwsClients.sts(
                          settings(context),
                          caller(),
                          sts == null || sts.isBlank() ? null : java.net.URI.create(sts))));
        });
  }

  private static AwsSettings settings(GenericApplicationContext context) {
    return context.getBean(AwsSettings.class);
  }
}
