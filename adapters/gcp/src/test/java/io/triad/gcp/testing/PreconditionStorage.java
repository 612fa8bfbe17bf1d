package io.triad.gcp.testing;

import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The in-memory storage with the one precondition the functions send, {@code ifGenerationMatch=0}
 * on a create ({@link Storage.BlobTargetOption#doesNotExist()}), decided as GCS decides it: 412
 * {@code conditionNotMet} when the object exists. {@code LocalStorageHelper} refuses that option
 * outright; here it is checked and the create made under one lock, so concurrent creates in this
 * JVM race as they would against the service. Any other generation precondition stays refused, as
 * {@code LocalStorageHelper} refuses it.
 */
final class PreconditionStorage {
  private static final Storage.BlobTargetOption DOES_NOT_EXIST =
      Storage.BlobTargetOption.doesNotExist();

  private PreconditionStorage() {}

  static Storage wrap(Storage storage) {
    Object lock = new Object();
    return (Storage)
        Proxy.newProxyInstance(
            Storage.class.getClassLoader(),
            new Class<?>[] {Storage.class},
            (proxy, method, args) -> {
              try {
                if (!method.getName().equals("create")
                    || args == null
                    || args.length != 3
                    || !(args[0] instanceof BlobInfo info)
                    || !(args[2] instanceof Storage.BlobTargetOption[] options)) {
                  return method.invoke(storage, args);
                }
                List<Storage.BlobTargetOption> rest = new ArrayList<>(Arrays.asList(options));
                boolean mustNotExist = rest.remove(DOES_NOT_EXIST);
                synchronized (lock) {
                  if (mustNotExist && storage.get(info.getBucket(), info.getName()) != null) {
                    throw new StorageException(
                        412,
                        "At least one of the pre-conditions you specified did not hold.",
                        "conditionNotMet",
                        null);
                  }
                  return method.invoke(
                      storage, args[0], args[1], rest.toArray(Storage.BlobTargetOption[]::new));
                }
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
