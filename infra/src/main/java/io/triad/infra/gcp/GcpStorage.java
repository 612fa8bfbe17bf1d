package io.triad.infra.gcp;

import com.hashicorp.cdktf.providers.google.storage_bucket.StorageBucket;
import com.hashicorp.cdktf.providers.google.storage_bucket.StorageBucketConfig;
import com.hashicorp.cdktf.providers.google.storage_bucket.StorageBucketVersioning;
import com.hashicorp.cdktf.providers.google.storage_bucket_iam_member.StorageBucketIamMember;
import com.hashicorp.cdktf.providers.google.storage_bucket_iam_member.StorageBucketIamMemberCondition;
import com.hashicorp.cdktf.providers.google.storage_bucket_iam_member.StorageBucketIamMemberConfig;
import io.triad.infra.config.TriadConfig;
import java.util.List;
import java.util.stream.Collectors;
import software.constructs.Construct;

/**
 * The Triad bucket (uniform bucket-level access, public access prevented, versioned) and the
 * functions' source bucket, plus the prefix-scoped grants every service account gets on the data:
 * IAM conditions on object names stand in for S3's {@code bucket/prefix/*} resources.
 */
final class GcpStorage extends Construct {

  private final StorageBucket bucket;
  private final StorageBucket sources;

  GcpStorage(Construct scope, String id, TriadConfig config) {
    super(scope, id);
    bucket = bucket("bucket", config.gcp().project() + "-" + config.project(), config);
    sources =
        bucket("sources", config.gcp().project() + "-" + config.project() + "-sources", config);
  }

  private StorageBucket bucket(String id, String name, TriadConfig config) {
    return new StorageBucket(
        this,
        id,
        StorageBucketConfig.builder()
            .name(name)
            .location(config.gcp().region())
            .uniformBucketLevelAccess(true)
            .publicAccessPrevention("enforced")
            .versioning(StorageBucketVersioning.builder().enabled(true).build())
            .build());
  }

  /** Lets {@code member} read objects under {@code readPrefixes} and list under them. */
  void grantRead(String id, String member, List<String> readPrefixes) {
    grant(
        id,
        member,
        "roles/storage.objectViewer",
        "read " + String.join(" ", readPrefixes),
        "(" + objectsUnder(readPrefixes) + ") || (" + listingUnder(readPrefixes) + ")");
  }

  /**
   * Lets {@code member} write under {@code writePrefixes}: {@code role} is objectCreator for new
   * objects only, objectUser where objects are replaced (an alias file).
   */
  StorageBucketIamMember grantWrite(
      String id, String member, String role, List<String> writePrefixes) {
    return grant(
        id, member, role, "write " + String.join(" ", writePrefixes), objectsUnder(writePrefixes));
  }

  /**
   * Lets {@code member} read and write only objects named {@code file} under {@code prefix} (any
   * depth), e.g. the launch records under candidates/.
   */
  void grantFiles(String id, String member, String prefix, String file) {
    grant(
        id,
        member,
        "roles/storage.objectUser",
        "read and write " + prefix + "…/" + file,
        objectsUnder(List.of(prefix)) + " && resource.name.endsWith(\"/" + file + "\")");
  }

  private StorageBucketIamMember grant(
      String id, String member, String role, String title, String expression) {
    return new StorageBucketIamMember(
        this,
        id,
        StorageBucketIamMemberConfig.builder()
            .bucket(bucket.getName())
            .role(role)
            .member(member)
            .condition(
                StorageBucketIamMemberCondition.builder()
                    .title(title.length() > 100 ? title.substring(0, 100) : title)
                    .expression(expression)
                    .build())
            .build());
  }

  private String objectsUnder(List<String> prefixes) {
    return prefixes.stream()
        .map(
            p ->
                "resource.name.startsWith(\"projects/_/buckets/"
                    + bucket.getName()
                    + "/objects/"
                    + p
                    + "\")")
        .collect(Collectors.joining(" || "));
  }

  private static String listingUnder(List<String> prefixes) {
    return "resource.type == \"storage.googleapis.com/Bucket\" && ("
        + prefixes.stream()
            .map(
                p ->
                    "api.getAttribute(\"storage.googleapis.com/objectListPrefix\", \"\").startsWith(\""
                        + p
                        + "\")")
            .collect(Collectors.joining(" || "))
        + ")";
  }

  String name() {
    return bucket.getName();
  }

  StorageBucket sources() {
    return sources;
  }
}
