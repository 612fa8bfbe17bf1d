package io.triad.permissions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.aws.testing.CloudCalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The synthesized AWS stack's permissions ({@code infra/cdktf.out/stacks/aws/cdk.tf.json}, made by
 * infra's build from {@code infra/triad.yaml}) against the cloud calls the contract suite and the
 * retraining loop recorded ({@link CloudCalls}). Each caller is found in the stack, not listed
 * here: a Lambda function by its {@code TRIAD_FUNCTION}, the trainer by the job definition's {@code
 * jobRoleArn}; its role's inline policies are its identity policies, the bucket policy is the
 * resource policy. Terraform references are bound to the names the tests' emulators and doubles
 * stand in for ({@code BUCKET}, {@code QUEUE}, {@code DEFINITION}, {@code SIGNING-KEY}).
 */
public final class AwsPermissions {

  static final String ACCOUNT = "123456789012";

  /** The caller GCP's functions are while they hold the replica role's session. */
  public static final String GCP_REPLICAS = io.triad.gcp.GcpRuntime.REPLICA_CALLER;

  /** The caller Azure's events app is while it holds its replica role's session. */
  public static final String AZURE_REPLICAS = io.triad.azure.AzureRuntime.REPLICA_CALLER;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TOKEN =
      Pattern.compile("\\$\\{(data\\.)?([a-z0-9_]+)\\.([A-Za-z0-9_-]+)\\.([a-z_]+)}");

  private final String region;
  private final Map<String, List<IamPolicy>> identity = new TreeMap<>();
  private final List<IamPolicy> bucketPolicy = new ArrayList<>();

  private AwsPermissions(JsonNode stack) {
    this.region = firstProvider(stack).path("region").asText();
    JsonNode resources = stack.path("resource");
    Map<String, String> roleOfCaller = new LinkedHashMap<>();
    resources
        .path("aws_lambda_function")
        .forEach(
            f ->
                roleOfCaller.put(
                    f.at("/environment/variables/TRIAD_FUNCTION").asText(),
                    reference(f.path("role").asText())));
    resources
        .path("aws_batch_job_definition")
        .forEach(
            d -> {
              JsonNode container = parse(d.path("container_properties").asText());
              roleOfCaller.put("trainer", reference(container.path("jobRoleArn").asText()));
            });
    // the roles other clouds' functions assume with their own identity tokens (to copy promotions
    // here): one caller per role, whichever of those functions holds the session
    resources
        .path("aws_iam_role")
        .properties()
        .forEach(
            role -> {
              List<String> federated =
                  parse(role.getValue().path("assume_role_policy").asText())
                      .findValuesAsText("Federated");
              if (federated.contains("accounts.google.com")) {
                roleOfCaller.put(GCP_REPLICAS, role.getKey());
              } else if (federated.stream()
                  .anyMatch(f -> f.startsWith("${aws_iam_openid_connect_provider."))) {
                // Azure's, through the Entra tenant's provider
                roleOfCaller.put(AZURE_REPLICAS, role.getKey());
              }
            });
    for (Map.Entry<String, String> caller : roleOfCaller.entrySet()) {
      List<IamPolicy> policies = new ArrayList<>();
      for (Map.Entry<String, JsonNode> policy :
          resources.path("aws_iam_role_policy").properties()) {
        if (reference(policy.getValue().path("role").asText()).equals(caller.getValue())) {
          policies.add(
              IamPolicy.parse(
                  caller.getKey() + ":" + policy.getKey(),
                  parse(bind(policy.getValue().path("policy").asText()))));
        }
      }
      identity.put(caller.getKey(), policies);
    }
    for (Map.Entry<String, JsonNode> policy : resources.path("aws_s3_bucket_policy").properties()) {
      bucketPolicy.add(
          IamPolicy.parse(
              "bucket:" + policy.getKey(), parse(bind(policy.getValue().path("policy").asText()))));
    }
  }

  /**
   * Grants no recorded call uses, each with the reason it stays, keyed {@code caller:Sid}: the
   * "comment saying why" for what the suites cannot exercise.
   */
  static final Map<String, String> EXPLAINED =
      Map.of(
          "http:WriteOwnLogs",
          "the Lambda service writes the function's log streams with its role; the code calls no"
              + " Logs API",
          "s3:WriteOwnLogs",
          "the Lambda service writes the function's log streams with its role",
          "schedule:WriteOwnLogs",
          "the Lambda service writes the function's log streams with its role",
          "s3:DeadLetter",
          "the Lambda service sends an event that failed every retry to the dead-letter queue, with"
              + " the function's role",
          "schedule:DeadLetter",
          "the Lambda service sends an event that failed every retry to the dead-letter queue",
          "http:ReadModelsAndTrainingState s3:GetObject arn:aws:s3:::BUCKET/candidates/*",
          "GET /v2/models reads a running job's progress under candidates/; the suites ask it only"
              + " when no job runs",
          "s3:ClearFailureRecords",
          "a file that succeeds after an earlier failure removes that failure record; no AWS suite"
              + " case fails a file and then fixes it",
          "s3:ReadUploadsModelsAndFailures s3:GetObject arn:aws:s3:::BUCKET/labelled/*",
          "labelled/ uploads (scoring against known answers) are not among the uploads the AWS"
              + " suites replay");

