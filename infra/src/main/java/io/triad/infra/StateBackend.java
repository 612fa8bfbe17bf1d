package io.triad.infra;

import com.hashicorp.cdktf.AzurermBackend;
import com.hashicorp.cdktf.AzurermBackendConfig;
import com.hashicorp.cdktf.GcsBackend;
import com.hashicorp.cdktf.GcsBackendConfig;
import com.hashicorp.cdktf.LocalBackend;
import com.hashicorp.cdktf.LocalBackendConfig;
import com.hashicorp.cdktf.S3Backend;
import com.hashicorp.cdktf.S3BackendConfig;
import io.triad.infra.config.TriadConfig;
import software.constructs.Construct;

/**
 * Where a stack keeps its Terraform state: the backend {@code state.{cloud}} in triad.yaml names,
 * or {@code terraform.tfstate} beside the stack. Each remote backend locks, so two applies never
 * interleave: S3 through a DynamoDB table, azurerm and GCS by themselves.
 */
public final class StateBackend {
  private StateBackend() {}

  public static void aws(Construct stack, TriadConfig.AwsState state) {
    if (state == null) {
      local(stack);
      return;
    }
    new S3Backend(
        stack,
        S3BackendConfig.builder()
            .bucket(state.bucket())
            .key(state.key())
            .region(state.region())
            .encrypt(true)
            .dynamodbTable(state.lockTable())
            .build());
  }

  public static void azure(Construct stack, TriadConfig.AzureState state) {
    if (state == null) {
      local(stack);
      return;
    }
    new AzurermBackend(
        stack,
        AzurermBackendConfig.builder()
            .resourceGroupName(state.resourceGroup())
            .storageAccountName(state.storageAccount())
            .containerName(state.container())
            .key(state.key())
            // keyless, as the stack's own storage: the deployer needs Storage Blob Data Contributor
            .useAzureadAuth(true)
            .build());
  }

  public static void gcp(Construct stack, TriadConfig.GcpState state) {
    if (state == null) {
      local(stack);
      return;
    }
    new GcsBackend(
        stack, GcsBackendConfig.builder().bucket(state.bucket()).prefix(state.prefix()).build());
  }

  private static void local(Construct stack) {
    new LocalBackend(stack, LocalBackendConfig.builder().path("terraform.tfstate").build());
  }
}
