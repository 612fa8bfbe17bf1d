package io.triad.gcp.testing;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.batch.v1.BatchServiceClient;
import com.google.cloud.batch.v1.BatchServiceSettings;
import com.google.cloud.batch.v1.CreateJobRequest;
import com.google.cloud.batch.v1.Job;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCalls;
import io.triad.functions.testing.CloudCallLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Google Cloud Batch's {@code CreateJob}, {@code GetJob} and {@code DeleteJob} served in-process
 * over real gRPC (no socket at all): it records each request and answers like the service, or with
 * the status a test asks for. A created job is {@code RUNNING}, or {@code SCHEDULED} for good in a
 * region told to hold its jobs ({@link #holdIn}); a deleted one is gone ({@code NOT_FOUND}). The
 * method is described by hand from the public proto names, so no generated service stub is needed.
 * A test that wants the job to run as well gives a listener, called with each accepted request
 * before the answer goes back.
 *
 * <p>It refuses what the service refuses ({@link #refusal}): a parent that is not {@code
 * projects/P/locations/REGION} (or, when the double is given one, another project or region than
 * its own: permission denied, as IAM answers), a job id Batch does not allow, a job id already
 * used, no task group or more than one, a runnable that is not exactly one of container, script or
 * barrier, a container without an image, and any field the v1 API does not have (a message's
 * unknown fields, as a client built on another version of the protos would send them).
 */
public final class FakeBatchService implements AutoCloseable {
  private static final String SERVICE = "google.cloud.batch.v1.BatchService";
  private static final MethodDescriptor<CreateJobRequest, Job> CREATE_JOB =
      MethodDescriptor.<CreateJobRequest, Job>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "CreateJob"))
          .setRequestMarshaller(ProtoUtils.marshaller(CreateJobRequest.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(Job.getDefaultInstance()))
          .build();

  private static final MethodDescriptor<com.google.cloud.batch.v1.GetJobRequest, Job> GET_JOB =
      MethodDescriptor.<com.google.cloud.batch.v1.GetJobRequest, Job>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "GetJob"))
          .setRequestMarshaller(
              ProtoUtils.marshaller(com.google.cloud.batch.v1.GetJobRequest.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(Job.getDefaultInstance()))
          .build();
  private static final MethodDescriptor<
          com.google.cloud.batch.v1.DeleteJobRequest, com.google.longrunning.Operation>
      DELETE_JOB =
          MethodDescriptor
              .<com.google.cloud.batch.v1.DeleteJobRequest, com.google.longrunning.Operation>
                  newBuilder()
              .setType(MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "DeleteJob"))
              .setRequestMarshaller(
                  ProtoUtils.marshaller(
                      com.google.cloud.batch.v1.DeleteJobRequest.getDefaultInstance()))
              .setResponseMarshaller(
                  ProtoUtils.marshaller(com.google.longrunning.Operation.getDefaultInstance()))
              .build();

  /** Which function a client is (its {@code x-triad-caller} header), for the recorded calls. */
  private static final Metadata.Key<String> CALLER_HEADER =
      Metadata.Key.of("x-triad-caller", Metadata.ASCII_STRING_MARSHALLER);

  private static final Context.Key<String> CALLER = Context.key("triad-caller");

  private final String name = "batch-" + UUID.randomUUID();
  private static final java.util.regex.Pattern PARENT =
      java.util.regex.Pattern.compile(
          "projects/[a-z][a-z0-9-]{4,28}[a-z0-9]/locations/[a-z]+-[a-z]+[0-9]+");
  private static final java.util.regex.Pattern JOB_ID =
      java.util.regex.Pattern.compile("[a-z]([a-z0-9-]{0,61}[a-z0-9])?");

  private final List<CreateJobRequest> requests = new CopyOnWriteArrayList<>();
  private final java.util.Set<String> jobIds = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final String parent;
  private final Server server;
  private final ManagedChannel channel;
  private final List<ManagedChannel> namedChannels = new CopyOnWriteArrayList<>();
  private volatile Status failure;
  private final Map<String, Status> refusedIn = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.Set<String> heldIn = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final Map<String, Job> jobs = new java.util.concurrent.ConcurrentHashMap<>();
  private final List<String> deleted = new CopyOnWriteArrayList<>();
  private final java.util.Set<String> extraParents =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  public FakeBatchService() {
    this(null, accepted -> {});
  }

  /**
   * With {@code onAccepted} called for each request the service accepts (not for refused ones), in
   * {@code parent} ({@code projects/P/locations/R}, the only one the caller may create jobs in), or
   * any well-formed parent when null.
   */
  public FakeBatchService(String parent, Consumer<CreateJobRequest> onAccepted) {
    this.parent = parent;
    ServerServiceDefinition service =
        ServerServiceDefinition.builder(SERVICE)
            .addMethod(
                CREATE_JOB,
                ServerCalls.asyncUnaryCall(
                    (request, answer) -> {
                      requests.add(request);
                      record(request);
                      if (failure != null) {
                        answer.onError(failure.asRuntimeException());
                        return;
                      }
                      Status there = refusedIn.get(request.getParent());
                      if (there != null) {
                        answer.onError(there.asRuntimeException());
                        return;
                      }
                      Status refusal = refusal(request);
                      if (refusal != null) {
                        answer.onError(refusal.asRuntimeException());
                        return;
                      }
                      String jobName = request.getParent() + "/jobs/" + request.getJobId();
                      boolean waits = heldIn.contains(request.getParent());
                      Job created =
                          request.getJob().toBuilder()
                              .setName(jobName)
                              .setUid(UUID.randomUUID().toString())
                              .setStatus(
                                  com.google.cloud.batch.v1.JobStatus.newBuilder()
                                      .setState(
                                          waits
                                              ? com.google.cloud.batch.v1.JobStatus.State.SCHEDULED
                                              : com.google.cloud.batch.v1.JobStatus.State.RUNNING))
                              .build();
                      jobs.put(jobName, created);
                      if (!waits) {
                        onAccepted.accept(request);
                      }
                      answer.onNext(created);
                      answer.onCompleted();
                    }))
            .addMethod(
                GET_JOB,
                ServerCalls.asyncUnaryCall(
                    (request, answer) -> {
                      recordOn("batch.get", request.getName());
                      Status refused = refusalOfName(request.getName());
                      Job job = jobs.get(request.getName());
                      if (refused == null && job == null) {
                        refused = Status.NOT_FOUND.withDescription("Job not found");
                      }
                      if (refused != null) {
                        answer.onError(refused.asRuntimeException());
                        return;
                      }
                      answer.onNext(job);
                      answer.onCompleted();
                    }))
            .addMethod(
                DELETE_JOB,
                ServerCalls.asyncUnaryCall(
                    (request, answer) -> {
                      recordOn("batch.delete", request.getName());
                      Status refused = refusalOfName(request.getName());
                      if (refused == null && jobs.remove(request.getName()) == null) {
                        refused = Status.NOT_FOUND.withDescription("Job not found");
                      }
                      if (refused != null) {
                        answer.onError(refused.asRuntimeException());
                        return;
                      }
                      // the id stays taken: Batch deletes a job in the background
                      // (DELETION_IN_PROGRESS), and its id is not free meanwhile
                      deleted.add(request.getName());
                      answer.onNext(
                          com.google.longrunning.Operation.newBuilder()
                              .setName(request.getName() + "/operations/delete")
                              .setDone(true)
                              .build());
                      answer.onCompleted();
                    }))
            .build();
    try {
      server =
          InProcessServerBuilder.forName(name)
              .directExecutor()
              .addService(ServerInterceptors.intercept(service, new CallerInterceptor()))
              .build()
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  /** A real client (retries, error mapping and all) whose transport is this server. */
  public BatchServiceClient client() {
    return client(null);
  }

  /**
   * As {@link #client()}, for the function {@code caller}: what it creates is recorded under its
   * name ({@code gcs.jsonl}, {@link CloudCallLog}) for the permission checks.
   */
  public BatchServiceClient client(String caller) {
    try {
      ManagedChannel transport = channel;
      if (caller != null) {
        // a channel of its own that names the caller on every call (a fixed transport takes no
        // header provider)
        Metadata named = new Metadata();
        named.put(CALLER_HEADER, caller);
        transport =
            InProcessChannelBuilder.forName(name)
                .directExecutor()
                .intercept(MetadataUtils.newAttachHeadersInterceptor(named))
                .build();
        namedChannels.add(transport);
      }
      return BatchServiceClient.create(
          BatchServiceSettings.newBuilder()
              .setTransportChannelProvider(
                  FixedTransportChannelProvider.create(GrpcTransportChannel.create(transport)))
              .setCredentialsProvider(NoCredentialsProvider.create())
              .build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** CreateJob as IAM sees it: batch.jobs.create, acting as the job's service account. */
  private static void record(CreateJobRequest request) {
    String caller = CALLER.get();
    if (caller != null) {
      CloudCallLog.append(
          "gcs.jsonl",
          Map.of(
              "caller",
              caller,
              "op",
              "batch.create",
              "parent",
              request.getParent(),
              "serviceAccount",
              request.getJob().getAllocationPolicy().getServiceAccount().getEmail()));
    }
  }

  /** Puts the client's {@code x-triad-caller} header where the call's handler reads it. */
  private static final class CallerInterceptor implements ServerInterceptor {
    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
      return Contexts.interceptCall(
          Context.current().withValue(CALLER, headers.get(CALLER_HEADER)), call, headers, next);
    }
  }

  /** What the service would refuse in {@code request}, or null. */
  private Status refusal(CreateJobRequest request) {
    if (!PARENT.matcher(request.getParent()).matches()) {
      return Status.INVALID_ARGUMENT.withDescription(
          "parent must be projects/{project}/locations/{location}: " + request.getParent());
    }
    if (parent != null
        && !parent.equals(request.getParent())
        && !extraParents.contains(request.getParent())) {
      return Status.PERMISSION_DENIED.withDescription(
          "Permission 'batch.jobs.create' denied on resource '" + request.getParent() + "'");
    }
    String unknown = unknownField(request, "CreateJobRequest");
    if (unknown != null) {
      return Status.INVALID_ARGUMENT.withDescription(
          "Invalid JSON payload: unknown field " + unknown);
    }
    if (!JOB_ID.matcher(request.getJobId()).matches()) {
      return Status.INVALID_ARGUMENT.withDescription(
          "job_id must match ^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$: " + request.getJobId());
    }
    if (request.getJob().getTaskGroupsCount() != 1) {
      return Status.INVALID_ARGUMENT.withDescription(
          "a job must have exactly one task group, not " + request.getJob().getTaskGroupsCount());
    }
    List<com.google.cloud.batch.v1.Runnable> runnables =
        request.getJob().getTaskGroups(0).getTaskSpec().getRunnablesList();
    if (runnables.isEmpty()) {
      return Status.INVALID_ARGUMENT.withDescription("task_spec.runnables must not be empty");
    }
    for (com.google.cloud.batch.v1.Runnable runnable : runnables) {
      int kinds =
          (runnable.hasContainer() ? 1 : 0)
              + (runnable.hasScript() ? 1 : 0)
              + (runnable.hasBarrier() ? 1 : 0);
      if (kinds != 1) {
        return Status.INVALID_ARGUMENT.withDescription(
            "a runnable must be exactly one of container, script or barrier");
      }
      if (runnable.hasContainer() && runnable.getContainer().getImageUri().isBlank()) {
        return Status.INVALID_ARGUMENT.withDescription("container.image_uri is required");
      }
    }
    if (!jobIds.add(request.getParent() + "/jobs/" + request.getJobId())) {
      return Status.ALREADY_EXISTS.withDescription(
          "Job " + request.getParent() + "/jobs/" + request.getJobId() + " already exists");
    }
    return null;
  }

  /** The path of the first field no v1 message has, anywhere in {@code message}, or null. */
  private static String unknownField(com.google.protobuf.Message message, String path) {
    if (!message.getUnknownFields().asMap().isEmpty()) {
      return path + "#" + message.getUnknownFields().asMap().keySet().iterator().next();
    }
    for (Map.Entry<com.google.protobuf.Descriptors.FieldDescriptor, Object> field :
        message.getAllFields().entrySet()) {
      if (field.getKey().getJavaType()
          != com.google.protobuf.Descriptors.FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      List<?> values =
          field.getKey().isRepeated() ? (List<?>) field.getValue() : List.of(field.getValue());
      for (Object value : values) {
        if (value instanceof com.google.protobuf.Message nested) {
          String unknown = unknownField(nested, path + "." + field.getKey().getName());
          if (unknown != null) {
            return unknown;
          }
        }
      }
    }
    return null;
  }

  /** From now on every CreateJob fails with {@code status}. */
  public void failWith(Status status) {
    this.failure = status;
  }

  /**
   * From now on, jobs created in {@code parent} ({@code projects/P/locations/R}) are refused with
   * {@code status}, as a region out of quota or capacity refuses them; null takes them again.
   */
  public void refuseIn(String parent, Status status) {
    if (status == null) {
      refusedIn.remove(parent);
    } else {
      refusedIn.put(parent, status);
    }
  }

  /**
   * From now on, jobs created in {@code parent} are accepted and stay {@code SCHEDULED}, never run,
   * as a region with no machines of the kind keeps them (Batch retries the VMs and reports the
   * stockout in the job's status events, not at creation).
   */
  public void holdIn(String parent) {
    heldIn.add(parent);
  }

  /** The jobs deleted so far, by name. */
  public List<String> deleted() {
    return List.copyOf(deleted);
  }

  /**
   * What the service would refuse in a job's name: not {@code projects/P/locations/R/jobs/ID}, or
   * (when the double has a parent) another project's or region's job.
   */
  private Status refusalOfName(String jobName) {
    int at = jobName.lastIndexOf("/jobs/");
    if (at < 0 || !PARENT.matcher(jobName.substring(0, at)).matches()) {
      return Status.INVALID_ARGUMENT.withDescription(
          "name must be projects/{project}/locations/{location}/jobs/{job}: " + jobName);
    }
    String jobParent = jobName.substring(0, at);
    if (parent != null && !parent.equals(jobParent) && !extraParents.contains(jobParent)) {
      return Status.PERMISSION_DENIED.withDescription(
          "Permission denied on resource " + jobName + " (or it may not exist)");
    }
    return null;
  }

  /** A call on one job as IAM sees it: {@code op} on the job's parent. */
  private static void recordOn(String op, String jobName) {
    String caller = CALLER.get();
    if (caller != null) {
      int at = jobName.lastIndexOf("/jobs/");
      CloudCallLog.append(
          "gcs.jsonl",
          Map.of(
              "caller", caller, "op", op, "parent", at < 0 ? jobName : jobName.substring(0, at)));
    }
  }

  /** From now on, jobs may also be created in {@code parent}, another region of the project. */
  public void alsoIn(String parent) {
    extraParents.add(parent);
  }

  public List<CreateJobRequest> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    channel.shutdownNow();
    namedChannels.forEach(ManagedChannel::shutdownNow);
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
