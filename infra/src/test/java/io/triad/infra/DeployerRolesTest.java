package io.triad.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The deployer's permissions cover every kind of thing each stack makes, and README says them. */
class DeployerRolesTest {

  @Test
  void everyResourceAndDataType_should_haveADeployerPermission_when_synthesized() {
    for (Cloud cloud : Cloud.values()) {
      JsonNode root = SynthesizedStack.of(cloud).root();
      List<String> types = new ArrayList<>();
      root.path("resource").fieldNames().forEachRemaining(types::add);
      root.path("data").fieldNames().forEachRemaining(types::add);
      for (String type : types) {
        assertThat(DeployerRoles.forType(cloud, type)).as("%s: %s", cloud, type).isPresent();
      }
    }
  }

  @Test
  void readme_should_listEveryDeployerPermission() throws Exception {
    Path readme = Path.of(System.getProperty("triad.readme", "../README.md"));
    String text = Files.readString(readme).replaceAll("\\s+", " ");

    for (Cloud cloud : Cloud.values()) {
      for (String permission : DeployerRoles.of(cloud).values()) {
        assertThat(text).as("README, %s deployer", cloud).contains(permission);
      }
    }
  }
}
