package io.triad.gcp.testing;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.batch.v1.BatchServiceClient;
import com.google.cloud.batch.v1.BatchServiceSettings;
import com.google.cloud.batch.v1.CreateJobRequest;
import com.google.cloud.batch.v1.Job;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
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

  private final String name = "batch-" + UUID.randomUUID();
  private final List<CreateJobRequest> requests = new CopyOnWriteArrayList<>();
  private final Server server;
  private final ManagedChannel channel;
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
          InProcessServerBuilder.forName(name).directExecutor().addService(service).build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  /** A real client (retries, error mapping and all) whose transport is this server. */
  public BatchServiceClient client() {
    try {
      return BatchServiceClient.create(
          BatchServiceSettings.newBuilder()
              .setTransportChannelProvider(
                  FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
              .setCredentialsProvider(NoCredentialsProvider.create())
              .build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
