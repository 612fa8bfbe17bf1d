package io.triad.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.triad.functions.api.TriadJson;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Which version of an iris-shaped model a runtime answers with: one OIP v2 infer of one flower. */
final class ServedVersion {
  private static final byte[] ONE_FLOWER =
      ("{\"inputs\":[{\"name\":\"features\",\"shape\":[1,4],\"datatype\":\"FP32\","
              + "\"data\":[6.7,3.0,5.2,2.3]}]}")
          .getBytes(StandardCharsets.UTF_8);

  private ServedVersion() {}

  /**
   * The {@code model_version} of a 200 answer to {@code POST /v2/models/{model}/infer}; any other
   * status fails.
   */
  static String of(RuntimeUnderTest runtime, String model, String when) throws Exception {
    Answer answer =
        runtime.send(
            new ContractRequest(
                model + "-infer",
                "POST",
                "/v2/models/" + model + "/infer",
                Map.of("Content-Type", "application/json"),
                ONE_FLOWER));
    assertThat(answer.status())
        .as("%s, %s: infer %s; body %s", runtime.name(), when, model, answer.text())
        .isEqualTo(200);
    return TriadJson.mapper().readTree(answer.body()).path("model_version").asText();
  }
}