  /**
   * What is wrong at the end of {@code suite}: a call of the stack's functions or trainer the stack
   * would refuse, a caller of {@code callers} that made none, and (once every suite has run) a
   * grant no call used that is not {@link #EXPLAINED}.
   */
  static List<String> suiteProblems(String suite, Set<String> callers) {
    AwsPermissions stack = of(SuiteCheck.builtStack("aws"));
    List<AwsCall> ours =
        stack.recordedCalls().stream()
            .filter(c -> !c.caller().equals(io.triad.aws.AwsClients.ANY_CALLER))
            // the operator running infra/smoke: the deployer's rights (DeployerRoles), no role of
            // the stack's
            .filter(c -> !c.caller().equals("smoke"))
            .toList();
    Set<String> seen = new TreeSet<>();
    ours.forEach(c -> seen.add(c.caller()));
    return SuiteCheck.finish(
        suite, "aws", callers, seen, stack.refusals(ours), () -> stack.unused(ours, EXPLAINED));
  }

  static AwsPermissions of(JsonNode stack) {
    return new AwsPermissions(stack);
  }

  /** The callers the stack gives a role: http, s3, schedule, trainer. */
  public Set<String> callers() {
    return identity.keySet();
  }

  /** What the stack's policies decide for one call. */
  IamPolicy.Decision decide(AwsCall call) {
    List<IamPolicy> policies = identity.get(call.caller());
    if (policies == null) {
      return new IamPolicy.Decision(IamPolicy.Outcome.IMPLICIT_DENY, null);
    }
    return IamPolicy.evaluate(policies, bucketPolicy, call.request());
  }

  /** Every call recorded so far in the {@link CloudCalls} folder. */
  public List<AwsCall> recordedCalls() {
    List<AwsCall> calls = new ArrayList<>();
    SuiteCheck.lines("s3.jsonl").forEach(line -> calls.addAll(AwsCall.fromS3(line)));
    SuiteCheck.lines("aws.jsonl")
        .forEach(line -> calls.addAll(AwsCall.fromDouble(line, region + ":" + ACCOUNT)));
    return calls;
  }

  /** One line per call the stack would refuse: caller, action, resource, the recorded request. */
  public List<String> refusals(List<AwsCall> calls) {
    Set<String> refused = new LinkedHashSet<>();
    for (AwsCall call : calls) {
      IamPolicy.Decision decision = decide(call);
      if (decision.outcome() != IamPolicy.Outcome.ALLOWED) {
        refused.add(
            call.caller()
                + " may not "
                + call.request().action()
                + " on "
                + call.request().resource()
                + " ("
                + (decision.by() == null
                    ? "no statement allows it"
                    : "denied by " + decision.by().label())
                + "): "
                + call.recorded());
      }
    }
    return List.copyOf(refused);
  }

  /**
   * Each (statement, action, resource) an identity policy grants that no allowed call used, as
   * {@code caller:Sid action resource}, less those {@code explained} (keyed by that line, or by
   * {@code caller:Sid} for the whole statement).
   */
  public Set<String> unused(List<AwsCall> calls, Map<String, String> explained) {
    Set<String> used = new TreeSet<>();
    for (AwsCall call : calls) {
      IamPolicy.Decision decision = decide(call);
      if (decision.outcome() == IamPolicy.Outcome.ALLOWED) {
        for (String action : decision.by().actions()) {
          for (String resource : decision.by().resources()) {
            if (IamPolicy.matches(action, call.request().action(), true)
                && IamPolicy.matches(resource, call.request().resource(), false)) {
              used.add(decision.by().label() + " " + action + " " + resource);
            }
          }
        }
      }
    }
    Set<String> unused = new TreeSet<>();
    identity.forEach(
        (caller, policies) -> {
          for (IamPolicy policy : policies) {
            for (IamPolicy.Statement s : policy.statements()) {
              if (!s.allow() || explained.containsKey(caller + ":" + s.sid())) {
                continue;
              }
              for (String action : s.actions()) {
                for (String resource : s.resources()) {
                  String grant = caller + ":" + s.sid() + " " + action + " " + resource;
                  if (!used.contains(s.label() + " " + action + " " + resource)
                      && !explained.containsKey(grant)) {
                    unused.add(grant);
                  }
                }
              }
            }
          }
        });
    return unused;
  }

  /** Terraform references bound to what the tests' emulators and doubles stand for. */
  private String bind(String text) {
    Matcher m = TOKEN.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String type = m.group(2);
      String attribute = m.group(4);
      String value =
          switch (type + "." + attribute) {
            case "aws_s3_bucket.arn" -> "arn:aws:s3:::" + AwsCall.BUCKET;
            case "aws_s3_bucket.bucket", "aws_s3_bucket.id" -> AwsCall.BUCKET;
            case "aws_secretsmanager_secret.arn", "aws_secretsmanager_secret.id" ->
                "arn:aws:secretsmanager:"
                    + region
                    + ":"
                    + ACCOUNT
                    + ":secret:"
                    + AwsCall.SIGNING_KEY;
            case "aws_batch_job_queue.arn" ->
                "arn:aws:batch:" + region + ":" + ACCOUNT + ":job-queue/QUEUE";
            case "aws_batch_job_definition.name" -> "DEFINITION";
            case "aws_caller_identity.account_id" -> ACCOUNT;
            default -> m.group(); // unbound: matches no recorded resource
          };
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** {@code ${aws_iam_role.ID.arn}} (or .id, .name) to ID. */
  private static String reference(String token) {
    Matcher m = TOKEN.matcher(token);
    return m.find() ? m.group(3) : token;
  }

  private static JsonNode firstProvider(JsonNode stack) {
    JsonNode aws = stack.at("/provider/aws");
    return aws.isArray() ? aws.get(0) : aws;
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
