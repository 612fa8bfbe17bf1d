package io.triad.functions.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.triad.functions.api.InferenceCall;
import io.triad.functions.api.InferenceRequest;
import io.triad.functions.api.InferenceResponse;
import io.triad.functions.api.NamedTensor;
import io.triad.functions.api.TriadError;
import io.triad.functions.api.TriadJson;
import io.triad.functions.model.ModelRegistry;
import io.triad.functions.model.RegistrySettings;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.TestModels;
import io.triad.onnx.OnnxModelBuilder;
import io.triad.onnx.OnnxModelBuilder.ElementType;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The codec and predictor against real ONNX Runtime sessions, loaded through the registry. */
class PredictorTest {
  @TempDir static Path bucket;
  private static ModelRegistry registry;
  private static Predictor predictor;

  @BeforeAll
  static void publishModels() {
    FileSystemBlobStore store = new FileSystemBlobStore(bucket);
    new TestModels(store).publishCodecModels();
    new TestModels(store).publish(TOKENS, "1", tokensOnnx());
    new TestModels(store).publish(RESHAPE, "1", reshapeOnnx());
    registry = TestModels.registry(store, RegistrySettings.DEFAULTS);
    predictor = new Predictor(registry, new TensorCodec(OrtEnvironment.getEnvironment()));
  }

  private static final String TOKENS = "tokens";
  private static final String RESHAPE = "reshape";

  /** Two INT64 inputs that share their batch and sequence dimensions, as a text model's do. */
  private static byte[] tokensOnnx() {
    return new OnnxModelBuilder("tokens")
        .input("input_ids", ElementType.INT64, -1, -1)
        .input("attention_mask", ElementType.INT64, -1, -1)
        .output("masked", ElementType.INT64, -1, -1)
        .node("Mul", List.of("input_ids", "attention_mask"), List.of("masked"))
        .toBytes();
  }

  /** Reshapes any vector to [2, 3]: only six elements fit, which only the run can tell. */
  private static byte[] reshapeOnnx() {
    return new OnnxModelBuilder("reshape")
        .input("x", ElementType.FLOAT, -1)
        .initializer("to", new long[] {2, 3}, 2)
        .output("y", ElementType.FLOAT, 2, 3)
        .node("Reshape", List.of("x", "to"), List.of("y"))
        .toBytes();
  }

