package io.triad.infra.aws;

import com.hashicorp.cdktf.providers.aws.batch_compute_environment.BatchComputeEnvironment;
import com.hashicorp.cdktf.providers.aws.batch_compute_environment.BatchComputeEnvironmentComputeResources;
import com.hashicorp.cdktf.providers.aws.batch_compute_environment.BatchComputeEnvironmentComputeResourcesEc2Configuration;
import com.hashicorp.cdktf.providers.aws.batch_compute_environment.BatchComputeEnvironmentComputeResourcesLaunchTemplate;
import com.hashicorp.cdktf.providers.aws.batch_compute_environment.BatchComputeEnvironmentConfig;
import com.hashicorp.cdktf.providers.aws.batch_job_definition.BatchJobDefinition;
import com.hashicorp.cdktf.providers.aws.batch_job_definition.BatchJobDefinitionConfig;
import com.hashicorp.cdktf.providers.aws.batch_job_definition.BatchJobDefinitionRetryStrategy;
import com.hashicorp.cdktf.providers.aws.batch_job_definition.BatchJobDefinitionRetryStrategyEvaluateOnExit;
import com.hashicorp.cdktf.providers.aws.batch_job_definition.BatchJobDefinitionTimeout;
import com.hashicorp.cdktf.providers.aws.batch_job_queue.BatchJobQueue;
import com.hashicorp.cdktf.providers.aws.batch_job_queue.BatchJobQueueConfig;
import com.hashicorp.cdktf.providers.aws.cloudwatch_log_group.CloudwatchLogGroup;
import com.hashicorp.cdktf.providers.aws.cloudwatch_log_group.CloudwatchLogGroupConfig;
import com.hashicorp.cdktf.providers.aws.data_aws_subnets.DataAwsSubnets;
import com.hashicorp.cdktf.providers.aws.data_aws_subnets.DataAwsSubnetsConfig;
import com.hashicorp.cdktf.providers.aws.data_aws_subnets.DataAwsSubnetsFilter;
import com.hashicorp.cdktf.providers.aws.data_aws_vpc.DataAwsVpc;
import com.hashicorp.cdktf.providers.aws.data_aws_vpc.DataAwsVpcConfig;
import com.hashicorp.cdktf.providers.aws.ecr_repository.EcrRepository;
import com.hashicorp.cdktf.providers.aws.ecr_repository.EcrRepositoryConfig;
import com.hashicorp.cdktf.providers.aws.ecr_repository.EcrRepositoryEncryptionConfiguration;
import com.hashicorp.cdktf.providers.aws.ecr_repository.EcrRepositoryImageScanningConfiguration;
import com.hashicorp.cdktf.providers.aws.iam_instance_profile.IamInstanceProfile;
import com.hashicorp.cdktf.providers.aws.iam_instance_profile.IamInstanceProfileConfig;
import com.hashicorp.cdktf.providers.aws.iam_role.IamRole;
import com.hashicorp.cdktf.providers.aws.iam_role.IamRoleConfig;
import com.hashicorp.cdktf.providers.aws.iam_role_policy.IamRolePolicy;
import com.hashicorp.cdktf.providers.aws.iam_role_policy.IamRolePolicyConfig;
import com.hashicorp.cdktf.providers.aws.iam_role_policy_attachment.IamRolePolicyAttachment;
import com.hashicorp.cdktf.providers.aws.iam_role_policy_attachment.IamRolePolicyAttachmentConfig;
import com.hashicorp.cdktf.providers.aws.launch_template.LaunchTemplate;
import com.hashicorp.cdktf.providers.aws.launch_template.LaunchTemplateConfig;
import com.hashicorp.cdktf.providers.aws.launch_template.LaunchTemplateMetadataOptions;
import com.hashicorp.cdktf.providers.aws.security_group.SecurityGroup;
import com.hashicorp.cdktf.providers.aws.security_group.SecurityGroupConfig;
import com.hashicorp.cdktf.providers.aws.security_group.SecurityGroupEgress;
import io.triad.infra.Json;
import io.triad.infra.config.GpuType;
import io.triad.infra.config.TriadConfig;
import io.triad.layout.BucketLayout;
import io.triad.settings.TriadContract;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * GPU training on AWS Batch: a compute environment of the configured GPU family (EC2 or spot,
 * scaled to zero when idle), a job queue, a job definition that runs the trainer image with the GPU
 * requirement, timeout and retries (the launcher's command override supplies the trainer's
 * arguments), the ECR repository for that image, and a job role that reads training data and writes
 * candidates, nothing else.
 */
