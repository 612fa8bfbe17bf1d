package io.triad.functions.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.Collection;
import java.util.Map;

/**
 * A JSON problem in words a caller can act on: where it is (line, column, field path) and what was
 * expected, in JSON's terms (object, array, number), never the Java type it was to become.
 */
public final class JsonProblems {
  private JsonProblems() {}

  public static String describe(JsonProcessingException e) {
    if (e.getCause() instanceof StreamConstraintsException tooMuch) {
      return "the JSON is nested too deeply, or a number or text in it is too long"
          + where(tooMuch);
    }
    if (e.getCause() instanceof StreamReadException unreadable && unreadable != e) {
      // a syntax error inside a typed field arrives wrapped with the field's path; it is still a
      // syntax error
      return describe(unreadable);
    }
    String where = where(e);
    if (e instanceof StreamConstraintsException) {
      return "the JSON is nested too deeply, or a number or text in it is too long" + where;
    }
    if (String.valueOf(e.getOriginalMessage()).startsWith("No content to map")) {
      return "the body has no JSON in it; send a JSON object";
    }
    if (e instanceof JsonMappingException mapping) {
      String field = field(mapping);
      String kind =
          e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null
              ? jsonKind(mismatch.getTargetType())
              : null;
      if (field.isEmpty()) {
        return kind == null ? "the body cannot be read" + where : "the body must be " + kind;
      }
      return "invalid value for " + field + where + (kind == null ? "" : ": expected " + kind);
    }
    String detail = PlainWords.scrub(firstLine(e.getOriginalMessage()));
    return detail.isBlank()
        ? "malformed JSON" + where
        : "malformed JSON" + where + ": " + clip(detail);
  }

  private static String where(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }

  private static String field(JsonMappingException mapping) {
    String path =
        mapping.getPath().stream()
            .map(
                ref ->
                    ref.getFieldName() != null
                        ? "." + ref.getFieldName()
                        : "[" + ref.getIndex() + "]")
            .reduce("", String::concat);
    return path.startsWith(".") ? path.substring(1) : path;
  }

  /** What a Java target type is, as JSON: the words a client can act on. */
  static String jsonKind(Class<?> type) {
    if (type.isArray() || Collection.class.isAssignableFrom(type)) {
      return "a JSON array";
    }
    if (type == String.class || type == Character.class || type == char.class) {
      return "a string";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != void.class)) {
      return "a number";
    }
    if (type.isEnum()) {
      return "one of the names this field takes";
    }
    if (Map.class.isAssignableFrom(type) || !type.getName().startsWith("java.")) {
      return "a JSON object";
    }
    return "another kind of value";
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int newline = s.indexOf('\n');
    return newline < 0 ? s : s.substring(0, newline);
  }

  private static String clip(String s) {
    return s.length() > 160 ? s.substring(0, 160) + "..." : s;
  }
}
