package io.triad.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.triad.functions.api.TriadJson;
import io.triad.functions.store.BlobStore;
import io.triad.functions.testing.ColourModels;
import io.triad.functions.testing.PackageTampering;
import io.triad.functions.testing.PlainText;
import io.triad.functions.testing.TestModels;
import io.triad.layout.BucketLayout;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * One contract, four runtimes. HTTP: every request under {@code contract/http/} goes to the local
 * runtime, AWS, Azure and GCP, each serving the same iris model from its own kind of store, and
 * each answer must be the {@code NAME.expected.json} beside it: same status, same JSON, never a
 * 5xx. Uploads: every file under {@code contract/uploads/} is put into each runtime's bucket under
 * {@code incoming/iris/} (under {@code uploads/MODEL/}: {@code incoming/MODEL/}; pictures go to the
 * {@code colours-nchw} model) and announced as that platform announces it; what lands under {@code
 * predictions/} and {@code failed/} must be what {@code NAME.expected.json} lists. Where a runtime
 * is known to answer otherwise, the expected file says so under {@code deviations.RUNTIME} with its
 * exact answer and why, so a change either way fails too. {@code -Dtriad.contract.record=true}
 * writes missing expected files from the local runtime's answers, to be reviewed before they are
 * committed.
 */
class RuntimeContractIT {
  /**
   * Small, so the over-the-limit case costs nothing; every runtime reads it from the JVM's
   * properties.
   */
  static final int MAX_BODY_BYTES = 64 * 1024;

  /**
   * Short, so the alias drill waits a second, not ten; every runtime reads it from the JVM's
   * properties.
   */
  static final long ALIAS_REFRESH_MILLIS = 200;

  private static final String BUCKET = "triad";
  private static final String COLOURS = "colours-nchw";
  private static final ObjectMapper JSON = TriadJson.mapper();

  @TempDir static Path work;
  private static final List<RuntimeUnderTest> runtimes = new java.util.ArrayList<>();

  /** The collector every runtime sends its spans and metrics to. */
  private static io.triad.functions.testing.OtlpReceiver collector;