final class AwsTraining extends Construct {

  private final BatchJobQueue queue;
  private final BatchJobDefinition jobDefinition;
  private final EcrRepository repository;
  private final String region;

  AwsTraining(Construct scope, String id, TriadConfig config, AwsStorage storage) {
    super(scope, id);
    String name = config.project() + "-training";
    region = config.aws().region();
    TriadConfig.Training training = config.training();
    GpuType.Machine machine = training.gpu().aws(training.gpuCount());

    EcrRepositoryConfig.Builder repositoryConfig =
        EcrRepositoryConfig.builder()
            .name(config.project() + "/" + TriadContract.TRAINER_IMAGE_NAME)
            .imageTagMutability("IMMUTABLE")
            .imageScanningConfiguration(
                EcrRepositoryImageScanningConfiguration.builder().scanOnPush(true).build())
            .encryptionConfiguration(
                List.of(
                    EcrRepositoryEncryptionConfiguration.builder()
                        .encryptionType("AES256")
                        .build()));
    if (config.aws().disposable()) {
      // ECR refuses to delete a repository that holds images unless forced
      repositoryConfig.forceDelete(true);
    }
    repository = new EcrRepository(this, "trainer-repository", repositoryConfig.build());
    CloudwatchLogGroup logs =
        new CloudwatchLogGroup(
            this,
            "logs",
            CloudwatchLogGroupConfig.builder()
                .name("/aws/batch/" + name)
                .retentionInDays(config.aws().logRetentionDays())
                .build());

    // The configured VPC and (private) subnets, or private subnets the stack adds to the account's
    // default VPC: GPU nodes get no public IP either way.
    TriadConfig.AwsNetwork network = config.aws().network();
    String vpcId;
    List<String> subnetIds;
    if (network != null) {
      vpcId = network.vpcId();
      subnetIds = network.subnetIds();
    } else {
      DataAwsVpc vpc =
          new DataAwsVpc(
              this, "default-vpc", DataAwsVpcConfig.builder().defaultValue(true).build());
      // the default (public) subnets only, not the private ones this stack adds
      DataAwsSubnets subnets =
          new DataAwsSubnets(
              this,
              "default-subnets",
              DataAwsSubnetsConfig.builder()
                  .filter(
                      List.of(
                          DataAwsSubnetsFilter.builder()
                              .name("vpc-id")
                              .values(List.of(vpc.getId()))
                              .build(),
                          DataAwsSubnetsFilter.builder()
                              .name("default-for-az")
                              .values(List.of("true"))
                              .build()))
                  .build());
      vpcId = vpc.getId();
      subnetIds =
          new AwsNodeNetwork(this, "node-network", name, vpcId, subnets.getIds()).subnetIds();
    }
    // Training only calls out (ECR, S3, CloudWatch); nothing may call in.
    SecurityGroup outboundOnly =
        new SecurityGroup(
            this,
            "outbound-only",
            SecurityGroupConfig.builder()
                .name(name)
                .description("Triad GPU training: outbound only")
                .vpcId(vpcId)
                .egress(
                    List.of(
                        SecurityGroupEgress.builder()
                            .protocol("-1")
                            .fromPort(0)
                            .toPort(0)
                            .cidrBlocks(List.of("0.0.0.0/0"))
                            .build()))
                .build());

    IamRole instanceRole =
        new IamRole(
            this,
            "instance-role",
            IamRoleConfig.builder()
                .name(name + "-instance")
                .assumeRolePolicy(IamPolicy.trust("ec2.amazonaws.com"))
                .build());
    // The AWS-managed policy ECS container instances need (register, pull from ECR, write logs).
    new IamRolePolicyAttachment(
        this,
        "instance-role-ecs",
        IamRolePolicyAttachmentConfig.builder()
            .role(instanceRole.getName())
            .policyArn("arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role")
            .build());
    IamInstanceProfile instanceProfile =
        new IamInstanceProfile(
            this,
            "instance-profile",
            IamInstanceProfileConfig.builder()
                .name(name + "-instance")
                .role(instanceRole.getName())
                .build());

    IamRole jobRole =
        new IamRole(
            this,
            "job-role",
            IamRoleConfig.builder()
                .name(name + "-job")
                .assumeRolePolicy(IamPolicy.trust("ecs-tasks.amazonaws.com"))
                .build());
    new IamRolePolicy(
        this,
        "job-policy",
        IamRolePolicyConfig.builder()
            .name("read-data-write-candidates")
            .role(jobRole.getId())
            .policy(
                IamPolicy.create()
                    .allow(
                        "ReadTrainingData",
                        List.of("s3:GetObject"),
                        List.of(storage.objects(BucketLayout.DATA)))
                    .allow(
                        "WriteCandidates",
                        List.of("s3:PutObject"),
                        List.of(storage.objects(BucketLayout.CANDIDATES)))
                    .allow(
                        // a retried or preempted job resumes from its run's last checkpoint
                        "ReadCheckpoints",
                        List.of("s3:GetObject"),
                        List.of(
                            storage.objects(BucketLayout.CANDIDATES)
                                + "/"
                                + BucketLayout.CHECKPOINT_FILE))
                    // S3 answers a missing checkpoint (a first attempt's) 404 rather than 403 only
                    // to a caller that may list the bucket
                    .allow("ListBucket", List.of("s3:ListBucket"), List.of(storage.arn()))
                    .json())
            .build());

    // IMDSv2 only (a token first, so a request forwarded through the job cannot read the node's
    // credentials); hop limit 2, since the job's container is one hop past the instance
    LaunchTemplate nodes =
        new LaunchTemplate(
            this,
            "gpu-nodes",
            LaunchTemplateConfig.builder()
                .name(name + "-gpu-nodes")
                .metadataOptions(
                    LaunchTemplateMetadataOptions.builder()
                        .httpEndpoint("enabled")
                        .httpTokens("required")
                        .httpPutResponseHopLimit(2)
                        .build())
                .build());
    BatchComputeEnvironment environment =
        new BatchComputeEnvironment(
            this,
            "gpu-environment",
            BatchComputeEnvironmentConfig.builder()
                .computeEnvironmentName(name + "-gpu")
                .type("MANAGED")
                .computeResources(
                    BatchComputeEnvironmentComputeResources.builder()
                        .type(training.spot() ? "SPOT" : "EC2")
                        // Spot capacity-optimized needs no spot fleet role; on-demand fills the
                        // best fit.
                        .allocationStrategy(
                            training.spot() ? "SPOT_CAPACITY_OPTIMIZED" : "BEST_FIT_PROGRESSIVE")
                        // The one instance type with exactly the GPUs a job asks for; Batch counts
                        // the whole instance's vCPUs against max_vcpus.
                        .instanceType(List.of(machine.name()))
                        .minVcpus(0)
                        .maxVcpus(machine.vcpus() * training.maxNodes())
                        .instanceRole(instanceProfile.getArn())
                        .subnets(subnetIds)
                        .securityGroupIds(List.of(outboundOnly.getId()))
                        .launchTemplate(
                            BatchComputeEnvironmentComputeResourcesLaunchTemplate.builder()
                                .launchTemplateId(nodes.getId())
                                .version(
                                    com.hashicorp.cdktf.Token.asString(nodes.getLatestVersion()))
                                .build())
                        // The ECS GPU AMI carries the NVIDIA driver and container toolkit.
                        .ec2Configuration(
                            List.of(
                                BatchComputeEnvironmentComputeResourcesEc2Configuration.builder()
                                    .imageType("ECS_AL2_NVIDIA")
                                    .build()))
                        .build())
                .dependsOn(List.of(instanceProfile))
                .build());

    queue =
        new BatchJobQueue(
            this,
            "queue",
            BatchJobQueueConfig.builder()
                .name(name)
                .state("ENABLED")
                .priority(1)
                .computeEnvironments(List.of(environment.getArn()))
                .build());

    jobDefinition =
        new BatchJobDefinition(
            this,
            "job-definition",
            BatchJobDefinitionConfig.builder()
                .name(name)
                .type("container")
                .platformCapabilities(List.of("EC2"))
                .containerProperties(containerProperties(config, storage, jobRole, logs))
                .retryStrategy(
                    BatchJobDefinitionRetryStrategy.builder()
                        .attempts(training.retries() + 1)
                        .evaluateOnExit(
                            List.of(
                                // A reclaimed spot instance or a lost host is worth another attempt
                                // ...
                                BatchJobDefinitionRetryStrategyEvaluateOnExit.builder()
                                    .onStatusReason("Host EC2*")
                                    .action("RETRY")
                                    .build(),
                                BatchJobDefinitionRetryStrategyEvaluateOnExit.builder()
                                    .onReason("CannotPullContainerError*")
                                    .action("RETRY")
                                    .build(),
                                // ... a trainer that failed on its own data or options is not (exit
                                // 1, TrainerMain.JOB_FAILED; exit 2, a store or machine fault, is).
                                BatchJobDefinitionRetryStrategyEvaluateOnExit.builder()
                                    .onExitCode("1")
                                    .action("EXIT")
                                    .build(),
                                BatchJobDefinitionRetryStrategyEvaluateOnExit.builder()
                                    .onReason("*")
                                    .action("RETRY")
                                    .build()))
                        .build())
                .timeout(
                    BatchJobDefinitionTimeout.builder()
                        .attemptDurationSeconds(training.timeoutMinutes() * 60)
                        .build())
                .build());
  }

