package io.triad.permissions;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Ends a suite with every cloud's permission check, reporting all that fail together. */
public final class CloudPermissions {
  private CloudPermissions() {}

  public static void assertSuiteAllowed(
      String suite, Set<String> aws, Set<String> gcp, Set<String> azure) {
    List<String> failures = new ArrayList<>();
    try {
      AwsPermissions.assertSuiteAllowed(suite, aws);
    } catch (AssertionError e) {
      failures.add(e.getMessage());
    }
    try {
      GcpPermissions.assertSuiteAllowed(suite, gcp);
    } catch (AssertionError e) {
      failures.add(e.getMessage());
    }
    List<String> azureProblems = AzurePermissions.suiteProblems(suite, azure);
    if (!azureProblems.isEmpty()) {
      failures.add(
          "the Azure stack's blob role assignments:\n  " + String.join("\n  ", azureProblems));
    }
    if (!failures.isEmpty()) {
      throw new AssertionError(String.join("\n", failures));
    }
  }
}
