package io.triad.azure;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.EventGridTrigger;
import com.microsoft.azure.functions.annotation.FunctionName;
import io.triad.settings.AzureContract;

/**
 * Blob-created events from the storage account's Event Grid system topic, into {@code
 * onObjectCreated}.
 */
public final class UploadEntry {
  private final UploadEvents events;

  public UploadEntry(UploadEvents events) {
    this.events = events;
  }

  @FunctionName(AzureContract.OBJECT_CREATED_FUNCTION)
  public void run(@EventGridTrigger(name = "event") String event, ExecutionContext context) {
    events.handle(event, context.getLogger());
  }
}
