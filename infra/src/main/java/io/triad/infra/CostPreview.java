package io.triad.infra;

import io.triad.infra.config.GpuType;
import io.triad.infra.config.TriadConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What each cloud's stack is expected to cost a month, from the prices and usage in {@code cost}:
 * GPU machine hours (retrains a month from the cron, times hours per retrain), function GB-seconds
 * and requests, storage. Printed by synth with every assumption it makes; free tiers, data
 * transfer, logs and the container registry are left out, and said so.
 */
public final class CostPreview {

  /** One priced item of a cloud's month. */
  public record Item(String what, double usd) {}

  private final TriadConfig config;

  public CostPreview(TriadConfig config) {
    this.config = config;
  }

  public double retrainsPerMonth() {
    return config.retrainCron().firingsPerMonth() * config.models().size();
  }

  /** The month's items for {@code cloud}, priced. */
  public List<Item> items(Cloud cloud) {
    TriadConfig.Usage usage = config.cost().usage();
    TriadConfig.Prices prices = config.cost().prices().get(cloud.stackName());
    double gpuHours = retrainsPerMonth() * usage.hoursPerRetrain();
    double gbSeconds =
        usage.requestsPerMonth()
            * (usage.requestMillis() / 1000.0)
            * (config.functions().memoryMb() / 1024.0);
    List<Item> items = new ArrayList<>();
    items.add(
        new Item(
            String.format(
                Locale.ROOT,
                "GPU: %.1f h of %s (%.1f retrains x %.2f h)",
                gpuHours,
                machine(cloud),
                retrainsPerMonth(),
                usage.hoursPerRetrain()),
            gpuHours * prices.gpuMachineHour()));
    items.add(
        new Item(
            String.format(
                Locale.ROOT,
                "functions: %,.0f GB-s (%,d requests x %d ms x %d MB)",
                gbSeconds,
                usage.requestsPerMonth(),
                usage.requestMillis(),
                config.functions().memoryMb()),
            gbSeconds * prices.gbSecond()));
    items.add(
        new Item(
            String.format(Locale.ROOT, "requests: %,d", usage.requestsPerMonth()),
            usage.requestsPerMonth() / 1e6 * prices.millionRequests()));
    items.add(
        new Item(
            String.format(Locale.ROOT, "storage: %.1f GB", usage.storageGb()),
            usage.storageGb() * prices.storageGbMonth()));
    return items;
  }

  public double total(Cloud cloud) {
    return items(cloud).stream().mapToDouble(Item::usd).sum();
  }

  /** The preview as synth prints it: per cloud, its items and total against the budget. */
  public String render(List<Cloud> clouds) {
    StringBuilder out = new StringBuilder("monthly cost preview (USD):\n");
    for (Cloud cloud : clouds) {
      double total = total(cloud);
      int budget = config.cost().monthlyBudgetUsd();
      out.append(
          String.format(
              Locale.ROOT,
              "  %-5s %9.2f  of a %d budget%s%n",
              cloud.stackName(),
              total,
              budget,
              total > budget ? "  OVER BUDGET" : ""));
      for (Item item : items(cloud)) {
        out.append(String.format(Locale.ROOT, "          %9.2f  %s%n", item.usd(), item.what()));
      }
    }
    out.append("  assumes: ")
        .append(
            String.join(
                "; ",
                "cron '" + config.retrainCron().unix() + "' retrains every model each time",
                "a retrain holds one GPU machine for cost.usage.hoursPerRetrain (retries not"
                    + " counted)",
                "prices from cost.prices, "
                    + (config.training().spot() ? "spot" : "on-demand")
                    + " as training.spot says",
                "no free tiers, data transfer, logs, alert topics or registry storage",
                "not the NAT gateway the GPU nodes' subnet goes out through on AWS and Azure"
                    + " (billed by the hour whether jobs run or not)"))
        .append('\n');
    return out.toString();
  }

  private String machine(Cloud cloud) {
    GpuType gpu = config.training().gpu();
    int count = config.training().gpuCount();
    return switch (cloud) {
      case AWS -> gpu.aws(count).name();
      case AZURE -> gpu.azure(count).name();
      case GCP -> gpu.gcp(count).name();
    };
  }
}
