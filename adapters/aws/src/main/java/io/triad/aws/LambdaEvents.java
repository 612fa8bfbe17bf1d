package io.triad.aws;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One role's codec: decodes the provider's event, calls the neutral function, encodes its answer.
 */
interface LambdaEvents {

  /** Handles one event; what it returns is written as the invocation's JSON response. */
  Object handle(JsonNode event);
}
