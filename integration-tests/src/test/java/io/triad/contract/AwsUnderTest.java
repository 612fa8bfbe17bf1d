package io.triad.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.triad.aws.AwsApplication;
import io.triad.aws.AwsClients;
import io.triad.aws.AwsSettings;
import io.triad.aws.FunctionRole;
import io.triad.aws.LambdaEntry;
import io.triad.aws.testing.S3Emulator;
import io.triad.aws.testing.SecretsManagerDouble;
import io.triad.functions.store.BlobStore;
import io.triad.functions.testing.TestModels;
import io.triad.s3.S3BlobStore;
import io.triad.settings.AwsContract;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Lambda HTTP function in process: each request becomes an API Gateway HTTP API (payload 2.0)
 * event, given to the handler as the runtime client gives it (a stream), and the handler's response
 * object is read back; uploads go to the S3 function, a second context, as on AWS it is a second
 * function. The store is S3 on npm s3rver. The real runtime client is left to the adapter's own
 * {@code LambdaRuntimeIT}: a child JVM per start is too slow for a suite this size.
 */
final class AwsUnderTest implements RuntimeUnderTest, StoppableStorage {
  private final S3Emulator s3rver;
  private final SecretsManagerDouble secrets;
  private final List<String> promotion;
  private final ConfigurableApplicationContext context;
  private final ConfigurableApplicationContext uploadContext;
  private final LambdaEntry handler;
  private final LambdaEntry uploads;
  private final S3BlobStore bucket;
  private final String bucketName;
  private final ObjectMapper json;

  AwsUnderTest(Path work, String bucket, String... settings) throws Exception {
    this(work, bucket, store -> {}, settings);
  }

  /**
   * With {@code given} filling the bucket before the function starts, as a deployed function finds
   * its bucket.
   */
  AwsUnderTest(Path work, String bucket, Consumer<BlobStore> given, String... settings)
      throws Exception {
    this.s3rver = S3Emulator.start(work.resolve("s3rver"), bucket, null);
    // the upload function reads its key from Secrets Manager with the real SDK client, here a
    // double that checks SigV4 and the secret's readers (S3RVER is the test JVM's access key)
    this.secrets = SecretsManagerDouble.start(Map.of("S3RVER", "S3RVER"));
    String keyArn =
        secrets.put("triad-signing-key", TestModels.SIGNING_KEY, java.util.Set.of("S3RVER"));
    try {
      Map<String, String> env =
          Map.of(AwsSettings.BUCKET, bucket, AwsSettings.S3_ENDPOINT, s3rver.endpoint().toString());
      this.bucketName = bucket;
      this.bucket = new S3BlobStore(AwsClients.s3(AwsSettings.from(env::get)), bucket);
      new TestModels(this.bucket).publishIris("1");
      given.accept(this.bucket);
      String[] properties = new String[settings.length + 6];
      properties[0] = AwsSettings.BUCKET + "=" + bucket;
      properties[1] = AwsSettings.S3_ENDPOINT + "=" + s3rver.endpoint();
      // what TRIAD_CATALOG=iris in the function's environment binds to
      properties[2] = "triad.catalog=iris";
      this.promotion =
          List.of(
              TestModels.TRUST_SETTING,
              AwsSettings.SECRETS_ENDPOINT + "=" + secrets.endpoint(),
              "triad.signing.key=" + AwsContract.SECRETS_MANAGER_SCHEME + ":" + keyArn);
      for (int i = 0; i < promotion.size(); i++) {
        properties[3 + i] = promotion.get(i);
      }
      System.arraycopy(settings, 0, properties, 6, settings.length);
      this.context = AwsApplication.start(FunctionRole.HTTP, properties);
      this.handler = new LambdaEntry(FunctionRole.HTTP, context);
      // the upload function is its own Lambda function with its own role (and its clients say
      // so), as on AWS
      ConfigurableApplicationContext s3 = null;
      try {
        s3 = AwsApplication.start(FunctionRole.S3, properties);
      } catch (RuntimeException | Error e) {
        context.close();
        throw e;
      }
      this.uploadContext = s3;
      this.uploads = new LambdaEntry(FunctionRole.S3, uploadContext);
      this.json = context.getBean("triadJson", ObjectMapper.class);
    } catch (RuntimeException | Error e) {
      s3rver.close();
      secrets.close();
      throw e;
    }
  }

