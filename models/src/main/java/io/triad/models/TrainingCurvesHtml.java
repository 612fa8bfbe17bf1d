package io.triad.models;

import io.triad.functions.report.Html;
import io.triad.functions.report.Svg;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The training report beside a candidate: loss and accuracy per epoch as inline SVG line charts
 * with titled axes and epoch ticks, the holdout metrics and the hyperparameters, in one
 * self-contained page styled like the evaluation report.
 */
public final class TrainingCurvesHtml {
  private static final double WIDTH = 560;
  private static final double HEIGHT = 260;
  private static final double LEFT = 72;
  private static final double RIGHT = 16;
  private static final double TOP = 16;
  private static final double BOTTOM = 52;

  /** At most this many epoch ticks on the x axis, the first and the last always among them. */
  private static final int MAX_TICKS = 12;

  private TrainingCurvesHtml() {}

  public static String render(
      String model,
      String version,
      String trainer,
      List<EpochStats> epochs,
      Map<String, Double> holdout,
      Map<String, ?> parameters) {
    StringBuilder html = new StringBuilder(8192);
    html.append(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Training of ")
        .append(Html.text(model))
        .append(' ')
        .append(Html.text(version))
        .append("</title>\n<style>\n")
        .append(Html.CSS)
        .append("</style>\n</head>\n<body>\n<main>\n<h1>")
        .append(Html.text(model))
        .append(" <span class=\"version\">")
        .append(Html.text(version))
        .append("</span></h1>\n<dl>\n<dt>Trainer</dt><dd>")
        .append(Html.text(trainer))
        .append("</dd>\n");
    if (!parameters.containsKey("epochs")) {
      html.append("<dt>Epochs</dt><dd>").append(epochs.size()).append("</dd>\n");
    }
    parameters.forEach(
        (name, value) ->
            html.append("<dt>")
                .append(Html.text(name))
                .append("</dt><dd>")
                .append(Html.text(String.valueOf(value)))
                .append("</dd>\n"));
    html.append("</dl>\n<h2>Holdout</h2>\n<div class=\"cards\">\n");
    holdout.forEach(
        (name, value) ->
            html.append("<div class=\"card\"><div class=\"name\">")
                .append(Html.text(name))
                .append("</div><div class=\"value\">")
                .append(Html.metric(value))
                .append("</div></div>\n"));
    html.append("</div>\n");
    boolean heldOut = epochs.stream().allMatch(e -> e.heldOutLoss() != null);
    chart(
        html,
        heldOut ? "Loss per epoch, training and held out" : "Training loss per epoch",
        "loss",
        epochs.stream().map(EpochStats::loss).toList(),
        heldOut ? epochs.stream().map(EpochStats::heldOutLoss).toList() : null,
        "#c2410c");
    chart(
        html,
        heldOut ? "Accuracy per epoch, training and held out" : "Training accuracy per epoch",
        "accuracy",
        epochs.stream().map(EpochStats::accuracy).toList(),
        heldOut ? epochs.stream().map(EpochStats::heldOutAccuracy).toList() : null,
        "#1d4ed8");
    if (heldOut) {
      html.append(
          "<p>In colour: the training rows, as the epoch went. Grey: the held-out rows after"
              + " the epoch, which the network never trained on; they are watched, not used to"
              + " choose anything.</p>\n");
    }
    return html.append("</main>\n</body>\n</html>\n").toString();
  }

  private static void chart(
      StringBuilder html,
      String title,
      String name,
      List<Double> values,
      List<Double> heldOut,
      String color) {
    Svg svg = new Svg(WIDTH, HEIGHT, title);
    List<Double> all = new ArrayList<>(values);
    if (heldOut != null) {
      all.addAll(heldOut);
    }
    double min = all.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double max = all.stream().mapToDouble(Double::doubleValue).max().orElse(1);
    if (max - min < 1e-9) {
      max = min + 1;
    }
    double plotW = WIDTH - LEFT - RIGHT;
    double plotH = HEIGHT - TOP - BOTTOM;
    for (int i = 0; i <= 4; i++) {
      double y = TOP + plotH * i / 4;
      svg.line(LEFT, y, WIDTH - RIGHT, y, "grid");
      svg.text(LEFT - 6, y + 4, Html.metric(max - (max - min) * i / 4), "end", "class=\"axis\"");
    }
    svg.line(LEFT, TOP + plotH, WIDTH - RIGHT, TOP + plotH, "frame");
    List<double[]> points = new ArrayList<>(values.size());
    int n = values.size();
    for (int i = 0; i < n; i++) {
      double x = LEFT + (n == 1 ? plotW / 2 : plotW * i / (n - 1));
      double y = TOP + plotH * (max - values.get(i)) / (max - min);
      points.add(new double[] {x, y});
      svg.rect(
          x - 3,
          y - 3,
          6,
          6,
          color,
          "epoch " + (i + 1) + ": " + name + " " + Html.metric(values.get(i)));
    }
    int step = Math.max(1, (int) Math.ceil((n - 1) / (double) (MAX_TICKS - 1)));
    for (int i = 0; i < n; i++) {
      boolean last = i == n - 1;
      // every step-th epoch, and the last, unless a tick just before it would crowd it
      if (last || (i % step == 0 && n - 1 - i >= Math.max(1, step / 2))) {
        double x = LEFT + (n == 1 ? plotW / 2 : plotW * i / (n - 1));
        svg.line(x, TOP + plotH, x, TOP + plotH + 4, "frame");
        svg.text(x, TOP + plotH + 16, Integer.toString(i + 1), "middle", "class=\"axis\"");
      }
    }
    svg.text(LEFT + plotW / 2, HEIGHT - 6, "epoch", "middle", "class=\"axis\"");
    svg.text(
        14,
        TOP + plotH / 2,
        name,
        "middle",
        "class=\"axis\" transform=\"rotate(-90 14 " + (TOP + plotH / 2) + ")\"");
    if (n > 1) {
      svg.polyline(points, color, "training " + name);
    }
    if (heldOut != null && n > 1) {
      List<double[]> held = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        double x = LEFT + plotW * i / (n - 1);
        held.add(new double[] {x, TOP + plotH * (max - heldOut.get(i)) / (max - min)});
      }
      svg.polyline(held, "#6b7280", "held-out " + name);
      // the key sits under the plot, left of the axis title, where no curve can run
      svg.rect(LEFT, HEIGHT - 16, 10, 10, color, null);
      svg.text(LEFT + 14, HEIGHT - 7, "training", "start", "class=\"legend\"");
      svg.rect(LEFT + 80, HEIGHT - 16, 10, 10, "#6b7280", null);
      svg.text(LEFT + 94, HEIGHT - 7, "held out", "start", "class=\"legend\"");
    }
    html.append("<h2>")
        .append(Html.text(title))
        .append("</h2>\n<figure>\n")
        .append(svg)
        .append("</figure>\n");
  }
}
