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
 * Google Cloud Batch's {@code CreateJob} served in-process over real gRPC (no socket at all): it
 * records each request and answers like the service, or with the status a test asks for. The method
 * is described by hand from the public proto names, so no generated service stub is needed. A test
 * that wants the job to run as well gives a listener, called with each accepted request before the
 * answer goes back.
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

  /** Which function a client is (its {@code x-triad-caller} header), for the recorded calls. */
  private static final Metadata.Key<String> CALLER_HEADER =
      Metadata.Key.of("x-triad-caller", Metadata.ASCII_STRING_MARSHALLER);

  private static final Context.Key<String> CALLER = Context.key("triad-caller");

  private final String name = "batch-" + UUID.randomUUID();
  private final List<CreateJobRequest> requests = new CopyOnWriteArrayList<>();
  private final Server server;
  private final ManagedChannel channel;
  private final List<ManagedChannel> namedChannels = new CopyOnWriteArrayList<>();
  private volatile Status failure;

  public FakeBatchService() {
    this(accepted -> {});
  }

  /** With {@code onAccepted} called for each request the service accepts (not for refused ones). */
  public FakeBatchService(Consumer<CreateJobRequest> onAccepted) {
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
                      onAccepted.accept(request);
                      answer.onNext(
                          request.getJob().toBuilder()
                              .setName(request.getParent() + "/jobs/" + request.getJobId())
                              .setUid(UUID.randomUUID().toString())
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

  /** From now on every CreateJob fails with {@code status}. */
  public void failWith(Status status) {
    this.failure = status;
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
