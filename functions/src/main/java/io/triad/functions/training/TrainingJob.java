package io.triad.functions.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One retraining run, as every launcher hands it to the trainer entrypoint ({@code
 * io.triad.models.TrainerMain}): the same arguments locally and on every cloud batch service.
 *
 * @param model the model name
 * @param version the candidate version the job writes
 * @param storeUri the bucket the trainer reads data from and writes the candidate to
 * @param dataKey the training data object (CSV with a header and the target column)
 * @param candidatePrefix where the candidate package goes: {@code candidates/{model}/{version}/}
 * @param parentVersion the version serving when the job was launched, or null
 * @param parameters extra trainer options (epochs, seed, ...), passed as {@code --key value}
 * @param placement where the job is submitted, or null for the launcher's own configuration
 * @param refused the targets tried before {@code placement} and why each refused the job, as {@code
 *     cloud/region/kind:refusal} words ({@code gcp/us-central1/spot:capacity})
 */
public record TrainingJob(
    String model,
    String version,
    String storeUri,
    String dataKey,
    String candidatePrefix,
    String parentVersion,
    Map<String, String> parameters,
    PlacementTarget placement,
    List<String> refused) {

  public TrainingJob {
    parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    refused = refused == null ? List.of() : List.copyOf(refused);
  }

  /** A job for the launcher's own configuration, placed nowhere in particular. */
  public TrainingJob(
      String model,
      String version,
      String storeUri,
      String dataKey,
      String candidatePrefix,
      String parentVersion,
      Map<String, String> parameters) {
    this(model, version, storeUri, dataKey, candidatePrefix, parentVersion, parameters, null, null);
  }

  /** This job submitted to {@code target}, after the targets in {@code refused} refused it. */
  public TrainingJob placedOn(PlacementTarget target, List<String> refused) {
    return new TrainingJob(
        model,
        version,
        storeUri,
        dataKey,
        candidatePrefix,
        parentVersion,
        parameters,
        target,
        refused);
  }

  /** The trainer's command-line arguments, identical for every launcher. */
  public List<String> arguments() {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--store", storeUri,
                "--model", model,
                "--version", version,
                "--data", dataKey,
                "--output", candidatePrefix));
    if (parentVersion != null) {
      args.addAll(List.of("--parent", parentVersion));
    }
    if (placement != null) {
      args.addAll(List.of("--placement", placement.toString()));
      if (!refused.isEmpty()) {
        args.addAll(List.of("--placement-refused", String.join(",", refused)));
      }
    }
    parameters.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> args.addAll(List.of("--" + e.getKey(), e.getValue())));
    return args;
  }
}
