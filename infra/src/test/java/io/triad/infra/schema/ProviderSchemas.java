package io.triad.infra.schema;

import io.triad.infra.Cloud;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * Each cloud's provider schema, read once per test JVM from the tarball the build fetched ({@code
 * triad.schema.dir}; the package and its integrity in {@code triad.schema.PROVIDER}, both set by
 * infra/pom.xml).
 */
public final class ProviderSchemas {

  private static final Map<Cloud, ProviderSchema> SCHEMAS = new EnumMap<>(Cloud.class);

  private ProviderSchemas() {}

  public static synchronized ProviderSchema of(Cloud cloud) {
    return SCHEMAS.computeIfAbsent(cloud, ProviderSchemas::read);
  }

  /** The Terraform provider each cloud's stack uses. */
  public static String provider(Cloud cloud) {
    return switch (cloud) {
      case AWS -> "aws";
      case AZURE -> "azurerm";
      case GCP -> "google";
    };
  }

  private static ProviderSchema read(Cloud cloud) {
    String pinned = System.getProperty("triad.schema." + provider(cloud));
    String dir = System.getProperty("triad.schema.dir");
    if (pinned == null || dir == null) {
      throw new IllegalStateException(
          "triad.schema.dir and triad.schema." + provider(cloud) + " are set by infra/pom.xml");
    }
    String[] packageAndIntegrity = pinned.trim().split("\\s+");
    // npm pack names "@cdktf/provider-aws@19.65.1" cdktf-provider-aws-19.65.1.tgz.
    String spec = packageAndIntegrity[0];
    int at = spec.lastIndexOf('@');
    String file = spec.substring(1, at).replace('/', '-') + "-" + spec.substring(at + 1) + ".tgz";
    Path tarball = Path.of(dir, file);
    if (!Files.isRegularFile(tarball)) {
      throw new IllegalStateException(
          tarball + " is missing: the build's fetch-provider-schemas step (npm pack) makes it");
    }
    try {
      ProviderSchema schema = ProviderSchema.read(tarball, packageAndIntegrity[1]);
      if (!schema.provider().equals(provider(cloud))) {
        throw new IllegalStateException(spec + " describes " + schema.provider());
      }
      return schema;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
