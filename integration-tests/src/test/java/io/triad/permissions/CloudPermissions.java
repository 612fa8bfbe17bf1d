package io.triad.permissions;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Ends a suite with every cloud's permission check: the calls the functions and trainers made
 * against what each synthesized stack grants them. All failures are reported together.
 */
public final class CloudPermissions {
  private CloudPermissions() {}

  public static void assertSuiteAllowed(
      String suite, Set<String> aws, Set<String> gcp, Set<String> azure) {
    List<String> failures = new ArrayList<>();
    report(failures, "the AWS stack's IAM", AwsPermissions.suiteProblems(suite, aws));
    report(failures, "the GCP stack's bucket grants", GcpPermissions.suiteProblems(suite, gcp));
    report(
        failures,
        "the Azure stack's role assignments",
        AzurePermissions.suiteProblems(suite, azure));
    if (!failures.isEmpty()) {
      throw new AssertionError(String.join("\n", failures));
    }
  }

  private static void report(List<String> failures, String what, List<String> problems) {
    if (!problems.isEmpty()) {
      failures.add(what + " against the recorded calls:\n  " + String.join("\n  ", problems));
    }
  }
}