  @BeforeAll
  static void startEveryRuntime() throws Exception {
    System.setProperty("triad.max-body-bytes", Integer.toString(MAX_BODY_BYTES));
    System.setProperty("triad.alias-refresh", ALIAS_REFRESH_MILLIS + "ms");
    PayloadDrill.SETTINGS.forEach(System::setProperty);
    RolloutDrill.SETTINGS.forEach(System::setProperty);
    collector = io.triad.functions.testing.OtlpReceiver.start();
    System.setProperty("triad.otlp.endpoint", collector.endpoint());
    TelemetryDrill.SETTINGS.forEach(System::setProperty);
    // added one by one, so a runtime that fails to start still leaves the others to be stopped
    runtimes.add(
        new LocalUnderTest(
            Files.createDirectories(work.resolve("local")),
            Stream.concat(
                    Stream.of("triad.otlp.endpoint=" + collector.endpoint()),
                    TelemetryDrill.SETTINGS.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()))
                .toArray(String[]::new)));
    runtimes.add(new AwsUnderTest(work.resolve("aws"), BUCKET));
    runtimes.add(new AzureUnderTest(work.resolve("azure"), BUCKET));
    runtimes.add(new GcpUnderTest(BUCKET));
    for (RuntimeUnderTest runtime : runtimes) {
      publishColours(runtime.bucket());
    }
  }

  /** The picture model the image fixtures go to: 8x8 RGB, at most 1 MP (functions' test-jar). */
  private static void publishColours(BlobStore bucket) throws IOException {
    try (InputStream manifest =
        RuntimeContractIT.class.getResourceAsStream("/models/" + COLOURS + "/manifest.json")) {
      bucket.put(BucketLayout.modelFile(COLOURS, "1"), ColourModels.onnx(false));
      bucket.put(BucketLayout.manifest(COLOURS, "1"), manifest.readAllBytes());
      new TestModels(bucket).sign(COLOURS, "1");
      bucket.put(
          BucketLayout.alias(COLOURS, BucketLayout.PRODUCTION),
          "1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  @AfterAll
  static void stopEveryRuntime() throws Exception {
    System.clearProperty("triad.max-body-bytes");
    System.clearProperty("triad.alias-refresh");
    PayloadDrill.SETTINGS.keySet().forEach(System::clearProperty);
    RolloutDrill.SETTINGS.keySet().forEach(System::clearProperty);
    System.clearProperty("triad.otlp.endpoint");
    TelemetryDrill.SETTINGS.keySet().forEach(System::clearProperty);
    for (RuntimeUnderTest runtime : runtimes) {
      runtime.close();
    }
    if (collector != null) {
      collector.close();
    }
    // every cloud call the AWS and GCP functions (and AWS's trainer) made, against the stacks'
    // permissions
    io.triad.permissions.CloudPermissions.assertSuiteAllowed(
        "contract",
        java.util.Set.of("http", "s3"),
        java.util.Set.of("http", "objects"),
        java.util.Set.of("serve", "functions"));
  }

  @TestFactory
  Stream<DynamicContainer> send_should_answerAsTheExpectedFile_when_givenEachFixtureOnEachRuntime()
      throws Exception {
    Path root = Path.of(RuntimeContractIT.class.getResource("/contract/http").toURI());
    List<Path> requests;
    try (Stream<Path> files = Files.list(root)) {
      requests = files.filter(ContractRequest::isRequest).sorted().toList();
    }
    assertThat(requests).as("contract fixtures").hasSizeGreaterThanOrEqualTo(30);
    return requests.stream()
        .map(
            file -> {
              ContractRequest request = ContractRequest.load(file, JSON);
              return DynamicContainer.dynamicContainer(
                  request.name(),
                  runtimes.stream()
                      .map(
                          runtime ->
                              DynamicTest.dynamicTest(
                                  request.name() + " on " + runtime.name(),
                                  () -> check(runtime, request, file))));
            });
  }

  @TestFactory
  Stream<DynamicContainer> upload_should_writeTheExpectedOutputs_when_givenEachFileOnEachRuntime()
      throws Exception {
    List<Path> files =
        UploadContract.fixtures(
            Path.of(RuntimeContractIT.class.getResource("/contract/uploads").toURI()));
    assertThat(files).as("upload fixtures").hasSizeGreaterThanOrEqualTo(5);
    return files.stream()
        .map(
            file ->
                DynamicContainer.dynamicContainer(
                    file.getFileName().toString(),
                    runtimes.stream()
                        .map(
                            runtime ->
                                DynamicTest.dynamicTest(
                                    file.getFileName() + " on " + runtime.name(),
                                    () -> UploadContract.check(runtime, file, "")))));
  }

  @TestFactory
  Stream<DynamicTest> announce_should_writeOneWholeOutput_when_theSameEventArrives3Times() {
    // the local runtime has no event to repeat (its watcher reads the directory), so the clouds
    // only
    return runtimes.stream()
        .filter(runtime -> !(runtime instanceof LocalUnderTest))
        .map(
            runtime ->
                DynamicTest.dynamicTest(
                    "3 deliveries on " + runtime.name(),
                    () -> {
                      Path file =
                          Path.of(
                              RuntimeContractIT.class
                                  .getResource("/contract/uploads/flowers.csv")
                                  .toURI());
                      UploadContract.checkRepeated(runtime, file, 3);
                    }));
  }

  @TestFactory
  Stream<DynamicTest>
      serve_should_stayOnTheLastGoodVersion_when_theAliasMovesToACorruptThenAMissingVersion() {
    return runtimes.stream()
        .map(
            runtime ->
                DynamicTest.dynamicTest(
                    "2 bad alias moves on " + runtime.name(),
                    () -> ServingDrill.run(runtime, ALIAS_REFRESH_MILLIS)));
  }

  @TestFactory
  Stream<DynamicTest> serve_should_refuseAndKeepTheLastGoodVersion_when_aSignedPackageIsTampered() {
    return runtimes.stream()
        .map(
            runtime ->
                DynamicTest.dynamicTest(
                    PackageTampering.values().length + " tampered packages on " + runtime.name(),
                    () -> ServingDrill.tamperedPackages(runtime, ALIAS_REFRESH_MILLIS)));
  }

  @TestFactory
  Stream<DynamicTest> gate_should_rejectAndNeverServe_when_aCandidateFailsItsSha256() {
    return runtimes.stream()
        .map(
            runtime ->
                DynamicTest.dynamicTest(
                    "1 corrupt candidate on " + runtime.name(),
                    () -> ServingDrill.corruptCandidate(runtime)));
  }

  @TestFactory
  Stream<DynamicTest>
      announce_should_ignoreTheEventAndWriteNothing_when_anyOf7KeysLeavesItsFolder() {
    // the local runtime's watcher only ever sees real files, whose names cannot hold these
    return runtimes.stream()
        .filter(runtime -> !(runtime instanceof LocalUnderTest))
        .map(
            runtime ->
                DynamicTest.dynamicTest(
                    "7 unsafe keys on " + runtime.name(), () -> UnsafeKeys.run(runtime)));
  }

  @TestFactory
  Stream<DynamicTest> predict_should_writeThePayloadLog_when_theModelSamplesIt() {
    return runtimes.stream()
        .map(
            runtime ->
                DynamicTest.dynamicTest(
                    "payload log on " + runtime.name(),
                    () -> {
                      PayloadDrill.run(runtime);
                      PayloadDrill.upload(runtime);
                    }));
  }

  @TestFactory
  Stream<DynamicTest> canary_should_answerItsShareWhole_when_itsAliasNamesAVersion() {
    return runtimes.stream()
        .map(
            runtime ->
                DynamicTest.dynamicTest(
                    "canary at 30% on " + runtime.name(), () -> CanaryDrill.run(runtime)));
  }

  @TestFactory
  Stream<DynamicTest> rollout_should_rollBackWhatFails_when_itServesLiveTraffic() {
    return runtimes.stream()
        .map(
            runtime ->
                DynamicTest.dynamicTest(
                    "failing canary and promotion rolled back on " + runtime.name(),
                    () -> {
                      RolloutDrill.failingCanary(runtime);
                      RolloutDrill.failingPromotion(runtime);
                    }));
  }

  @TestFactory
  Stream<DynamicTest> shadow_should_neverChangeAnAnswer_when_itsAliasNamesAVersion() {
    return runtimes.stream()
        .map(
            runtime ->
                DynamicTest.dynamicTest(
                    "shadow at 100% on " + runtime.name(),
                    () -> ShadowDrill.run(runtime, collector)));
  }

  @TestFactory
  Stream<DynamicTest> requestsAndUploads_should_reachTheCollector_when_anOtlpEndpointIsSet() {
    return runtimes.stream()
        .map(
            runtime ->
                DynamicTest.dynamicTest(
                    "traces and OTLP metrics on " + runtime.name(),
                    () -> {
                      TelemetryDrill.request(runtime, collector);
                      TelemetryDrill.upload(runtime, collector);
                    }));
  }

  @TestFactory
  Stream<DynamicTest> evaluation_should_writeTheDriftReport_when_labelledDataArrives() {
    return runtimes.stream()
        .map(
            runtime ->
                DynamicTest.dynamicTest(
                    "drift report on " + runtime.name(), () -> DriftDrill.run(runtime)));
  }

  @TestFactory
  Stream<DynamicTest> upload_should_writeEveryOutputWhole_when_50FilesArriveAtOnce() {
    return runtimes.stream()
        .map(
            runtime ->
                DynamicTest.dynamicTest(
                    "50 concurrent uploads on " + runtime.name(),
                    () -> ConcurrentUploads.run(runtime, 50, 200)));
  }

  private static void check(RuntimeUnderTest runtime, ContractRequest request, Path file)
      throws Exception {
    // given
    Path expectedFile = ContractRequest.expectedFile(file);
    String where = runtime.name() + " / " + request.name();

    // when
    Answer answer = runtime.send(request);

    // then
    if (!Files.exists(expectedFile)
        && Boolean.getBoolean("triad.contract.record")
        && runtime instanceof LocalUnderTest) {
      record(expectedFile, answer);
    }
    assertThat(expectedFile)
        .as(
            "%s: expected answer beside the fixture; got %d %s",
            where, answer.status(), answer.text())
        .exists();
    JsonNode contract = JSON.readTree(expectedFile.toFile());
    JsonNode deviation = contract.path("deviations").path(runtime.name());
    JsonNode expected = deviation.isMissingNode() ? contract : deviation;
    assertThat(answer.status())
        .as("%s: status; body %s", where, answer.text())
        .isEqualTo(expected.get("status").asInt());
    if (deviation.isMissingNode()) {
      assertThat(answer.status())
          .as("%s: no server error; body %s", where, answer.text())
          .isLessThan(500);
    }
    if (answer.status() >= 400 && deviation.isMissingNode()) {
      // a platform's own page (a deviation, such as the Functions Framework's) is not ours to word
      PlainText.assertPlain(where, answer.text());
    }
    assertThat(answer.mediaType())
        .as("%s: content type; body %s", where, answer.text())
        .isEqualTo(expected.path("mediaType").asText("application/json"));
    if (expected.has("bodyContains")) {
      assertThat(answer.text())
          .as("%s: body", where)
          .contains(expected.get("bodyContains").asText());
    } else {
      assertThat(JSON.readTree(answer.body()))
          .as("%s: body", where)
          .isEqualTo(expected.get("body"));
    }
    if (expected.has("allow")) {
      assertThat(answer.headers().get("allow"))
          .as("%s: Allow header", where)
          .isEqualTo(expected.get("allow").asText());
    }
    // every answer names its request: the caller's id or trace id, else the platform's request id
    // (API Gateway's on AWS) or a fresh one, never an unusable id the caller sent
    String id = answer.headers().get(io.triad.functions.api.RequestId.HEADER);
    if (expected.has("requestId")) {
      assertThat(id).as("%s: x-request-id", where).isEqualTo(expected.get("requestId").asText());
    } else if (deviation.isMissingNode()) {
      assertThat(id)
          .as("%s: an x-request-id of its own", where)
          .matches("[A-Za-z0-9._:/+=-]{1,128}");
    }
  }

  private static void record(Path expectedFile, Answer answer) throws IOException {
    JsonNode body = JSON.readTree(answer.body());
    ObjectNode expected = JSON.createObjectNode();
    expected.put("status", answer.status());
    if (answer.headers().containsKey("allow")) {
      expected.put("allow", answer.headers().get("allow"));
    }
    expected.set("body", body);
    // written into the source tree, not target/, so the reviewer sees them in git status
    Path source =
        Path.of(System.getProperty("triad.contract.sources", "src/test/resources/contract/http"))
            .resolve(expectedFile.getFileName());
    JSON.writerWithDefaultPrettyPrinter().writeValue(source.toFile(), expected);
    JSON.writerWithDefaultPrettyPrinter().writeValue(expectedFile.toFile(), expected);
  }
}
