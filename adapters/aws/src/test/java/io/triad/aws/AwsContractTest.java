package io.triad.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.triad.settings.AwsContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The adapter reads exactly the names {@link AwsContract} lists; infra's tests hold the stack to
 * the same list.
 */
class AwsContractTest {

  @Test
  void from_should_readTheContractNames_when_settingsAreLookedUp() {
    // given a lookup that records every name asked for
    Set<String> asked = new TreeSet<>();

    // when
    AwsSettings.from(
        name -> {
          asked.add(name);
          return null;
        });

    // then: every name the stack sets is read (ORT_DISABLE_TELEMETRY by ONNX Runtime;
    // TRIAD_CATALOG,
    // TRIAD_SIGNING_* and TRIAD_COST_* by Spring's binding of triad.catalog, triad.signing.* and
    // triad.cost.*, not here), nothing else is
    List<String> set = new ArrayList<>(AwsContract.names(AwsContract.SCHEDULE));
    set.removeAll(io.triad.settings.TriadContract.costNames());
    set.removeAll(
        List.of(
            AwsContract.ORT_DISABLE_TELEMETRY,
            AwsContract.JAVA_TOOL_OPTIONS,
            AwsContract.MODELS,
            AwsContract.SIGNING_TRUSTED_KEYS,
            AwsContract.SIGNING_KEY));
    List<String> readable = new ArrayList<>(set);
    readable.addAll(AwsContract.unmanaged());
    assertThat(asked).containsAll(set).isSubsetOf(readable);
  }

  @Test
  void handlers_should_beRequestStreamHandlers_when_namedByTheContract()
      throws ClassNotFoundException {
    for (String handler :
        List.of(AwsContract.HTTP_HANDLER, AwsContract.S3_HANDLER, AwsContract.SCHEDULE_HANDLER)) {
      // given
      String[] classAndMethod = handler.split("::");

      // when
      Class<?> type = Class.forName(classAndMethod[0]);

      // then
      assertThat(RequestStreamHandler.class).isAssignableFrom(type);
      assertThat(classAndMethod[1]).isEqualTo("handleRequest");
    }
  }

  @Test
  void functionRole_should_parseEveryContractFunction_when_givenItsName() {
    assertThat(AwsContract.FUNCTIONS)
        .map(FunctionRole::parse)
        .containsExactly(FunctionRole.values());
  }
}
