package io.triad.infra.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A five-field Unix cron expression in UTC (minute hour day-of-month month day-of-week), the one
 * dialect written in the configuration, rendered in each cloud's own: EventBridge {@code
 * cron(...)}, Azure NCRONTAB (seconds first) and Cloud Scheduler (Unix as is).
 */
public record Cron(String minute, String hour, String dayOfMonth, String month, String dayOfWeek) {

  private static final Pattern ITEM =
      Pattern.compile("(\\*|([A-Z0-9]+)(?:-([A-Z0-9]+))?)(?:/(\\d+))?");
  private static final List<String> MONTHS =
      List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

  /** Parses {@code text}, or says what is wrong with it in one sentence. */
  public static Cron parse(String text) {
    String[] fields =
        text == null ? new String[0] : text.trim().toUpperCase(Locale.ROOT).split("\\s+");
    if (fields.length != 5) {
      throw new IllegalArgumentException(
          "needs five fields (minute hour day-of-month month day-of-week), got '" + text + "'");
    }
    check("minute", fields[0], 0, 59, List.of(), 0);
    check("hour", fields[1], 0, 23, List.of(), 0);
    check("day-of-month", fields[2], 1, 31, List.of(), 0);
    check("month", fields[3], 1, 12, MONTHS, 1);
    check("day-of-week", fields[4], 0, 6, DAYS, 0);
    if (!fields[2].equals("*") && !fields[4].equals("*")) {
      // EventBridge cannot combine both, and Unix cron ORs them, which surprises people anyway.
      throw new IllegalArgumentException(
          "restrict day-of-month or day-of-week, not both: '" + text + "'");
    }
    return new Cron(fields[0], fields[1], fields[2], fields[3], fields[4]);
  }

  public String unix() {
    return String.join(" ", minute, hour, dayOfMonth, month, dayOfWeek);
  }

  /** Azure Functions' NCRONTAB: a leading seconds field, days of week numbered like Unix. */
  public String ncrontab() {
    return "0 " + unix();
  }

  /** EventBridge: a year field, {@code ?} in the unrestricted day field, Sunday numbered 1. */
  public String eventBridge() {
    String dom = dayOfWeek.equals("*") ? dayOfMonth : "?";
    String dow = dayOfWeek.equals("*") ? "?" : shiftDays(dayOfWeek);
    return "cron(" + String.join(" ", minute, hour, dom, month, dow, "*") + ")";
  }

  /**
   * How often it fires in an average month: every day of a common year (2025) it matches, times the
   * minutes and hours it fires at, over twelve.
   */
  public double firingsPerMonth() {
    java.util.Set<Integer> minutes = expand(minute, 0, 59, List.of(), 0);
    java.util.Set<Integer> hours = expand(hour, 0, 23, List.of(), 0);
    java.util.Set<Integer> days = expand(dayOfMonth, 1, 31, List.of(), 0);
    java.util.Set<Integer> months = expand(month, 1, 12, MONTHS, 1);
    java.util.Set<Integer> weekdays = expand(dayOfWeek, 0, 6, DAYS, 0);
    int matchingDays = 0;
    for (java.time.LocalDate d = java.time.LocalDate.of(2025, 1, 1);
        d.getYear() == 2025;
        d = d.plusDays(1)) {
      if (months.contains(d.getMonthValue())
          && days.contains(d.getDayOfMonth())
          && weekdays.contains(d.getDayOfWeek().getValue() % 7)) {
        matchingDays++;
      }
    }
    return matchingDays * minutes.size() * hours.size() / 12.0;
  }

  private static java.util.Set<Integer> expand(
      String field, int min, int max, List<String> names, int firstName) {
    java.util.Set<Integer> values = new java.util.TreeSet<>();
    for (String item : field.split(",")) {
      Matcher m = ITEM.matcher(item);
      if (!m.matches()) {
        throw new IllegalStateException("not a cron field: " + field);
      }
      int from = m.group(2) == null ? min : value("field", m.group(2), min, max, names, firstName);
      int to =
          m.group(3) != null
              ? value("field", m.group(3), min, max, names, firstName)
              : m.group(2) == null || m.group(4) != null ? max : from;
      int step = m.group(4) == null ? 1 : Integer.parseInt(m.group(4));
      for (int v = from; v <= to; v += step) {
        values.add(v);
      }
    }
    return values;
  }

  private static String shiftDays(String field) {
    Matcher digits = Pattern.compile("(?<![/\\d])\\d+").matcher(field);
    StringBuilder shifted = new StringBuilder();
    while (digits.find()) {
      digits.appendReplacement(shifted, String.valueOf(Integer.parseInt(digits.group()) + 1));
    }
    return digits.appendTail(shifted).toString();
  }

  private static void check(
      String name, String field, int min, int max, List<String> names, int firstName) {
    for (String item : field.split(",", -1)) {
      Matcher m = ITEM.matcher(item);
      if (!m.matches()) {
        throw new IllegalArgumentException(name + " '" + field + "' is not a cron field");
      }
      List<Integer> values = new ArrayList<>();
      for (String bound : new String[] {m.group(2), m.group(3)}) {
        if (bound != null) {
          values.add(value(name, bound, min, max, names, firstName));
        }
      }
      if (values.size() == 2 && values.get(0) > values.get(1)) {
        throw new IllegalArgumentException(name + " range '" + item + "' runs backwards");
      }
      if (m.group(4) != null && Integer.parseInt(m.group(4)) == 0) {
        throw new IllegalArgumentException(name + " step in '" + item + "' must be at least 1");
      }
    }
  }

  private static int value(
      String name, String token, int min, int max, List<String> names, int firstName) {
    int value =
        Optional.of(names.indexOf(token))
            .filter(i -> i >= 0)
            .map(i -> i + firstName)
            .orElseGet(
                () -> token.chars().allMatch(Character::isDigit) ? Integer.parseInt(token) : -1);
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " value '" + token + "' is outside " + min + "-" + max);
    }
    return value;
  }
}
