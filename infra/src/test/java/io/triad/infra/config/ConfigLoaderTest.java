package io.triad.infra.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triad.infra.SynthesizedStack;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

  private final ConfigLoader loader = new ConfigLoader();

  @Test
  void load_should_acceptTheCommittedExample_when_readFromInfra() {
    TriadConfig example = loader.load(Path.of(System.getProperty("triad.example.config")));

    assertThat(example.project()).isEqualTo("triad-demo");
    assertThat(example.training().gpu()).isEqualTo(GpuType.T4);
    assertThat(example.retrainCron().unix()).isEqualTo("0 3 * * *");
  }

  @Test
  void read_should_giveTypedValues_when_theTestConfigIsValid() {
    TriadConfig config = SynthesizedStack.testConfig();

    assertThat(config.models()).containsExactly("iris", "digits");
    assertThat(config.modelList()).isEqualTo("iris,digits");
    assertThat(config.training().gpuCount()).isEqualTo(4);
    assertThat(config.training().spot()).isTrue();
    assertThat(config.functions().memoryMb()).isEqualTo(1536);
  }

  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "training:\\n  gpu: K80           | training.gpu: unknown GPU type 'K80'; one of [T4, A100, H100]",
        "training:\\n  gpu: V100          | training.gpu: unknown GPU type 'V100' (Azure retired its V100 sizes on 2025-09-30); one of [T4, A100, H100]",
        "functions:\\n  memoryMb: -512    | functions.memoryMb: '-512' must be a whole number from 128 to 10240",
        "retraining:\\n  cron: '0 25 * * *' | retraining.cron: hour value '25' is outside 0-23",
        "retraining:\\n  cron: 'every day'  | retraining.cron: needs five fields",
        "training:\\n  gpuCount: 0       | training.gpuCount: '0' must be a whole number from 1 to 8",
        "training:\\n  gpuCount: 3       | training.gpuCount: 3 T4 GPUs do not fit one machine on every cloud; use one of [1, 4]",
        "training:\\n  gpuCount: 1       | training.vcpus: 8 vCPUs do not fit g4dn.xlarge (4 vCPUs)",
        "training:\\n  memoryMb: 120000  | training.memoryMb: 120000 MiB does not fit n1-standard-32 (at most 110592 MiB of its 122880 MiB for a job)",
        "aws:\\n  region: Europe       | aws.region: 'Europe' is not an AWS region such as eu-west-1",
        "gcp:\\n  region: europe_west4 | gcp.region: 'europe_west4' is not a GCP region such as europe-west4",
        "alerts:\\n  email: nobody     | alerts.email: 'nobody' is not an email address",
        "aws:\\n  logRetentionDays: 10 | aws.logRetentionDays: '10' must be one of",
        "training:\\n  spot: sometimes | training.spot: 'sometimes' must be true or false",
        "training:\\n  gpus: 2         | training.gpus: unknown field",
        "project: Triad_Demo          | project: 'Triad_Demo' is not 2-16 lowercase letters",
        "cost:\\n  monthlyBudgetUsd: 0 | cost.monthlyBudgetUsd: '0' must be a whole number from 1 to 10000000",
        "cost:\\n  budget: 5          | cost.budget: unknown field",
        "gcp:\\n  billingAccount: 42 | gcp.billingAccount: '42' is not a billing account id such as 012345-6789AB-CDEF01",
      })
  void read_should_nameTheBadField_when_aValueIsWrong(String override, String message)
      throws IOException {
    String text = withOverride(override.replace("\\n", "\n"));

    assertThatThrownBy(() -> loader.read("bad.yaml", text))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("invalid configuration bad.yaml")
        .hasMessageContaining(message);
  }

  @Test
  void read_should_reportEveryProblemAtOnce_when_severalValuesAreWrong() {
    String text = "project: x\nmodels: []\n";

    assertThatThrownBy(() -> loader.read("bad.yaml", text))
        .isInstanceOfSatisfying(
            InvalidConfigException.class,
            e ->
                assertThat(e.problems())
                    .anyMatch(p -> p.startsWith("project:"))
                    .anyMatch(p -> p.startsWith("models:"))
                    .anyMatch(p -> p.equals("retraining.cron: missing"))
                    .anyMatch(p -> p.equals("training.gpu: missing"))
                    .anyMatch(p -> p.equals("gcp.project: missing")));
  }

  @Test
  void read_should_refuse_when_theFileIsNotYaml() {
    assertThatThrownBy(() -> loader.read("bad.yaml", "project: [unclosed"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("not YAML");
  }

  /** The test config with one top-level value, or one field of a section, replaced (or added). */
  private static String withOverride(String override) throws IOException {
    List<String> lines;
    try (InputStream in = ConfigLoaderTest.class.getResourceAsStream("/triad-test.yaml")) {
      lines =
          new ArrayList<>(
              List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")));
    }
    String key = override.substring(0, override.indexOf(':'));
    int at =
        lines.indexOf(
            lines.stream().filter(l -> l.startsWith(key + ":")).findFirst().orElseThrow());
    if (!override.contains("\n")) {
      lines.set(at, override);
      return String.join("\n", lines);
    }
    String field = override.substring(override.indexOf('\n') + 1);
    String fieldKey = field.substring(0, field.indexOf(':') + 1);
    int end = at + 1;
    while (end < lines.size() && lines.get(end).startsWith("  ")) {
      if (lines.get(end).startsWith(fieldKey)) {
        lines.set(end, field);
        return String.join("\n", lines);
      }
      end++;
    }
    lines.add(end, field);
    return String.join("\n", lines);
  }
}
