package io.triad.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.triad.infra.config.TriadConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The preview's arithmetic on triad-test.yaml: weekdays at 02:30 (21.75 a month on average) for two
 * models, 0.5 GPU-hours each; a million 150 ms requests at 1536 MB.
 */
class CostPreviewTest {

  private final TriadConfig config = SynthesizedStack.testConfig();
  private final CostPreview preview = new CostPreview(config);

  @Test
  void items_should_priceGpuHoursFunctionsRequestsAndStorage() {
    assertThat(preview.retrainsPerMonth()).isCloseTo(43.5, within(1e-9));
    List<CostPreview.Item> aws = preview.items(Cloud.AWS);

    // 21.75 h of g4dn.12xlarge (T4 x4) at the configured 0.25/h
    assertThat(aws.get(0).what()).startsWith("GPU: 21.8 h of g4dn.12xlarge");
    assertThat(aws.get(0).usd()).isCloseTo(21.75 * 0.25, within(1e-9));
    // 1e6 x 0.15 s x 1.5 GB = 225,000 GB-s
    assertThat(aws.get(1).usd()).isCloseTo(225_000 * 0.0000166667, within(1e-6));
    assertThat(aws.get(2).usd()).isCloseTo(0.20, within(1e-9));
    assertThat(aws.get(3).usd()).isCloseTo(20 * 0.023, within(1e-9));
    assertThat(preview.total(Cloud.AWS))
        .isCloseTo(aws.stream().mapToDouble(CostPreview.Item::usd).sum(), within(1e-9));
  }

  @Test
  void render_should_listEveryCloudAgainstTheBudgetWithItsAssumptions() {
    String text = preview.render(List.of(Cloud.values()));

    assertThat(text)
        .contains("aws ", "azure", "gcp ")
        .contains("of a 1200 budget")
        .doesNotContain("OVER BUDGET")
        .contains("Standard_NC64as_T4_v3", "n1-standard-32")
        .contains("assumes: cron '30 2 * * 1-5' retrains every model each time")
        .contains("no free tiers, data transfer");
  }
}