  @Override
  public String name() {
    return "aws";
  }

  /** What the upload function (the gate) is given to sign with, and the keys it trusts. */
  List<String> promotionSettings() {
    return promotion;
  }

  @Override
  public BlobStore bucket() {
    return bucket;
  }

  /** Where s3rver listens, for other functions and processes that use the same bucket. */
  URI s3Endpoint() {
    return s3rver.endpoint();
  }

  @Override
  public void announce(String key) throws Exception {
    uploads.handleRequest(
        new ByteArrayInputStream(objectCreated(json, bucketName, key)),
        new ByteArrayOutputStream(),
        null);
  }

  /**
   * The adapter's own S3 notification fixture with this bucket and key (form-encoded, as S3 sends
   * keys).
   */
  static byte[] objectCreated(ObjectMapper json, String bucket, String key)
      throws java.io.IOException {
    ObjectNode event =
        (ObjectNode)
            json.readTree(AwsUnderTest.class.getResourceAsStream("/events/aws/s3/put.json"));
    ObjectNode s3 = (ObjectNode) event.at("/Records/0/s3");
    ((ObjectNode) s3.get("bucket")).put("name", bucket);
    ((ObjectNode) s3.get("object"))
        .put("key", URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/"));
    return json.writeValueAsBytes(event);
  }

  @Override
  public Answer send(ContractRequest request) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(
        new ByteArrayInputStream(json.writeValueAsBytes(event(request))), out, null);
    JsonNode response = json.readTree(out.toByteArray());
    Map<String, String> headers = new LinkedHashMap<>();
    response
        .path("headers")
        .properties()
        .forEach(h -> headers.put(h.getKey(), h.getValue().asText()));
    String body = response.path("body").asText("");
    byte[] bytes =
        response.path("isBase64Encoded").asBoolean()
            ? Base64.getDecoder().decode(body)
            : body.getBytes(StandardCharsets.UTF_8);
    return new Answer(response.path("statusCode").asInt(), headers, bytes);
  }

  /**
   * The event API Gateway would send: headers lower-cased, the body base64 as it is for binary
   * media.
   */
  private ObjectNode event(ContractRequest request) {
    ObjectNode event = json.createObjectNode();
    event.put("version", "2.0");
    event.put("routeKey", "$default");
    event.put("rawPath", request.path());
    event.put("rawQueryString", "");
    ObjectNode headers = event.putObject("headers");
    request
        .headers()
        .forEach((name, value) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), value));
    headers.put("content-length", Integer.toString(request.body().length));
    ObjectNode context = event.putObject("requestContext");
    context.put("stage", "$default");
    context.put("requestId", "contract-" + request.name());
    ObjectNode http = context.putObject("http");
    http.put("method", request.method());
    http.put("path", request.path());
    http.put("protocol", "HTTP/1.1");
    http.put("sourceIp", "127.0.0.1");
    if (request.body().length > 0) {
      event.put("body", Base64.getEncoder().encodeToString(request.body()));
      event.put("isBase64Encoded", true);
    } else {
      event.put("isBase64Encoded", false);
    }
    return event;
  }

  @Override
  public void stopStorage() throws Exception {
    s3rver.kill();
  }

  @Override
  public void restartStorage() throws Exception {
    s3rver.restart();
  }

  @Override
  public void close() throws java.io.IOException {
    try {
      context.close();
      uploadContext.close();
    } finally {
      s3rver.close();
      secrets.close();
    }
  }
}