  private String containerProperties(
      TriadConfig config, AwsStorage storage, IamRole jobRole, CloudwatchLogGroup logs) {
    TriadConfig.Training training = config.training();
    // No command: the image's entrypoint is the trainer and the launcher (AwsBatchLauncher)
    // overrides
    // the command with TrainingJob.arguments() per job, as Cloud Batch gets them on GCP.
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("image", repository.getRepositoryUrl() + ":" + training.trainerImageTag());
    properties.put("jobRoleArn", jobRole.getArn());
    properties.put(
        "resourceRequirements",
        List.of(
            Map.of("type", "GPU", "value", String.valueOf(training.gpuCount())),
            Map.of("type", "VCPU", "value", String.valueOf(training.vcpus())),
            Map.of("type", "MEMORY", "value", String.valueOf(training.memoryMb()))));
    properties.put(
        "environment", List.of(Map.of("name", TriadContract.ORT_DISABLE_TELEMETRY, "value", "1")));
    properties.put(
        "logConfiguration",
        Map.of(
            "logDriver",
            "awslogs",
            "options",
            Map.of(
                "awslogs-group", logs.getName(),
                "awslogs-region", config.aws().region(),
                "awslogs-stream-prefix", "trainer")));
    return Json.render(properties);
  }

  String queueArn() {
    return queue.getArn();
  }

  String queueName() {
    return queue.getName();
  }

  String jobDefinitionName() {
    return jobDefinition.getName();
  }

  /** Every revision of the job definition, the resource {@code batch:SubmitJob} is scoped to. */
  String jobDefinitionArns(String accountId) {
    return "arn:aws:batch:"
        + region
        + ":"
        + accountId
        + ":job-definition/"
        + jobDefinition.getName()
        + ":*";
  }

  String repositoryUrl() {
    return repository.getRepositoryUrl();
  }
}
