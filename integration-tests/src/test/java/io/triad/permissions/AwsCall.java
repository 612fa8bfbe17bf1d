package io.triad.permissions;

import com.fasterxml.jackson.databind.JsonNode;
import io.triad.aws.testing.CloudCalls;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One authorization a recorded cloud call needs: who (the caller in its User-Agent), the IAM
 * request, and what was recorded (for the failure message). Every bucket the tests use stands for
 * the stack's one bucket, named {@code BUCKET} here; every call is taken as made over TLS, as the
 * SDK does against AWS (the emulators speak plain HTTP on 127.0.0.1).
 */
record AwsCall(String caller, IamPolicy.Request request, String recorded) {

  static final String BUCKET = "BUCKET";

  /** The tests' signing-key secret, which stands for the stack's. */
  static final String SIGNING_KEY = "SIGNING-KEY";

  private static final Map<String, String> OVER_TLS = Map.of("aws:SecureTransport", "true");

  /**
   * The retraining loop's promoted model stands for the one model the example stack replicates into
   * the AWS bucket ({@code replication.models} of {@code infra/triad.yaml}), as every bucket stands
   * for {@link #BUCKET}: the loop's GCP run copies its promotions there.
   */
  static final Map<String, String> MODEL_STANDS_FOR = Map.of("loop", "iris");

  /**
   * The authorizations an S3 REST request (as s3rver logged it) needs, after the documented mapping
   * of S3 operations to IAM actions. A GET or HEAD of an object that answered 404 also needs {@code
   * s3:ListBucket} on the bucket, with no {@code s3:prefix}: S3 tells a missing key from a
   * forbidden one only to callers allowed to list the bucket, and answers 403 to the rest.
   */
  static List<AwsCall> fromS3(JsonNode line) {
    String caller = CloudCalls.caller(line.path("userAgent").asText());
    String method = line.path("method").asText();
    String url = line.path("url").asText();
    int status = line.path("status").asInt();
    String recorded = method + " " + url + " -> " + status;
    int question = url.indexOf('?');
    String path = question < 0 ? url : url.substring(0, question);
    Map<String, String> query = query(question < 0 ? "" : url.substring(question + 1));
    String[] parts = path.substring(1).split("/", 2);
    String bucketArn = "arn:aws:s3:::" + BUCKET;
    List<AwsCall> calls = new ArrayList<>();
    if (parts.length < 2 || parts[1].isEmpty()) {
      String action =
          switch (method) {
            case "HEAD" -> "s3:ListBucket";
            case "GET" ->
                query.containsKey("location")
                    ? "s3:GetBucketLocation"
                    : query.containsKey("versions")
                        ? "s3:ListBucketVersions"
                        : query.containsKey("uploads")
                            ? "s3:ListBucketMultipartUploads"
                            : "s3:ListBucket";
            // a deploy's (the smoke's Terraform double), never a function's
            case "PUT" -> "s3:CreateBucket";
            case "DELETE" -> "s3:DeleteBucket";
            default -> throw unmapped(recorded);
          };
      Map<String, String> context = new LinkedHashMap<>(OVER_TLS);
      if (action.equals("s3:ListBucket")) {
        for (String key : List.of("prefix", "delimiter", "max-keys")) {
          if (query.containsKey(key)) {
            context.put("s3:" + key, query.get(key));
          }
        }
      }
      calls.add(new AwsCall(caller, new IamPolicy.Request(action, bucketArn, context), recorded));
      return calls;
    }
    String objectArn =
        bucketArn
            + "/"
            + standIn(URLDecoder.decode(parts[1].replace("+", "%2B"), StandardCharsets.UTF_8));
    String action =
        switch (method) {
          case "GET", "HEAD" ->
              query.containsKey("versionId") ? "s3:GetObjectVersion" : "s3:GetObject";
          case "PUT" -> query.containsKey("tagging") ? "s3:PutObjectTagging" : "s3:PutObject";
          case "POST" -> {
            if (query.containsKey("uploads") || query.containsKey("uploadId")) {
              yield "s3:PutObject";
            }
            throw unmapped(recorded);
          }
          case "DELETE" ->
              query.containsKey("uploadId") ? "s3:AbortMultipartUpload" : "s3:DeleteObject";
          default -> throw unmapped(recorded);
        };
    calls.add(new AwsCall(caller, new IamPolicy.Request(action, objectArn, OVER_TLS), recorded));
    String copySource = line.path("copySource").asText("");
    if (method.equals("PUT") && !copySource.isEmpty()) {
      String source = URLDecoder.decode(copySource.replace("+", "%2B"), StandardCharsets.UTF_8);
      source = source.startsWith("/") ? source.substring(1) : source;
      String sourceKey = source.substring(source.indexOf('/') + 1);
      calls.add(
          new AwsCall(
              caller,
              new IamPolicy.Request("s3:GetObject", bucketArn + "/" + sourceKey, OVER_TLS),
              recorded + " (copy source)"));
    }
    if ((method.equals("GET") || method.equals("HEAD")) && status == 404) {
      calls.add(
          new AwsCall(
              caller,
              new IamPolicy.Request("s3:ListBucket", bucketArn, OVER_TLS),
              recorded + " (a 404, not a 403, needs s3:ListBucket on the bucket)"));
    }
    return calls;
  }

  /** {@code key} with a model of {@link #MODEL_STANDS_FOR} as the model it stands for. */
  static String standIn(String key) {
    for (Map.Entry<String, String> model : MODEL_STANDS_FOR.entrySet()) {
      String prefix = io.triad.layout.BucketLayout.MODELS + model.getKey() + "/";
      if (key.startsWith(prefix)) {
        return io.triad.layout.BucketLayout.MODELS
            + model.getValue()
            + "/"
            + key.substring(prefix.length());
      }
    }
    return key;
  }

  /** A call a Java double recorded: its action and resources, ARNs completed with the stack's. */
  static List<AwsCall> fromDouble(JsonNode line, String arnPrefix) {
    List<AwsCall> calls = new ArrayList<>();
    String service = line.path("service").asText();
    for (JsonNode recordedResource : line.path("resources")) {
      String resource =
          recordedResource.asText().matches("secret:.*signing-key")
              ? "secret:" + SIGNING_KEY
              : recordedResource.asText();
      Map<String, String> context = new LinkedHashMap<>(OVER_TLS);
      line.path("context")
          .properties()
          .forEach(e -> context.put(e.getKey(), e.getValue().asText()));
      calls.add(
          new AwsCall(
              line.path("caller").asText(),
              new IamPolicy.Request(
                  line.path("action").asText(),
                  "arn:aws:" + service + ":" + arnPrefix + ":" + resource,
                  context),
              service + " " + line.path("action").asText() + " " + recordedResource.asText()));
    }
    return calls;
  }

  private static Map<String, String> query(String text) {
    Map<String, String> query = new LinkedHashMap<>();
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      query.put(key, value);
    }
    return query;
  }

  private static IllegalArgumentException unmapped(String recorded) {
    return new IllegalArgumentException(
        "no IAM mapping for the S3 request " + recorded + "; add it to AwsCall.fromS3");
  }
}
