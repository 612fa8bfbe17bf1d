package io.triad.infra;

/**
 * The key prefixes of the Triad bucket (see {@code ModelKeys} and the data-flow table in
 * {@code docs/architecture.md}); IAM is scoped by them. Repeated here rather than imported because
 * infra has no compile dependency on the functions module.
 */
public final class BucketLayout {

  private BucketLayout() {}

  public static final String INCOMING = "incoming/";
  public static final String LABELLED = "labelled/";
  public static final String CANDIDATES = "candidates/";
  public static final String MODELS = "models/";
  public static final String PREDICTIONS = "predictions/";
  public static final String EVALUATIONS = "evaluations/";
  public static final String FAILED = "failed/";
  /** Training data: {@code data/{model}/train.csv} unless a model says otherwise. */
  public static final String DATA = "data/";
  /** The trainer writes this last; only its arrival starts the promotion gate. */
  public static final String CANDIDATE_MANIFEST = "manifest.json";
}
