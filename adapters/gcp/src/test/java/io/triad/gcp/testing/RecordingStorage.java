package io.triad.gcp.testing;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import io.triad.functions.testing.CloudCallLog;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The in-memory storage as one function sees it, with every call it makes recorded, when the system
 * property {@code triad.cloud-calls} names a folder, to {@code gcs.jsonl}: the caller (the
 * function), the operation (get, read, write, delete, list), the bucket and object or listing
 * prefix, and for a write whether it replaced an object (which GCS authorizes as a delete too). The
 * permission checks read it.
 */
public final class RecordingStorage {

  private static final Pattern PREFIX = Pattern.compile("Prefix\\{key=PREFIX, val=(.*)}}");

  private RecordingStorage() {}

  public static Storage wrap(Storage storage, String caller) {
    if (CloudCallLog.file("gcs.jsonl").isEmpty()) {
      return storage;
    }
    return (Storage)
        Proxy.newProxyInstance(
            Storage.class.getClassLoader(),
            new Class<?>[] {Storage.class},
            (proxy, method, args) -> {
              Map<String, Object> call = describe(storage, method.getName(), args);
              if (call != null) {
                call.put("caller", caller);
                CloudCallLog.append("gcs.jsonl", call);
              }
              try {
                return method.invoke(storage, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private static Map<String, Object> describe(Storage storage, String method, Object[] args) {
    Map<String, Object> call = new LinkedHashMap<>();
    Object first = args == null || args.length == 0 ? null : args[0];
    switch (method) {
      case "get", "reader", "readAllBytes" -> {
        call.put("op", method.equals("get") ? "get" : "read");
        object(call, first, args);
      }
      case "create", "createFrom", "writer" -> {
        call.put("op", "write");
        BlobInfo info = (BlobInfo) first;
        call.put("bucket", info.getBucket());
        call.put("object", info.getName());
        call.put("replaces", storage.get(info.getBucket(), info.getName()) != null);
      }
      case "delete" -> {
        call.put("op", "delete");
        object(call, first, args);
      }
      case "copy" -> {
        Storage.CopyRequest copy = (Storage.CopyRequest) first;
        call.put("op", "copy");
        call.put("bucket", copy.getSource().getBucket());
        call.put("object", copy.getSource().getName());
        call.put("target", copy.getTarget().getName());
        call.put("replaces", storage.get(copy.getTarget().getBlobId()) != null);
      }
      case "list" -> {
        call.put("op", "list");
        call.put("bucket", first);
        call.put("prefix", "");
        for (int i = 1; args != null && i < args.length; i++) {
          Object[] options = args[i] instanceof Object[] many ? many : new Object[] {args[i]};
          for (Object option : options) {
            Matcher m = PREFIX.matcher(String.valueOf(option));
            if (m.find()) {
              call.put("prefix", m.group(1));
            }
          }
        }
      }
      case "toString", "hashCode", "equals", "getOptions", "close" -> {
        return null;
      }
      default -> {
        call.put("op", "unmapped:" + method);
      }
    }
    return call;
  }

  private static void object(Map<String, Object> call, Object first, Object[] args) {
    if (first instanceof BlobId id) {
      call.put("bucket", id.getBucket());
      call.put("object", id.getName());
    } else {
      call.put("bucket", first);
      call.put("object", args[1]);
    }
  }
}
