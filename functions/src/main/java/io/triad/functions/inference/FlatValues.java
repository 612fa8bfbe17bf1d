package io.triad.functions.inference;

import io.triad.functions.api.TriadError;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/**
 * The values of one input, flattened in row-major order and checked against its datatype: numbers
 * for numeric types (integral and in range for integer types, finite for floating types), booleans
 * for BOOL, strings for BYTES. Primitive arrays built in process pass straight through.
 */
final class FlatValues {
  private final String name;
  private final Datatype type;
  private final Object array;
  private int size;

  private FlatValues(String name, Datatype type, int count) {
    this.name = name;
    this.type = type;
    this.array =
        switch (type) {
          case FP32 -> new float[count];
          case FP64 -> new double[count];
          case INT8, UINT8, BOOL -> new byte[count];
          case INT16 -> new short[count];
          case INT32 -> new int[count];
          case INT64 -> new long[count];
          case BYTES -> new String[count];
        };
  }

  static FlatValues of(String name, Object data, Datatype type, int count) {
    if (data == null) {
      throw TriadError.badRequest("input '" + name + "' has no data");
    }
    FlatValues values = new FlatValues(name, type, count);
    if (data instanceof float[] floats && type == Datatype.FP32) {
      values.checkCount(floats.length, count);
      values.checkFinite(floats);
      return values.with(floats);
    }
    if (data instanceof List<?> list) {
      values.addAll(list, count);
    } else if (data.getClass().isArray()) {
      values.addArray(data, count);
    } else {
      values.add(data, count);
    }
    values.checkCount(values.size, count);
    return values;
  }

  float[] floats() {
    return (float[]) array;
  }

  double[] doubles() {
    return (double[]) array;
  }

  byte[] bytes() {
    return (byte[]) array;
  }

  short[] shorts() {
    return (short[]) array;
  }

  int[] ints() {
    return (int[]) array;
  }

  long[] longs() {
    return (long[]) array;
  }

  String[] strings() {
    return (String[]) array;
  }

  private FlatValues with(float[] floats) {
    System.arraycopy(floats, 0, array, 0, floats.length);
    size = floats.length;
    return this;
  }

  private void addAll(List<?> list, int count) {
    for (Object item : list) {
      if (item instanceof List<?> nested) {
        addAll(nested, count);
      } else {
        add(item, count);
      }
    }
  }

  private void addArray(Object data, int count) {
    int length = java.lang.reflect.Array.getLength(data);
    for (int i = 0; i < length; i++) {
      add(java.lang.reflect.Array.get(data, i), count);
    }
  }

  private void add(Object value, int count) {
    if (size >= count) {
      size++;
      return;
    }
    int i = size++;
    switch (type) {
      case BYTES -> ((String[]) array)[i] = text(value, i);
      case BOOL -> ((byte[]) array)[i] = (byte) (bool(value, i) ? 1 : 0);
      case FP32 -> ((float[]) array)[i] = finiteFloat(value, i);
      case FP64 -> ((double[]) array)[i] = finite(value, i);
      case INT8 -> ((byte[]) array)[i] = (byte) integral(value, i, Byte.MIN_VALUE, Byte.MAX_VALUE);
      case UINT8 -> ((byte[]) array)[i] = (byte) integral(value, i, 0, 255);
      case INT16 ->
          ((short[]) array)[i] = (short) integral(value, i, Short.MIN_VALUE, Short.MAX_VALUE);
      case INT32 ->
          ((int[]) array)[i] = (int) integral(value, i, Integer.MIN_VALUE, Integer.MAX_VALUE);
      case INT64 -> ((long[]) array)[i] = integral(value, i, Long.MIN_VALUE, Long.MAX_VALUE);
    }
  }

  private String text(Object value, int i) {
    if (value instanceof String s) {
      return s;
    }
    throw wrong(i, "a string", value);
  }

  private boolean bool(Object value, int i) {
    if (value instanceof Boolean b) {
      return b;
    }
    throw wrong(i, "true or false", value);
  }

  private double finite(Object value, int i) {
    if (!(value instanceof Number n)) {
      throw wrong(i, "a number", value);
    }
    double d = n.doubleValue();
    if (!Double.isFinite(d)) {
      throw TriadError.unprocessable(
          "input '" + name + "' element " + i + " is " + d + "; values must be finite");
    }
    return d;
  }

  /**
   * A finite double can still overflow FP32 (1e39 becomes Infinity), which is no more finite than
   * NaN.
   */
  private float finiteFloat(Object value, int i) {
    float f = (float) finite(value, i);
    if (!Float.isFinite(f)) {
      throw TriadError.unprocessable(
          "input '"
              + name
              + "' element "
              + i
              + " = "
              + clip(String.valueOf(value))
              + " is outside the FP32 range; values must be finite");
    }
    return f;
  }

  private long integral(Object value, int i, long min, long max) {
    if (!(value instanceof Number n)) {
      throw wrong(i, "an integer", value);
    }
    if (n instanceof Double || n instanceof Float || n instanceof BigDecimal) {
      double d = n.doubleValue();
      if (d != Math.rint(d) || Double.isInfinite(d)) {
        throw wrong(i, "an integer", value);
      }
      if (d >= 0x1p63 || d < -0x1p63) {
        // longValue() would clamp it silently
        throw outOfRange(i, value, min, max);
      }
    }
    if (n instanceof BigInteger big && big.bitLength() > 63) {
      throw outOfRange(i, value, min, max);
    }
    long l = n.longValue();
    if (l < min || l > max) {
      throw outOfRange(i, value, min, max);
    }
    return l;
  }

  private void checkFinite(float[] floats) {
    for (int i = 0; i < floats.length; i++) {
      if (!Float.isFinite(floats[i])) {
        throw TriadError.unprocessable(
            "input '" + name + "' element " + i + " is " + floats[i] + "; values must be finite");
      }
    }
  }

  private void checkCount(int actual, int expected) {
    if (actual != expected) {
      throw TriadError.badRequest(
          "input '" + name + "' has " + actual + " values; its shape needs " + expected);
    }
  }

  private TriadError wrong(int i, String expected, Object value) {
    String got = value == null ? "null" : value instanceof String ? "a string" : value.toString();
    return TriadError.badRequest(
        "input '"
            + name
            + "' element "
            + i
            + " must be "
            + expected
            + " for "
            + type
            + ", got "
            + clip(got));
  }

  private TriadError outOfRange(int i, Object value, long min, long max) {
    return TriadError.badRequest(
        "input '"
            + name
            + "' element "
            + i
            + " = "
            + clip(String.valueOf(value))
            + " is outside "
            + type
            + " range ["
            + min
            + ", "
            + max
            + "]");
  }

  private static String clip(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
