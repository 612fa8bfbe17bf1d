package io.triad.infra;

import java.util.List;

/**
 * The one list of names the stacks hand to the adapters: environment variables, app settings,
 * handler classes and entry points. The adapters read these names; infra has no compile
 * dependency on them (it knows their artifacts by path only), so this class is the contract, and
 * {@code docs/architecture.md} points here.
 */
public final class AdapterSettings {

  private AdapterSettings() {}

  /** Every cloud: ONNX Runtime 1.29's Linux telemetry crashes the JVM; it must be off at start. */
  public static final String ORT_DISABLE_TELEMETRY = "ORT_DISABLE_TELEMETRY";

  /** AWS Lambda environment variables. */
  public static final class Aws {
    private Aws() {}

    public static final String BUCKET = "TRIAD_BUCKET";
    /** Which function this is: one of {@link #FUNCTIONS}. */
    public static final String FUNCTION = "TRIAD_FUNCTION";
    public static final String BATCH_JOB_QUEUE = "TRIAD_BATCH_JOB_QUEUE";
    public static final String BATCH_JOB_DEFINITION = "TRIAD_BATCH_JOB_DEFINITION";
    /** Comma-separated model names. */
    public static final String MODELS = "TRIAD_MODELS";

    public static final String HTTP = "http";
    public static final String S3 = "s3";
    public static final String SCHEDULE = "schedule";
    public static final List<String> FUNCTIONS = List.of(HTTP, S3, SCHEDULE);

    public static final String HTTP_HANDLER = "io.triad.aws.HttpHandler::handleRequest";
    public static final String S3_HANDLER = "io.triad.aws.S3EventHandler::handleRequest";
    public static final String SCHEDULE_HANDLER = "io.triad.aws.ScheduleHandler::handleRequest";
  }

  /** Azure Function App settings. */
  public static final class Azure {
    private Azure() {}

    public static final String CONTAINER = "TRIAD_CONTAINER";
    public static final String STORAGE_ACCOUNT = "TRIAD_STORAGE_ACCOUNT";
    public static final String BATCH_ACCOUNT = "TRIAD_BATCH_ACCOUNT";
    public static final String BATCH_POOL = "TRIAD_BATCH_POOL";
    public static final String MODELS = "TRIAD_MODELS";
    /** NCRONTAB for the Timer trigger, bound as {@code schedule = "%TRIAD_RETRAIN_SCHEDULE%"}. */
    public static final String RETRAIN_SCHEDULE = "TRIAD_RETRAIN_SCHEDULE";
    /** Batch account endpoint for the launcher and the trainer image it runs. */
    public static final String BATCH_ENDPOINT = "TRIAD_BATCH_ENDPOINT";
    public static final String TRAINER_IMAGE = "TRIAD_TRAINER_IMAGE";
    /** Client id of the pool's managed identity, which the trainer uses for Blob access. */
    public static final String TRAINER_IDENTITY = "TRIAD_TRAINER_IDENTITY";

    /** The function the Event Grid blob-created subscription delivers to. */
    public static final String OBJECT_CREATED_FUNCTION = "onObjectCreated";
  }

  /** Google Cloud Functions (2nd gen) environment variables and entry points. */
  public static final class Gcp {
    private Gcp() {}

    public static final String BUCKET = "TRIAD_BUCKET";
    public static final String BATCH_REGION = "TRIAD_BATCH_REGION";
    public static final String MODELS = "TRIAD_MODELS";
    /** What the schedule function needs to build a Cloud Batch job (Cloud Batch has no job template). */
    public static final String BATCH_SERVICE_ACCOUNT = "TRIAD_BATCH_SERVICE_ACCOUNT";
    public static final String TRAINER_IMAGE = "TRIAD_TRAINER_IMAGE";
    public static final String GPU_TYPE = "TRIAD_GPU_TYPE";
    public static final String GPU_COUNT = "TRIAD_GPU_COUNT";
    public static final String MACHINE_TYPE = "TRIAD_MACHINE_TYPE";
    public static final String SPOT = "TRIAD_SPOT";
    public static final String JOB_TIMEOUT_SECONDS = "TRIAD_JOB_TIMEOUT_SECONDS";
    public static final String JOB_RETRIES = "TRIAD_JOB_RETRIES";

    public static final String HTTP_ENTRY = "io.triad.gcp.HttpEntry";
    public static final String STORAGE_ENTRY = "io.triad.gcp.StorageEntry";
    public static final String SCHEDULE_ENTRY = "io.triad.gcp.ScheduleEntry";
  }

  /** The trainer every batch job runs, with the arguments of {@code TrainingJob.arguments()}. */
  public static final class Trainer {
    private Trainer() {}

    public static final String JAR = "/app/triad-trainer.jar";
    public static final String MAIN_CLASS = "io.triad.models.TrainerMain";
    public static final String IMAGE_NAME = "triad-trainer";
  }
}
