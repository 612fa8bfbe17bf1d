package io.triad.infra.azure;

import java.util.List;
import java.util.stream.Collectors;

/**
 * ABAC conditions that narrow a Blob data role to key prefixes, the Azure counterpart of IAM
 * statements scoped to {@code bucket/prefix/*}: reads only under some prefixes, writes only under
 * others, deletes only under a few or none.
 */
final class BlobAccessCondition {

  private static final String BLOBS =
      "Microsoft.Storage/storageAccounts/blobServices/containers/blobs";

  private BlobAccessCondition() {}

  static String readsAndWrites(List<String> readPrefixes, List<String> writePrefixes) {
    return readsWritesAndDeletes(readPrefixes, writePrefixes, List.of());
  }

  /** As {@link #readsAndWrites}, and deletes under {@code deletePrefixes} (none when empty). */
  static String readsWritesAndDeletes(
      List<String> readPrefixes, List<String> writePrefixes, List<String> deletePrefixes) {
    String deletes =
        deletePrefixes.isEmpty()
            ? "(!(ActionMatches{'" + BLOBS + "/delete'}))"
            : "((!(ActionMatches{'" + BLOBS + "/delete'})) OR (" + under(deletePrefixes) + "))";
    return String.join(
        "\n AND\n ",
        "((!(ActionMatches{'"
            + BLOBS
            + "/read'} AND NOT SubOperationMatches{'Blob.List'})) OR ("
            + under(readPrefixes)
            + "))",
        "((!(ActionMatches{'"
            + BLOBS
            + "/write'}) AND !(ActionMatches{'"
            + BLOBS
            + "/add/action'})) OR ("
            + under(writePrefixes)
            + "))",
        deletes);
  }

  /** Blobs under each prefix; one with a {@code *} is a pattern instead (StringLike). */
  private static String under(List<String> prefixes) {
    return prefixes.stream()
        .map(
            p ->
                "@Resource["
                    + BLOBS
                    + ":path] "
                    + (p.contains("*") ? "StringLike" : "StringStartsWith")
                    + " '"
                    + p
                    + "'")
        .collect(Collectors.joining(" OR "));
  }
}
