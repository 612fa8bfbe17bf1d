package io.triad.infra.gcp;

import com.hashicorp.cdktf.TerraformDataSource;
import com.hashicorp.cdktf.TerraformResource;
import java.util.ArrayList;
import java.util.List;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * Adds Terraform {@code depends_on} entries to every resource and data source under a construct.
 */
final class GcpDependencies {
  private GcpDependencies() {}

  /** {@code fqns}: the depended-on resources' {@code type.name} references. */
  static void add(Construct under, List<String> fqns) {
    for (IConstruct child : under.getNode().findAll()) {
      if (child instanceof TerraformResource resource) {
        resource.setDependsOn(merged(resource.getDependsOn(), fqns));
      } else if (child instanceof TerraformDataSource source) {
        source.setDependsOn(merged(source.getDependsOn(), fqns));
      }
    }
  }

  private static List<String> merged(List<String> existing, List<String> more) {
    List<String> all = new ArrayList<>(existing == null ? List.of() : existing);
    for (String fqn : more) {
      if (!all.contains(fqn)) {
        all.add(fqn);
      }
    }
    return all;
  }
}
