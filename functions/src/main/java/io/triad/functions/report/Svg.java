package io.triad.functions.report;

import java.util.List;

/**
 * A minimal inline-SVG writer: the few shapes the report draws, with every text content and title
 * escaped. No namespace attribute is needed inside HTML, so the output holds no URL.
 */
public final class Svg {

  private final StringBuilder body = new StringBuilder();
  private final double width;
  private final double height;
  private final String description;

  public Svg(double width, double height, String description) {
    this.width = width;
    this.height = height;
    this.description = description;
  }

  public Svg rect(double x, double y, double w, double h, String fill, String title) {
    body.append("<rect x=\"")
        .append(Html.coordinate(x))
        .append("\" y=\"")
        .append(Html.coordinate(y))
        .append("\" width=\"")
        .append(Html.coordinate(w))
        .append("\" height=\"")
        .append(Html.coordinate(h))
        .append("\" fill=\"")
        .append(fill)
        .append('"');
    if (title == null) {
      body.append("/>\n");
    } else {
      body.append("><title>").append(Html.text(title)).append("</title></rect>\n");
    }
    return this;
  }

  public Svg line(double x1, double y1, double x2, double y2, String cssClass) {
    body.append("<line x1=\"")
        .append(Html.coordinate(x1))
        .append("\" y1=\"")
        .append(Html.coordinate(y1))
        .append("\" x2=\"")
        .append(Html.coordinate(x2))
        .append("\" y2=\"")
        .append(Html.coordinate(y2))
        .append("\" class=\"")
        .append(cssClass)
        .append("\"/>\n");
    return this;
  }

  /** A polyline through {@code points}, each {x, y} in pixel coordinates. */
  public Svg polyline(List<double[]> points, String stroke, String title) {
    body.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"")
        .append(stroke)
        .append("\" points=\"");
    for (double[] point : points) {
      body.append(Html.coordinate(point[0]))
          .append(',')
          .append(Html.coordinate(point[1]))
          .append(' ');
    }
    body.append("\"><title>").append(Html.text(title)).append("</title></polyline>\n");
    return this;
  }

  /**
   * Text at (x, y).
   *
   * @param anchor start, middle or end
   * @param extra further attributes, written as given (constant strings only)
   */
  public Svg text(double x, double y, String content, String anchor, String extra) {
    body.append("<text x=\"")
        .append(Html.coordinate(x))
        .append("\" y=\"")
        .append(Html.coordinate(y))
        .append("\" text-anchor=\"")
        .append(anchor)
        .append('"');
    if (extra != null && !extra.isEmpty()) {
      body.append(' ').append(extra);
    }
    body.append('>').append(Html.text(content)).append("</text>\n");
    return this;
  }

  @Override
  public String toString() {
    return "<svg viewBox=\"0 0 "
        + Html.coordinate(width)
        + ' '
        + Html.coordinate(height)
        + "\" width=\""
        + Html.coordinate(width)
        + "\" height=\""
        + Html.coordinate(height)
        + "\" role=\"img\" aria-label=\""
        + Html.text(description)
        + "\">\n"
        + "<title>"
        + Html.text(description)
        + "</title>\n"
        + body
        + "</svg>\n";
  }
}
