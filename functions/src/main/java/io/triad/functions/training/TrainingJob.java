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
 */
public record TrainingJob(
    String model,
    String version,
    String storeUri,
    String dataKey,
    String candidatePrefix,
    String parentVersion,
    Map<String, String> parameters) {

  public TrainingJob {
    parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
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
    parameters.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> args.addAll(List.of("--" + e.getKey(), e.getValue())));
    return args;
  }
}
