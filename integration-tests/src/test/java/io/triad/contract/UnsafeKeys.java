package io.triad.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.triad.functions.store.BlobInfo;
import io.triad.layout.BucketLayout;
import java.util.List;

/**
 * Upload events whose key climbs out of {@code incoming/{model}/} or bends the key rule (as a
 * forged or mangled notification would carry): each must be answered without an error (an error
 * makes the platform deliver it again, forever the same), and nothing may be written, moved or
 * deleted anywhere in the bucket; the model keeps serving.
 */
final class UnsafeKeys {
  static final List<String> KEYS =
      List.of(
          "incoming/iris/../../models/iris/aliases/production",
          "incoming/iris/../../../../etc/passwd.csv",
          "/incoming/iris/rooted.csv",
          "incoming/iris/..\\..\\backslashes.csv",
          "incoming/iris/./dot.csv",
          "incoming//iris/empty-segment.csv",
          "incoming/iris/nul\u0000.csv");

  private UnsafeKeys() {}

  static void run(RuntimeUnderTest runtime) throws Exception {
    // given
    List<BlobInfo> before = runtime.bucket().list("");
    byte[] alias = runtime.bucket().read(BucketLayout.alias("iris", BucketLayout.PRODUCTION));

    // when
    for (String key : KEYS) {
      assertThatCode(() -> runtime.announce(key))
          .as("%s: event for %s", runtime.name(), key)
          .doesNotThrowAnyException();
    }

    // then
    assertThat(runtime.bucket().list(""))
        .as("%s: the bucket after %d unsafe keys", runtime.name(), KEYS.size())
        .containsExactlyInAnyOrderElementsOf(before);
    assertThat(runtime.bucket().read(BucketLayout.alias("iris", BucketLayout.PRODUCTION)))
        .as("%s: iris alias", runtime.name())
        .isEqualTo(alias);
    assertThat(ServedVersion.of(runtime, "iris", "after unsafe keys"))
        .as("%s: served version", runtime.name())
        .isEqualTo("1");
  }
}
