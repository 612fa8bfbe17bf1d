package io.triad.models;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Where a training run stood after an epoch: the network's parameters, the optimizer's state, the
 * shuffle's random state and every epoch's figures so far, with the fingerprint of the run it
 * belongs to (its options and its data), in one object so it is written whole or not at all. Read
 * back, it is checked as hostile input: its sizes are bounded and its one serialized object may
 * only be a {@link Random}.
 *
 * @param fingerprint what the run was (a checkpoint of another run is never resumed)
 * @param epoch the last epoch finished
 */
record Checkpoint(
    String fingerprint,
    int epoch,
    Map<String, float[]> parameters,
    ResumableAdam.State optimizer,
    Random shuffle,
    List<EpochStats> history) {

  private static final String MAGIC = "triad-checkpoint-1";
  private static final int MAX_ARRAY = 1 << 28;
  private static final int MAX_ENTRIES = 1 << 16;

  byte[] encode() {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeUTF(MAGIC);
      out.writeUTF(fingerprint);
      out.writeInt(epoch);
      out.writeInt(parameters.size());
      for (var entry : parameters.entrySet()) {
        out.writeUTF(entry.getKey());
        floats(out, entry.getValue());
      }
      out.writeInt(optimizer.steps());
      out.writeInt(optimizer.counts().size());
      for (var entry : optimizer.counts().entrySet()) {
        out.writeUTF(entry.getKey());
        out.writeInt(entry.getValue());
      }
      out.writeInt(optimizer.moments().size());
      for (var entry : optimizer.moments().entrySet()) {
        out.writeUTF(entry.getKey());
        out.writeInt(entry.getValue().size());
        for (var device : entry.getValue().entrySet()) {
          out.writeUTF(device.getKey());
          floats(out, device.getValue()[0]);
          floats(out, device.getValue()[1]);
        }
      }
      ByteArrayOutputStream random = new ByteArrayOutputStream();
      try (ObjectOutputStream objects = new ObjectOutputStream(random)) {
        objects.writeObject(shuffle);
      }
      out.writeInt(random.size());
      out.write(random.toByteArray());
      out.writeInt(history.size());
      for (EpochStats stats : history) {
        out.writeInt(stats.epoch());
        out.writeDouble(stats.loss());
        out.writeDouble(stats.accuracy());
        out.writeLong(stats.millis());
        out.writeDouble(stats.heldOutLoss() == null ? Double.NaN : stats.heldOutLoss());
        out.writeDouble(stats.heldOutAccuracy() == null ? Double.NaN : stats.heldOutAccuracy());
        out.writeInt(stats.examples());
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Checkpoint decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      if (!MAGIC.equals(in.readUTF())) {
        throw new IOException("not a checkpoint");
      }
      String fingerprint = in.readUTF();
      int epoch = in.readInt();
      Map<String, float[]> parameters = new LinkedHashMap<>();
      for (int i = 0, n = count(in); i < n; i++) {
        parameters.put(in.readUTF(), floats(in));
      }
      int steps = in.readInt();
      Map<String, Integer> counts = new LinkedHashMap<>();
      for (int i = 0, n = count(in); i < n; i++) {
        counts.put(in.readUTF(), in.readInt());
      }
      Map<String, Map<String, float[][]>> moments = new LinkedHashMap<>();
      for (int i = 0, n = count(in); i < n; i++) {
        String id = in.readUTF();
        Map<String, float[][]> byDevice = new LinkedHashMap<>();
        for (int d = 0, devices = count(in); d < devices; d++) {
          byDevice.put(in.readUTF(), new float[][] {floats(in), floats(in)});
        }
        moments.put(id, byDevice);
      }
      byte[] random = new byte[bounded(in.readInt(), 4096)];
      in.readFully(random);
      Random shuffle;
      try (ObjectInputStream objects = new ObjectInputStream(new ByteArrayInputStream(random))) {
        objects.setObjectInputFilter(
            ObjectInputFilter.Config.createFilter("java.util.Random;maxdepth=2;!*"));
        shuffle = (Random) objects.readObject();
      } catch (ClassNotFoundException | ClassCastException e) {
        throw new IOException("the checkpoint's shuffle state is not a random generator", e);
      }
      List<EpochStats> history = new ArrayList<>();
      for (int i = 0, n = count(in); i < n; i++) {
        int at = in.readInt();
        double loss = in.readDouble();
        double accuracy = in.readDouble();
        long millis = in.readLong();
        double heldOutLoss = in.readDouble();
        double heldOutAccuracy = in.readDouble();
        int examples = in.readInt();
        history.add(
            new EpochStats(
                at,
                loss,
                accuracy,
                millis,
                Double.isNaN(heldOutLoss) ? null : heldOutLoss,
                Double.isNaN(heldOutAccuracy) ? null : heldOutAccuracy,
                examples));
      }
      if (history.size() != epoch) {
        throw new IOException("the checkpoint's figures do not match its epoch");
      }
      return new Checkpoint(
          fingerprint,
          epoch,
          parameters,
          new ResumableAdam.State(steps, counts, moments),
          shuffle,
          history);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("the checkpoint cannot be read: " + e.getMessage(), e);
    }
  }

  private static void floats(DataOutputStream out, float[] values) throws IOException {
    out.writeInt(values.length);
    byte[] raw = new byte[values.length * 4];
    java.nio.ByteBuffer.wrap(raw).asFloatBuffer().put(values);
    out.write(raw);
  }

  private static float[] floats(DataInputStream in) throws IOException {
    int n = bounded(in.readInt(), MAX_ARRAY);
    if ((long) n * 4 > in.available()) {
      throw new IOException("an array runs past the end");
    }
    byte[] raw = new byte[n * 4];
    in.readFully(raw);
    float[] values = new float[n];
    java.nio.ByteBuffer.wrap(raw).asFloatBuffer().get(values);
    return values;
  }

  private static int count(DataInputStream in) throws IOException {
    return bounded(in.readInt(), MAX_ENTRIES);
  }

  private static int bounded(int n, int max) throws IOException {
    if (n < 0 || n > max) {
      throw new IOException("a size of " + n + " is out of bounds");
    }
    return n;
  }

  /** Fingerprint text for a run: its options and what its data is. */
  static String fingerprint(Map<String, Object> options, String data, String dataTag) {
    return options + " " + data + " " + dataTag;
  }
}
