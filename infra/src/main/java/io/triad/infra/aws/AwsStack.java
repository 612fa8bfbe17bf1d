package io.triad.infra.aws;

import com.hashicorp.cdktf.TerraformOutput;
import com.hashicorp.cdktf.TerraformOutputConfig;
import com.hashicorp.cdktf.TerraformStack;
import com.hashicorp.cdktf.providers.aws.data_aws_caller_identity.DataAwsCallerIdentity;
import com.hashicorp.cdktf.providers.aws.provider.AwsProvider;
import com.hashicorp.cdktf.providers.aws.provider.AwsProviderConfig;
import com.hashicorp.cdktf.providers.aws.provider.AwsProviderDefaultTags;
import io.triad.infra.StateBackend;
import io.triad.infra.config.TriadConfig;
import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/** Everything Triad needs on AWS, composed from one construct per concern. */
public final class AwsStack extends TerraformStack {

  /**
   * The bindings pin AWS provider 5.23, which predates the {@code java21} Lambda runtime; the stack
   * is checked against 5.99's schema (ProviderSchemaTest), so no earlier minor is admitted.
   */
  static final String AWS_PROVIDER_VERSION = "~> 5.99";

  public AwsStack(Construct scope, String id, TriadConfig config) {
    super(scope, id);
    new AwsProvider(
        this,
        "aws",
        AwsProviderConfig.builder()
            .region(config.aws().region())
            .defaultTags(
                List.of(
                    AwsProviderDefaultTags.builder()
                        .tags(Map.of("project", config.project(), "managed-by", "triad-infra"))
                        .build()))
            .build());
    addOverride("terraform.required_providers.aws.version", AWS_PROVIDER_VERSION);
    // State beside the stack's JSON, not at an absolute path of the machine that synthesized it.
    StateBackend.aws(this, config.state().aws());
    DataAwsCallerIdentity account = new DataAwsCallerIdentity(this, "account");

    // Bucket names are global: the account id keeps two deployments of one project apart.
    AwsStorage storage =
        new AwsStorage(
            this,
            "storage",
            config.project() + "-" + account.getAccountId(),
            config.aws().disposable());
    AwsTraining training = new AwsTraining(this, "training", config, storage);
    AwsFunctions functions =
        new AwsFunctions(this, "functions", config, storage, training, account.getAccountId());
    new AwsSchedule(this, "schedule", config, functions.schedule());
    new AwsAlerts(this, "alerts", config, functions, training, account.getAccountId());
    new AwsBudget(this, "budget", config);
    TriadConfig.Replication replication = config.replication();
    // each route's role is made once the other stack's identities are known (its output)
    if (replication != null
        && replication.gcpToAws() != null
        && !replication.gcpToAws().gcpWriters().isEmpty()) {
      AwsReplicaWriters.gcp(this, config, storage, account.getAccountId());
    }
    if (replication != null
        && replication.azureToAws() != null
        && !replication.azureToAws().azureWriters().isEmpty()) {
      AwsReplicaWriters.azure(this, config, storage, account.getAccountId());
    }

    output("bucket", storage.name());
    output("trainer_repository", training.repositoryUrl());
    output("job_queue", training.queueName());
    output("http_url", functions.url());
    output("schedule_function", functions.schedule().getFunctionName());
    output("upload_function", functions.objects().getFunctionName());
    output("signing_key_secret", functions.signingKeySecret());
  }

  private void output(String name, String value) {
    new TerraformOutput(this, name, TerraformOutputConfig.builder().value(value).build());
  }
}
