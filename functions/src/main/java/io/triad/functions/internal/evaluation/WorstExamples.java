package io.triad.functions.internal.evaluation;

import io.triad.functions.api.TriadError;
import io.triad.functions.image.ImageEncoder;
import io.triad.functions.image.Thumbnail;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Keeps the {@code limit} most confident mistakes (lowest probability given to the true class) in
 * bounded memory: a picture's bytes, rendered as a thumbnail once at the end, or a table row's
 * inputs as text.
 */
final class WorstExamples {
  static final int THUMBNAIL_SIDE = 96;

  private record Candidate(
      String source,
      String actual,
      String predicted,
      double probability,
      double actualProbability,
      byte[] image,
      String inputs) {}

  private final int limit;
  private final ImageEncoder decoder;
  // the best of the kept mistakes on top, so it is the one that leaves
  private final PriorityQueue<Candidate> kept =
      new PriorityQueue<>(Comparator.comparingDouble(Candidate::actualProbability).reversed());

  WorstExamples(int limit, ImageEncoder decoder) {
    this.limit = limit;
    this.decoder = decoder;
  }

  void offer(
      String source,
      String actual,
      String predicted,
      double probability,
      double actualProbability,
      byte[] image,
      String inputs) {
    if (kept.size() == limit && kept.peek().actualProbability() <= actualProbability) {
      return;
    }
    kept.add(
        new Candidate(source, actual, predicted, probability, actualProbability, image, inputs));
    if (kept.size() > limit) {
      kept.poll();
    }
  }

  List<Misclassified> result() {
    return kept.stream()
        .sorted(Comparator.comparingDouble(Candidate::actualProbability))
        .map(
            c ->
                new Misclassified(
                    c.source(),
                    c.actual(),
                    c.predicted(),
                    c.probability(),
                    c.actualProbability(),
                    c.image() == null ? null : thumbnail(c.image()),
                    c.inputs()))
        .toList();
  }

  private String thumbnail(byte[] image) {
    if (decoder == null) {
      return null;
    }
    try {
      return Thumbnail.dataUri(decoder.decode(image), THUMBNAIL_SIDE);
    } catch (TriadError e) {
      return null; // it decoded once for scoring; a thumbnail is not worth failing the report for
    }
  }
}
