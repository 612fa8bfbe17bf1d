package io.triad.azure;

import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;
import io.triad.functions.http.HttpAnswer;
import io.triad.functions.http.HttpCall;
import io.triad.functions.http.InferenceApi;
import java.util.Optional;

/**
 * Turns the Functions request into an {@link HttpCall} and the {@link HttpAnswer} back; nothing
 * else.
 */
public final class HttpEvents {
  private final InferenceApi api;

  public HttpEvents(InferenceApi api) {
    this.api = api;
  }

  public HttpResponseMessage answer(HttpRequestMessage<Optional<byte[]>> request) {
    HttpAnswer answer = api.handle(decode(request));
    HttpResponseMessage.Builder response =
        request.createResponseBuilder(HttpStatusType.custom(answer.status()));
    answer.headers().forEach(response::header);
    return response.body(answer.body()).build();
  }

  static HttpCall decode(HttpRequestMessage<Optional<byte[]>> request) {
    // the raw path, as the local runtime passes it (host.json's routePrefix is empty, so it is the
    // API's own path)
    String path = request.getUri().getRawPath();
    return new HttpCall(
        request.getHttpMethod().name(), path, request.getHeaders(), request.getBody().orElse(null));
  }
}
