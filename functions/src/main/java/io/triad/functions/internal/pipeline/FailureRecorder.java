package io.triad.functions.internal.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.Outcome;
import io.triad.functions.api.TriadJson;
import io.triad.functions.store.BlobInfo;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.ObjectKeys;
import io.triad.functions.telemetry.TraceContext;
import io.triad.layout.BucketLayout;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets a bad upload aside: a copy goes to {@code failed/{key}} and the reason to {@code
 * failed/{key}.error.json}. The original stays where it was uploaded. An event for an object that
 * is not there (deleted since, or never written: a forged or repeated notification) sets nothing
 * aside: there is nothing to keep, and a reason with no upload beside it only misleads.
 */
public final class FailureRecorder {
  /** Why an event for an object that is not there is ignored. */
  static final String GONE = "the object is gone (deleted before it was processed)";

  private static final Logger log = LoggerFactory.getLogger(FailureRecorder.class);

  private final BlobStore store;
  private final ObjectMapper json;
  private final Clock clock;
  private final long maxCopyBytes;

  public FailureRecorder(BlobStore store, ObjectMapper json, Clock clock, long maxCopyBytes) {
    this.store = store;
    this.json = json;
    this.clock = clock;
    this.maxCopyBytes = maxCopyBytes;
  }

  /**
   * The failure for an upload the store will not read (a link, a pipe): its reason alone, as a copy
   * would read what the upload points to. Empty when the upload is readable.
   */
  public Optional<Outcome> refused(String key) {
    return store.refusal(key).map(reason -> reasonOnly(key, reason));
  }

  /**
   * The failure for an upload whose name cannot be a key (a control character, too long): the
   * reason under a safe name made from it, since nothing can be written under the name itself.
   */
  public Outcome unsafeName(String key, String reason) {
    String record = BucketLayout.unsafeNameRecord(key);
    writeReason(record, key, reason);
    log.warn("{} failed: {} (reason under {})", ObjectKeys.printable(key), reason, record);
    return new Outcome.Failed(ObjectKeys.printable(key), record, reason);
  }

  private Outcome reasonOnly(String key, String reason) {
    String record = BucketLayout.failureRecord(key);
    writeReason(record, key, reason);
    log.warn("{} failed: {} (reason under {}, no copy)", key, reason, record);
    return new Outcome.Failed(key, record, reason);
  }

  private void writeReason(String record, String key, String error) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("key", ObjectKeys.printable(key));
    report.put("error", error);
    report.put("failedAt", clock.instant().toString());
    store.put(record, TriadJson.pretty(json, report), TraceContext.metadata());
  }

  /**
   * After {@code key} succeeded: a record left by an earlier failed attempt (a half-written file
   * read too soon) no longer describes it, and goes.
   */
  public void clear(String key) {
    String record = BucketLayout.failureRecord(key);
    if (store.exists(record)) {
      store.delete(BucketLayout.failedCopy(key));
      store.delete(record);
      log.info("{} succeeded; removed the failure record of an earlier attempt", key);
    }
  }

  public Outcome record(String key, String error) {
    String failedKey = BucketLayout.failedCopy(key);
    Optional<BlobInfo> upload = store.head(key);
    if (upload.isEmpty()) {
      return new Outcome.Ignored(key, GONE);
    }
    if (upload.get().size() > maxCopyBytes) {
      // a huge upload is not copied: the record names the original, which stays where it was
      String record = BucketLayout.failureRecord(key);
      writeReason(
          record,
          key,
          error
              + " (no copy kept: the upload is "
              + upload.get().size()
              + " bytes, over the "
              + maxCopyBytes
              + "-byte limit for copies; the original stays at "
              + key
              + ")");
      log.warn("{} failed: {} (reason under {}, too large to copy)", key, error, record);
      return new Outcome.Failed(key, record, error);
    }
    // the copy first, then the reason, whose arrival completes the record: a crash between them
    // leaves no reason, so the upload counts as unhandled and is delivered again at the next start
    store.copy(key, failedKey);
    writeReason(BucketLayout.failureRecord(key), key, error);
    log.warn("{} failed: {} (copy and reason under {})", key, error, failedKey);
    return new Outcome.Failed(key, failedKey, error);
  }
}
