package io.triad.azure;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.triad.settings.AzureContract;
import java.util.Optional;

/**
 * The whole HTTP API behind one catch-all route; a function key is required unless the app says
 * otherwise.
 */
public final class HttpEntry {
  private final HttpEvents exchange;

  public HttpEntry(HttpEvents exchange) {
    this.exchange = exchange;
  }

  @FunctionName(AzureContract.HTTP_FUNCTION)
  public HttpResponseMessage run(
      @HttpTrigger(
              name = "request",
              route = "{*path}",
              authLevel = AuthorizationLevel.FUNCTION,
              dataType = "binary",
              methods = {
                HttpMethod.GET,
                HttpMethod.HEAD,
                HttpMethod.POST,
                HttpMethod.PUT,
                HttpMethod.DELETE,
                HttpMethod.PATCH,
                HttpMethod.OPTIONS
              })
          HttpRequestMessage<Optional<byte[]>> request,
      ExecutionContext context) {
    return exchange.answer(request);
  }
}
