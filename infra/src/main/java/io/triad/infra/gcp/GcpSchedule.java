package io.triad.infra.gcp;

import com.hashicorp.cdktf.providers.google.cloud_scheduler_job.CloudSchedulerJob;
import com.hashicorp.cdktf.providers.google.cloud_scheduler_job.CloudSchedulerJobConfig;
import com.hashicorp.cdktf.providers.google.cloud_scheduler_job.CloudSchedulerJobPubsubTarget;
import com.hashicorp.cdktf.providers.google.pubsub_topic.PubsubTopic;
import com.hashicorp.cdktf.providers.google.pubsub_topic.PubsubTopicConfig;
import io.triad.infra.Json;
import io.triad.infra.config.TriadConfig;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import software.constructs.Construct;

/**
 * The retraining tick: Cloud Scheduler publishes to a Pub/Sub topic that the schedule function
 * consumes.
 */
final class GcpSchedule extends Construct {

  private final PubsubTopic topic;

  GcpSchedule(Construct scope, String id, TriadConfig config) {
    super(scope, id);
    topic =
        new PubsubTopic(
            this,
            "ticks",
            PubsubTopicConfig.builder()
                .name(config.project() + "-retrain-ticks")
                .messageRetentionDuration("86400s")
                .build());
    String tick = Json.render(Map.of("schedule", "retrain", "models", config.models()));
    new CloudSchedulerJob(
        this,
        "retrain",
        CloudSchedulerJobConfig.builder()
            .name(config.project() + "-retrain")
            .region(config.gcp().region())
            .description("Triad retraining tick")
            .schedule(config.retrainCron().unix())
            .timeZone("Etc/UTC")
            .pubsubTarget(
                CloudSchedulerJobPubsubTarget.builder()
                    .topicName(topic.getId())
                    .data(Base64.getEncoder().encodeToString(tick.getBytes(StandardCharsets.UTF_8)))
                    .build())
            .build());
  }

  PubsubTopic topic() {
    return topic;
  }
}
