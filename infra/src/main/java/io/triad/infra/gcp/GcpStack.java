package io.triad.infra.gcp;

import com.hashicorp.cdktf.TerraformOutput;
import com.hashicorp.cdktf.TerraformOutputConfig;
import com.hashicorp.cdktf.TerraformStack;
import com.hashicorp.cdktf.providers.google.project_service.ProjectService;
import com.hashicorp.cdktf.providers.google.project_service.ProjectServiceConfig;
import com.hashicorp.cdktf.providers.google.provider.GoogleProvider;
import com.hashicorp.cdktf.providers.google.provider.GoogleProviderConfig;
import io.triad.infra.StateBackend;
import io.triad.infra.config.TriadConfig;
import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/** Everything Triad needs on Google Cloud, composed from one construct per concern. */
public final class GcpStack extends TerraformStack {

  static final String GOOGLE_PROVIDER_VERSION = "~> 5.43";

  static final List<String> SERVICES =
      List.of(
          "artifactregistry",
          "batch",
          "cloudbuild",
          "cloudfunctions",
          "cloudscheduler",
          "compute",
          "eventarc",
          "logging",
          "monitoring",
          "pubsub",
          "run",
          "secretmanager",
          // IAM and Resource Manager: the service accounts and the project IAM grants
          "iam",
          "cloudresourcemanager",
          // the project's budget
          "billingbudgets",
          "storage");

  public GcpStack(Construct scope, String id, TriadConfig config) {
    super(scope, id);
    new GoogleProvider(
        this,
        "google",
        GoogleProviderConfig.builder()
            .project(config.gcp().project())
            .region(config.gcp().region())
            .defaultLabels(Map.of("project", config.project(), "managed-by", "triad-infra"))
            .build());
    // The bindings pin provider 5.4.0; the stack is checked against 5.43's schema
    // (ProviderSchemaTest).
    addOverride("terraform.required_providers.google.version", GOOGLE_PROVIDER_VERSION);
    StateBackend.gcp(this, config.state().gcp());
    List<ProjectService> services = new java.util.ArrayList<>();
    for (String service : SERVICES) {
      services.add(
          new ProjectService(
              this,
              "api-" + service,
              ProjectServiceConfig.builder()
                  .service(service + ".googleapis.com")
                  // Other workloads in the project may use the same APIs.
                  .disableOnDestroy(false)
                  .build()));
    }
    GcpStorage storage = new GcpStorage(this, "storage", config);
    GcpTraining training = new GcpTraining(this, "training", config, storage);
    GcpSchedule schedule = new GcpSchedule(this, "schedule", config);
    GcpFunctions functions =
        new GcpFunctions(this, "functions", config, storage, training, schedule);
    GcpAlerts alerts = new GcpAlerts(this, "alerts", config);
    GcpMetrics metrics = new GcpMetrics(this, "metrics", config);
    GcpBudget budget = new GcpBudget(this, "budget", config, alerts.emailChannel());
    List<Construct> parts =
        new java.util.ArrayList<>(
            List.of(storage, training, schedule, functions, alerts, metrics, budget));
    if (!config.intoGcpModels().isEmpty()) {
      parts.add(new GcpReplicaWriters(this, "replica-writers", config, storage));
      // the pool's tokens are exchanged at Google's token service (the pool itself is IAM's)
      services.add(
          new ProjectService(
              this,
              "api-sts",
              ProjectServiceConfig.builder()
                  .service("sts.googleapis.com")
                  .disableOnDestroy(false)
                  .build()));
    }
    // On a fresh project every resource waits for the APIs it is made through: without the
    // dependency Terraform creates them in parallel and the first calls fail SERVICE_DISABLED.
    List<String> apis = services.stream().map(ProjectService::getFqn).toList();
    for (Construct part : parts) {
      GcpDependencies.add(part, apis);
    }

    new TerraformOutput(
        this, "bucket", TerraformOutputConfig.builder().value(storage.name()).build());
    new TerraformOutput(
        this, "trainer_image", TerraformOutputConfig.builder().value(training.image()).build());
  }
}
