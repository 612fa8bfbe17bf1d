package io.triad.infra;

import com.hashicorp.cdktf.TerraformStack;
import io.triad.infra.aws.AwsStack;
import io.triad.infra.azure.AzureStack;
import io.triad.infra.config.TriadConfig;
import io.triad.infra.gcp.GcpStack;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import software.constructs.Construct;

/**
 * The clouds Triad deploys to; each name is also its stack's folder under {@code
 * cdktf.out/stacks/}.
 */
public enum Cloud {
  AWS,
  AZURE,
  GCP;

  public String stackName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public TerraformStack stack(Construct app, TriadConfig config) {
    return switch (this) {
      case AWS -> new AwsStack(app, stackName(), config);
      case AZURE -> new AzureStack(app, stackName(), config);
      case GCP -> new GcpStack(app, stackName(), config);
    };
  }

  public static Cloud named(String name) {
    return Arrays.stream(values())
        .filter(c -> c.stackName().equals(name))
        .findFirst()
        .orElseThrow(
            () -> new IllegalArgumentException("unknown stack '" + name + "'; one of " + names()));
  }

  public static List<String> names() {
    return Arrays.stream(values()).map(Cloud::stackName).toList();
  }
}
