package io.triad.gcp.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.batch.v1.BatchServiceClient;
import com.google.cloud.batch.v1.CreateJobRequest;
import com.google.cloud.batch.v1.Job;
import com.google.cloud.batch.v1.Runnable;
import com.google.cloud.batch.v1.TaskGroup;
import com.google.cloud.batch.v1.TaskSpec;
import com.google.protobuf.UnknownFieldSet;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Cloud Batch double refuses what CreateJob refuses, through the real client. */
class FakeBatchServiceTest {
  private static final String PARENT = "projects/triad-test/locations/us-central1";

  private final FakeBatchService service = new FakeBatchService(PARENT, accepted -> {});
  private final BatchServiceClient client = service.client();

  @AfterEach
  void stop() {
    client.close();
    service.close();
  }

  @Test
  void createJob_should_acceptAWellFormedJob_once() {
    assertThat(client.createJob(valid(b -> b)).getName()).isEqualTo(PARENT + "/jobs/triad-iris-1");

    assertThat(refusal(valid(b -> b))).contains("ALREADY_EXISTS");
  }

  @Test
  void createJob_should_refuseWhatTheServiceRefuses() {
    assertThat(refusal(valid(b -> b.setParent("projects/triad-test/us-central1"))))
        .contains("INVALID_ARGUMENT");
    assertThat(refusal(valid(b -> b.setParent("projects/other-project/locations/us-central1"))))
        .contains("PERMISSION_DENIED");
    assertThat(refusal(valid(b -> b.setJobId("Triad_iris")))).contains("job_id");
    assertThat(
            refusal(
                valid(
                    b ->
                        b.setJob(
                            b.getJob().toBuilder().addTaskGroups(b.getJob().getTaskGroups(0))))))
        .contains("exactly one task group");
    assertThat(refusal(valid(b -> b.setJob(job(Runnable.Container.newBuilder().addCommands("x"))))))
        .contains("image_uri");
    UnknownFieldSet unknown =
        UnknownFieldSet.newBuilder()
            .addField(999, UnknownFieldSet.Field.newBuilder().addVarint(1).build())
            .build();
    assertThat(
            refusal(valid(b -> b.setJob(b.getJob().toBuilder().setUnknownFields(unknown).build()))))
        .contains("unknown field CreateJobRequest.job#999");
    assertThat(service.requests()).hasSize(6);
  }

  private static CreateJobRequest valid(UnaryOperator<CreateJobRequest.Builder> change) {
    CreateJobRequest.Builder request =
        CreateJobRequest.newBuilder()
            .setParent(PARENT)
            .setJobId("triad-iris-1")
            .setJob(
                job(
                    Runnable.Container.newBuilder()
                        .setImageUri("triad-trainer:1")
                        .addCommands("--model")));
    return change.apply(request).build();
  }

  /** One task group of one container runnable. */
  private static Job job(Runnable.Container.Builder container) {
    return Job.newBuilder()
        .addTaskGroups(
            TaskGroup.newBuilder()
                .setTaskSpec(
                    TaskSpec.newBuilder()
                        .addRunnables(Runnable.newBuilder().setContainer(container))))
        .build();
  }

  private String refusal(CreateJobRequest request) {
    try {
      client.createJob(request);
    } catch (ApiException e) {
      return e.getStatusCode().getCode() + " " + e.getMessage();
    }
    throw new AssertionError("the double accepted " + request);
  }

  @Test
  void refusal_should_failWhenTheDoubleAccepts() {
    assertThatThrownBy(() -> refusal(valid(b -> b.setJobId("triad-iris-2"))))
        .isInstanceOf(AssertionError.class);
  }
}
