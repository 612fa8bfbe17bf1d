package io.triad.infra.gcp;

import com.hashicorp.cdktf.providers.google.logging_metric.LoggingMetric;
import com.hashicorp.cdktf.providers.google.logging_metric.LoggingMetricBucketOptions;
import com.hashicorp.cdktf.providers.google.logging_metric.LoggingMetricBucketOptionsExponentialBuckets;
import com.hashicorp.cdktf.providers.google.logging_metric.LoggingMetricConfig;
import com.hashicorp.cdktf.providers.google.logging_metric.LoggingMetricMetricDescriptor;
import com.hashicorp.cdktf.providers.google.logging_metric.LoggingMetricMetricDescriptorLabels;
import io.triad.infra.config.TriadConfig;
import io.triad.layout.MetricNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * The core's metrics in Cloud Monitoring: one log-based metric per {@link MetricNames} entry, built
 * from the structured lines the functions write after each request or event ({@code
 * io.triad.gcp.LogMetrics}): the lines of the stack's functions whose {@code jsonPayload.
 * triad_metric} names it, the value from {@code jsonPayload.value} into a distribution (a counter's
 * sum is its count), each tag a label. They appear as {@code
 * logging.googleapis.com/user/{project}/triad/{name}}.
 */
final class GcpMetrics extends Construct {

  GcpMetrics(Construct scope, String id, TriadConfig config) {
    super(scope, id);
    for (MetricNames.Metric metric : MetricNames.ALL) {
      Map<String, String> extractors = new LinkedHashMap<>();
      List<LoggingMetricMetricDescriptorLabels> labels =
          metric.tags().stream()
              .map(
                  tag -> {
                    extractors.put(tag, "EXTRACT(jsonPayload." + tag + ")");
                    return LoggingMetricMetricDescriptorLabels.builder()
                        .key(tag)
                        .valueType("STRING")
                        .build();
                  })
              .toList();
      new LoggingMetric(
          this,
          metric.name().replace('.', '-'),
          LoggingMetricConfig.builder()
              .name(name(config, metric))
              .description(metric.description())
              .filter(filter(config, metric))
              .metricDescriptor(
                  LoggingMetricMetricDescriptor.builder()
                      .metricKind("DELTA")
                      .valueType("DISTRIBUTION")
                      .unit(metric.unit())
                      .displayName(metric.name())
                      .labels(labels)
                      .build())
              .valueExtractor("EXTRACT(jsonPayload." + MetricNames.LINE_VALUE + ")")
              .labelExtractors(extractors)
              .bucketOptions(
                  LoggingMetricBucketOptions.builder()
                      .exponentialBuckets(
                          LoggingMetricBucketOptionsExponentialBuckets.builder()
                              .numFiniteBuckets(40)
                              .growthFactor(1.5)
                              .scale(0.1)
                              .build())
                      .build())
              .build());
    }
  }

  /** The log-based metric's name: {@code {project}/triad/{name with '.' as '/'}}. */
  static String name(TriadConfig config, MetricNames.Metric metric) {
    return config.project() + "/" + metric.name().replace('.', '/');
  }

  /** The stack's functions' lines for {@code metric}. */
  static String filter(TriadConfig config, MetricNames.Metric metric) {
    return "resource.type=\"cloud_run_revision\" AND resource.labels.service_name=~\"^"
        + config.project()
        + "-\" AND jsonPayload."
        + MetricNames.LINE_NAME
        + "=\""
        + metric.name()
        + "\"";
  }
}