  @Test
  void apply_shouldFail400NamingTheDimension_whenInputsDisagreeOnASharedDimension() {
    // given input_ids of sequence length 4 beside an attention mask of length 5
    String body =
        "{\"inputs\":[{\"name\":\"input_ids\",\"datatype\":\"INT64\",\"shape\":[1,4],"
            + "\"data\":[1,2,3,4]},{\"name\":\"attention_mask\",\"datatype\":\"INT64\","
            + "\"shape\":[1,5],\"data\":[1,1,1,1,0]}]}";

    // when it is run, then it is refused before the model runs, saying which dimension
    assertThatThrownBy(() -> infer(TOKENS, body))
        .isInstanceOfSatisfying(TriadError.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining("inputs disagree on dimension 'd1'")
        .hasMessageContaining("input_ids has 4")
        .hasMessageContaining("attention_mask has 5");
  }

  @Test
  void apply_shouldFail400_whenInputsDisagreeOnTheBatch() {
    // given a second input whose batch differs (ONNX Runtime would broadcast it silently)
    String body =
        "{\"inputs\":[{\"name\":\"a\",\"datatype\":\"FP32\",\"shape\":[1,2],\"data\":[1,2]},"
            + "{\"name\":\"b\",\"datatype\":\"FP32\",\"shape\":[2,2],\"data\":[1,2,3,4]}]}";

    // then 400, naming the batch dimension
    assertThatThrownBy(() -> infer(TestModels.TWO_IN_TWO_OUT, body))
        .isInstanceOfSatisfying(TriadError.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining("dimension 'N'");
  }

  @Test
  void apply_shouldFail400WithOrtsReason_whenTheGraphCannotTakeTheInputsSize() {
    // given five elements for a model that reshapes to six
    String body = single("x", "FP32", "[5]", "[1,2,3,4,5]");

    // then the run's shape failure is the caller's 400, in ONNX Runtime's words
    assertThatThrownBy(() -> infer(RESHAPE, body))
        .isInstanceOfSatisfying(TriadError.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageStartingWith("the model cannot run on these inputs: ")
        .hasMessageContaining("reshape");
  }

  @AfterAll
  static void closeRegistry() {
    registry.close();
  }

  private static InferenceResponse infer(String model, String requestJson) {
    return predictor.apply(new InferenceCall(model, null, request(requestJson)));
  }

  private static InferenceRequest request(String json) {
    try {
      return TriadJson.mapper().readValue(json, InferenceRequest.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static String single(String name, String datatype, String shape, String data) {
    return "{\"inputs\":[{\"name\":\""
        + name
        + "\",\"datatype\":\""
        + datatype
        + "\",\"shape\":"
        + shape
        + ",\"data\":"
        + data
        + "}]}";
  }

  static Stream<Arguments> everyDatatype() {
    return Stream.of(
        Arguments.of("FP32", "[[1.5, -2], [0.25, 3e3]]", new float[] {1.5f, -2f, 0.25f, 3000f}),
        Arguments.of("FP64", "[[1.5, -2], [1e-300, 3e300]]", new double[] {1.5, -2, 1e-300, 3e300}),
        Arguments.of("INT8", "[[-128, 127], [0, 1]]", new int[] {-128, 127, 0, 1}),
        Arguments.of("INT16", "[[-32768, 32767], [0, 1]]", new int[] {-32768, 32767, 0, 1}),
        Arguments.of(
            "INT32",
            "[[-2147483648, 2147483647], [0, 1]]",
            new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE, 0, 1}),
        Arguments.of(
            "INT64",
            "[[-9223372036854775808, 9223372036854775807], [0, 1]]",
            new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 0, 1}),
        Arguments.of("UINT8", "[[0, 255], [128, 1]]", new int[] {0, 255, 128, 1}),
        Arguments.of(
            "BOOL", "[[true, false], [false, true]]", new boolean[] {true, false, false, true}),
        Arguments.of(
            "BYTES",
            "[[\"a\", \"héllo\"], [\"\", \"z,\\\"q\\\"\"]]",
            new String[] {"a", "héllo", "", "z,\"q\""}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyDatatype")
  void apply_shouldRoundTripValues_forEveryDatatype(String datatype, String data, Object expected) {
    // given
    String body = single("x", datatype, "[2, 2]", data);

    // when
    InferenceResponse response = infer(TestModels.identityName(datatype), body);

    // then
    NamedTensor y = response.output("y");
    assertThat(y.datatype()).isEqualTo(datatype);
    assertThat(y.shape()).containsExactly(2L, 2L);
    assertThat(y.data()).isEqualTo(expected);
    assertThat(response.modelName()).isEqualTo(TestModels.identityName(datatype));
    assertThat(response.modelVersion()).isEqualTo("1");
  }

  @Test
  void apply_shouldGiveSameAnswer_whenDataIsFlatOrNested() {
    // when
    InferenceResponse nested =
        infer("identity-fp32", single("x", "FP32", "[2, 3]", "[[1, 2, 3], [4, 5, 6]]"));
    InferenceResponse flat =
        infer("identity-fp32", single("x", "FP32", "[2, 3]", "[1, 2, 3, 4, 5, 6]"));

    // then
    assertThat(flat.output("y").data())
        .isEqualTo(nested.output("y").data())
        .isEqualTo(new float[] {1, 2, 3, 4, 5, 6});
  }

  @Test
  void apply_shouldAcceptAnySize_whenDimensionsAreDynamic() {
    // when
    InferenceResponse one = infer("identity-int64", single("x", "INT64", "[1, 3]", "[7, 8, 9]"));
    InferenceResponse other =
        infer("identity-int64", single("x", "INT64", "[4, 1]", "[1, 2, 3, 4]"));

    // then
    assertThat(one.output("y").shape()).containsExactly(1L, 3L);
    assertThat(other.output("y").shape()).containsExactly(4L, 1L);
  }

  @Test
  void apply_shouldAcceptPrimitiveArray_whenTensorBuiltInProcess() {
    // given
    NamedTensor x = NamedTensor.of("x", "FP32", List.of(2L, 3L), new float[] {1, 2, 3, 4, 5, 6});

    // when
    InferenceResponse response =
        predictor.apply(
            new InferenceCall(
                TestModels.FIXED_SHAPE, null, new InferenceRequest("r", null, List.of(x), null)));

    // then
    assertThat(response.id()).isEqualTo("r");
    assertThat(response.output("y").data()).isEqualTo(new float[] {1, 2, 3, 4, 5, 6});
  }

  @Test
  void apply_shouldReturnEveryOutput_whenModelHasTwoInputsAndOutputs() {
    // given
    String body =
        """
        {"id": "arith-1", "inputs": [
          {"name": "a", "datatype": "FP32", "shape": [1, 2], "data": [2, 3]},
          {"name": "b", "datatype": "FP32", "shape": [1, 2], "data": [4, 5]}]}""";

    // when
    InferenceResponse response = infer(TestModels.TWO_IN_TWO_OUT, body);

    // then
    assertThat(response.id()).isEqualTo("arith-1");
    assertThat(response.outputs())
        .extracting(NamedTensor::name)
        .containsExactlyInAnyOrder("sum", "product");
    assertThat(response.output("sum").data()).isEqualTo(new float[] {6, 8});
    assertThat(response.output("product").data()).isEqualTo(new float[] {8, 15});
  }

  @Test
  void apply_shouldReturnOnlyRequestedOutputs_whenOutputsAreNamed() {
    // given
    String body =
        """
        {"inputs": [
          {"name": "a", "datatype": "FP32", "shape": [1, 2], "data": [2, 3]},
          {"name": "b", "datatype": "FP32", "shape": [1, 2], "data": [4, 5]}],
         "outputs": [{"name": "product"}]}""";

    // when
    InferenceResponse response = infer(TestModels.TWO_IN_TWO_OUT, body);

    // then
    assertThat(response.outputs()).extracting(NamedTensor::name).containsExactly("product");
  }

  static Stream<Arguments> badRequests() {
    String ab = "{\"name\": \"a\", \"datatype\": \"FP32\", \"shape\": [1, 2], \"data\": [1, 2]}";
    return Stream.of(
        Arguments.of(
            "wrong datatype",
            "identity-fp32",
            single("x", "INT32", "[1, 1]", "[1]"),
            400,
            "expects FP32"),
        Arguments.of(
            "unknown datatype",
            "identity-fp32",
            single("x", "FLOAT", "[1, 1]", "[1]"),
            400,
            "expects FP32"),
        Arguments.of(
            "wrong rank",
            "identity-fp32",
            single("x", "FP32", "[3]", "[1, 2, 3]"),
            400,
            "expects [-1, -1]"),
        Arguments.of(
            "negative dim",
            "identity-fp32",
            single("x", "FP32", "[-1, 3]", "[1, 2, 3]"),
            400,
            "expects [-1, -1]"),
        Arguments.of(
            "wrong fixed dim",
            TestModels.FIXED_SHAPE,
            single("x", "FP32", "[3, 3]", "[1,2,3,4,5,6,7,8,9]"),
            400,
            "expects [2, 3]"),
        Arguments.of(
            "too few values",
            "identity-fp32",
            single("x", "FP32", "[2, 2]", "[1, 2, 3]"),
            400,
            "has 3 values; its shape needs 4"),
        Arguments.of(
            "too many values",
            "identity-fp32",
            single("x", "FP32", "[1, 2]", "[[1, 2], [3]]"),
            400,
            "has 3 values; its shape needs 2"),
        Arguments.of(
            "missing input",
            TestModels.TWO_IN_TWO_OUT,
            "{\"inputs\": [" + ab + "]}",
            400,
            "input 'b' is missing"),
        Arguments.of(
            "unknown input",
            "identity-fp32",
            single("z", "FP32", "[1, 1]", "[1]"),
            400,
            "no input 'z'; it takes [x FP32"),
        Arguments.of(
            "unknown output",
            "identity-fp32",
            "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1, 1], \"data\": [1]}],"
                + " \"outputs\": [{\"name\": \"nope\"}]}",
            400,
            "no output 'nope'; it returns [y]"),
        Arguments.of("no inputs", "identity-fp32", "{\"inputs\": []}", 400, "no inputs"),
        Arguments.of(
            "input twice",
            TestModels.TWO_IN_TWO_OUT,
            "{\"inputs\": [" + ab + ", " + ab + "]}",
            400,
            "given twice"),
        Arguments.of(
            "no shape",
            "identity-fp32",
            "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"data\": [1]}]}",
            400,
            "needs a shape"),
        Arguments.of(
            "no data",
            "identity-fp32",
            "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1, 1]}]}",
            400,
            "has no data"),
        Arguments.of(
            "fraction for INT32",
            "identity-int32",
            single("x", "INT32", "[1, 2]", "[1, 1.5]"),
            400,
            "element 1 must be an integer for INT32"),
        Arguments.of(
            "out of range INT8",
            "identity-int8",
            single("x", "INT8", "[1, 1]", "[200]"),
            400,
            "outside INT8 range [-128, 127]"),
        Arguments.of(
            "negative UINT8",
            "identity-uint8",
            single("x", "UINT8", "[1, 1]", "[-1]"),
            400,
            "outside UINT8 range [0, 255]"),
        Arguments.of(
            "too big INT64",
            "identity-int64",
            single("x", "INT64", "[1, 1]", "[9223372036854775808]"),
            400,
            "outside INT64 range"),
        Arguments.of(
            "whole double beyond INT64",
            "identity-int64",
            single("x", "INT64", "[1, 1]", "[1e20]"),
            400,
            "outside INT64 range"),
        Arguments.of(
            "string for FP32",
            "identity-fp32",
            single("x", "FP32", "[1, 1]", "[\"1.0\"]"),
            400,
            "must be a number for FP32, got a string"),
        Arguments.of(
            "number for BOOL",
            "identity-bool",
            single("x", "BOOL", "[1, 1]", "[1]"),
            400,
            "must be true or false"),
        Arguments.of(
            "number for BYTES",
            "identity-bytes",
            single("x", "BYTES", "[1, 1]", "[1]"),
            400,
            "must be a string"),
        Arguments.of(
            "NaN",
            "identity-fp32",
            single("x", "FP32", "[1, 2]", "[1, NaN]"),
            422,
            "element 1 is NaN"),
        Arguments.of(
            "Infinity",
            "identity-fp64",
            single("x", "FP64", "[1, 2]", "[-Infinity, 1]"),
            422,
            "element 0 is -Infinity; values must be finite"),
        Arguments.of(
            "overflows FP32",
            "identity-fp32",
            single("x", "FP32", "[1, 2]", "[1, 1e39]"),
            422,
            "outside the FP32 range"),
        Arguments.of(
            "unknown model", "nope", single("x", "FP32", "[1, 1]", "[1]"), 404, "no such model"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void apply_shouldFailWithStatusSayingWhatIsExpected_whenInputIsBad(
      String what, String model, String body, int status, String message) {
    // when / then
    assertThatThrownBy(() -> infer(model, body))
        .isInstanceOfSatisfying(TriadError.class, e -> assertThat(e.status()).isEqualTo(status))
        .hasMessageContaining(message);
  }

  @Test
  void apply_shouldFail422_whenPrimitiveFloatsHoldNaN() {
    // given
    NamedTensor x = NamedTensor.of("x", "FP32", List.of(1L, 2L), new float[] {1, Float.NaN});

    // when / then
    assertThatThrownBy(
            () ->
                predictor.apply(
                    new InferenceCall(
                        "identity-fp32", null, new InferenceRequest(null, null, List.of(x), null))))
        .isInstanceOfSatisfying(TriadError.class, e -> assertThat(e.status()).isEqualTo(422));
  }
}
