package io.compartment.demo.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import javax.imageio.ImageIO;

/**
 * A line chart drawn with Java2D into a fixed-size PNG, without a display: named series of (x, y)
 * points as lines with markers, horizontal reference lines, linear or logarithmic axes with "nice"
 * ticks (1, 2 or 5 times a power of ten, labels such as {@code 12k} and {@code 1.2M}), and a legend
 * placed in the corner of the plot that holds no data, or beside the plot when every corner does.
 *
 * <p>Points with a NaN or infinite coordinate are left out (and points that are not positive on a
 * log axis), as are series left with no points. A single point or a flat series gets a range around
 * its value.
 */
final class LinePlot {
  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  static final int WIDTH = 800;
  static final int HEIGHT = 500;

  /** Tableau's ten colours: distinct, and none of them the grey of the grid or the black text. */
  private static final Color[] PALETTE = {
    new Color(0x1f77b4),
    new Color(0xff7f0e),
    new Color(0x2ca02c),
    new Color(0xd62728),
    new Color(0x9467bd),
    new Color(0x8c564b),
    new Color(0xe377c2),
    new Color(0x17becf),
    new Color(0xbcbd22),
    new Color(0x7f7f7f),
  };

  private static final Color GRID = new Color(0xe6e6e6);
  private static final Color FRAME = new Color(0x999999);
  private static final int MARKER_RADIUS = 4;

  enum Marker {
    CIRCLE,
    SQUARE,
    TRIANGLE,
    DIAMOND,
    NONE
  }

  /**
   * One series: points joined in the order given, or, when {@code horizontal}, the line {@code y =
   * ys[0]} across the whole x range.
   */
  record Series(
      String name,
      Color color,
      boolean dashed,
      Marker marker,
      double[] xs,
      double[] ys,
      boolean horizontal) {}

  /** Axis range and tick values. */
  record Ticks(double lo, double hi, double step, List<Double> values) {}

  /**
   * A drawn plot: the image, where the data went, where the legend went (null without one), the
   * names in the legend, and the mapping from data to pixel coordinates.
   */
  record Rendering(
      BufferedImage image,
      Rectangle plotArea,
      Rectangle legend,
      List<String> legendNames,
      DoubleUnaryOperator xPixel,
      DoubleUnaryOperator yPixel) {}

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final List<Series> series = new ArrayList<>();
  private boolean logX;
  private boolean logY;
  private boolean zeroX;
  private boolean zeroY;
  private boolean integerX;

  LinePlot(String title, String xLabel, String yLabel) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  static Color color(int i) {
    return PALETTE[Math.floorMod(i, PALETTE.length)];
  }

  static Marker marker(int i) {
    return Marker.values()[Math.floorMod(i, Marker.values().length - 1)];
  }

  LinePlot logX(boolean on) {
    logX = on;
    return this;
  }

  LinePlot logY(boolean on) {
    logY = on;
    return this;
  }

  /** Extends a linear x axis to 0. */
  LinePlot zeroX(boolean on) {
    zeroX = on;
    return this;
  }

  /** Extends a linear y axis to 0. */
  LinePlot zeroY(boolean on) {
    zeroY = on;
    return this;
  }

  /** Ticks on the x axis at whole numbers only (counts). */
  LinePlot integerX(boolean on) {
    integerX = on;
    return this;
  }

  /** Adds a series in the next palette colour, solid, with the next marker. */
  LinePlot add(String name, double[] xs, double[] ys) {
    int i = series.size();
    return add(name, color(i), false, marker(i), xs, ys);
  }

  LinePlot add(String name, Color color, boolean dashed, Marker marker, double[] xs, double[] ys) {
    if (xs.length != ys.length) {
      throw new IllegalArgumentException(
          name + ": " + xs.length + " x values but " + ys.length + " y values");
    }
    series.add(new Series(name, color, dashed, marker, xs.clone(), ys.clone(), false));
    return this;
  }

  /** A horizontal line at {@code y} across the x range (a NaN {@code y} is left out). */
  LinePlot addHorizontal(String name, Color color, boolean dashed, double y) {
    series.add(
        new Series(name, color, dashed, Marker.NONE, new double[] {0}, new double[] {y}, true));
    return this;
  }

  List<Series> series() {
    return List.copyOf(series);
  }

  String title() {
    return title;
  }

  void write(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    if (!ImageIO.write(render().image(), "png", file.toFile())) {
      throw new IOException("no PNG writer for " + file);
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** A series with its unplottable points removed. */
  private record Drawn(Series s, double[] xs, double[] ys) {}

  private boolean usable(double v, boolean log) {
    return Double.isFinite(v) && (!log || v > 0);
  }

  private List<Drawn> drawable() {
    List<Drawn> out = new ArrayList<>();
    for (Series s : series) {
      int n = 0;
      double[] xs = new double[s.xs().length];
      double[] ys = new double[s.ys().length];
      for (int i = 0; i < xs.length; i++) {
        boolean xOk = s.horizontal() || usable(s.xs()[i], logX);
        if (xOk && usable(s.ys()[i], logY)) {
          xs[n] = s.xs()[i];
          ys[n] = s.ys()[i];
          n++;
        }
      }
      if (n > 0) {
        out.add(new Drawn(s, java.util.Arrays.copyOf(xs, n), java.util.Arrays.copyOf(ys, n)));
      }
    }
    return out;
  }

  Rendering render() {
    List<Drawn> data = drawable();
    double xMin = Double.POSITIVE_INFINITY, xMax = Double.NEGATIVE_INFINITY;
    double yMin = Double.POSITIVE_INFINITY, yMax = Double.NEGATIVE_INFINITY;
    for (Drawn d : data) {
      for (int i = 0; i < d.xs().length; i++) {
        if (!d.s().horizontal()) {
          xMin = Math.min(xMin, d.xs()[i]);
          xMax = Math.max(xMax, d.xs()[i]);
        }
        yMin = Math.min(yMin, d.ys()[i]);
        yMax = Math.max(yMax, d.ys()[i]);
      }
    }
    Ticks xt = axis(xMin, xMax, logX, zeroX, integerX, 7);
    Ticks yt = axis(yMin, yMax, logY, zeroY, false, 6);

    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);

      Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 16);
      Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
      Font tickFont = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
      Font legendFont = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
      FontMetrics tm = g.getFontMetrics(tickFont);
      FontMetrics lm = g.getFontMetrics(labelFont);
      FontMetrics titleM = g.getFontMetrics(titleFont);
      FontMetrics legM = g.getFontMetrics(legendFont);

      int yTickWidth = 0;
      for (double v : yt.values()) yTickWidth = Math.max(yTickWidth, tm.stringWidth(format(v)));
      int left = 12 + lm.getHeight() + 8 + yTickWidth + 8;
      int top = 14 + titleM.getHeight() + 8;
      int bottom = 8 + tm.getHeight() + 8 + lm.getHeight() + 10;
      int right = 24;

      // the legend: a line sample and a name per entry
      List<Drawn> entries = data;
      int sample = 28;
      int rowH = Math.max(legM.getHeight(), 2 * MARKER_RADIUS + 4);
      int legendW = 0;
      for (Drawn d : entries) legendW = Math.max(legendW, legM.stringWidth(d.s().name()));
      legendW += 8 + sample + 6 + 8;
      int legendH = entries.size() * rowH + 8;

      Rectangle area = new Rectangle(left, top, WIDTH - left - right, HEIGHT - top - bottom);
      Rectangle legend = null;
      if (!entries.isEmpty()) {
        legend = placeInside(area, legendW, legendH, data, xt, yt);
        if (legend == null) {
          // every corner holds data: beside the plot, which gets narrower
          area = new Rectangle(left, top, WIDTH - left - right - legendW - 12, area.height);
          legend = new Rectangle(area.x + area.width + 12, area.y, legendW, legendH);
        }
      }
      DoubleUnaryOperator xPixel = mapper(xt, logX, area.x, area.x + area.width);
      DoubleUnaryOperator yPixel = mapper(yt, logY, area.y + area.height, area.y);

      // grid and ticks
      g.setFont(tickFont);
      g.setStroke(new BasicStroke(1f));
      for (double v : xt.values()) {
        int px = (int) Math.round(xPixel.applyAsDouble(v));
        g.setColor(GRID);
        g.drawLine(px, area.y, px, area.y + area.height);
        g.setColor(Color.DARK_GRAY);
        g.drawLine(px, area.y + area.height, px, area.y + area.height + 4);
        String s = format(v);
        g.drawString(s, px - tm.stringWidth(s) / 2, area.y + area.height + 6 + tm.getAscent());
      }
      for (double v : yt.values()) {
        int py = (int) Math.round(yPixel.applyAsDouble(v));
        g.setColor(GRID);
        g.drawLine(area.x, py, area.x + area.width, py);
        g.setColor(Color.DARK_GRAY);
        g.drawLine(area.x - 4, py, area.x, py);
        String s = format(v);
        g.drawString(s, area.x - 7 - tm.stringWidth(s), py + tm.getAscent() / 2 - 1);
      }
      g.setColor(FRAME);
      g.drawRect(area.x, area.y, area.width, area.height);

      // title and axis labels
      g.setColor(Color.BLACK);
      g.setFont(titleFont);
      drawCentered(g, title, WIDTH / 2, 14 + titleM.getAscent(), titleM, WIDTH - 20);
      g.setFont(labelFont);
      drawCentered(
          g, xLabel, area.x + area.width / 2, HEIGHT - 10 - lm.getDescent(), lm, area.width);
      AffineTransform saved = g.getTransform();
      g.rotate(-Math.PI / 2);
      // rotated: x is minus the page's y, y is the page's x
      drawCentered(g, yLabel, -(area.y + area.height / 2), 12 + lm.getAscent(), lm, area.height);
      g.setTransform(saved);

      // the data, clipped a marker's radius beyond the plot area
      Shape clip = g.getClip();
      g.setClip(
          area.x - MARKER_RADIUS - 2,
          area.y - MARKER_RADIUS - 2,
          area.width + 2 * MARKER_RADIUS + 5,
          area.height + 2 * MARKER_RADIUS + 5);
      if (data.isEmpty()) {
        g.setColor(Color.GRAY);
        g.setFont(labelFont);
        drawCentered(
            g, "no data", area.x + area.width / 2, area.y + area.height / 2, lm, area.width);
      }
      for (Drawn d : data) {
        g.setColor(d.s().color());
        g.setStroke(stroke(d.s().dashed()));
        if (d.s().horizontal()) {
          double py = yPixel.applyAsDouble(d.ys()[0]);
          g.draw(new Line2D.Double(area.x, py, area.x + area.width, py));
          continue;
        }
        Path2D.Double path = new Path2D.Double();
        for (int i = 0; i < d.xs().length; i++) {
          double px = xPixel.applyAsDouble(d.xs()[i]);
          double py = yPixel.applyAsDouble(d.ys()[i]);
          if (i == 0) path.moveTo(px, py);
          else path.lineTo(px, py);
        }
        if (d.xs().length > 1) g.draw(path);
        g.setStroke(new BasicStroke(1.2f));
        for (int i = 0; i < d.xs().length; i++) {
          drawMarker(
              g, d.s().marker(), xPixel.applyAsDouble(d.xs()[i]), yPixel.applyAsDouble(d.ys()[i]));
        }
      }
      g.setClip(clip);

      List<String> names = new ArrayList<>();
      if (legend != null) {
        g.setColor(Color.WHITE);
        g.fill(legend);
        g.setColor(FRAME);
        g.setStroke(new BasicStroke(1f));
        g.draw(legend);
        g.setFont(legendFont);
        int y = legend.y + 4;
        for (Drawn d : entries) {
          double cy = y + rowH / 2.0;
          int sx = legend.x + 8;
          g.setColor(d.s().color());
          g.setStroke(stroke(d.s().dashed()));
          g.draw(new Line2D.Double(sx, cy, sx + sample, cy));
          g.setStroke(new BasicStroke(1.2f));
          drawMarker(g, d.s().marker(), sx + sample / 2.0, cy);
          g.setColor(Color.BLACK);
          g.drawString(
              d.s().name(), sx + sample + 6, (int) Math.round(cy + legM.getAscent() / 2.0 - 1));
          names.add(d.s().name());
          y += rowH;
        }
      }
      return new Rendering(image, area, legend, List.copyOf(names), xPixel, yPixel);
    } finally {
      g.dispose();
    }
  }

  private static Stroke stroke(boolean dashed) {
    return dashed
        ? new BasicStroke(
            2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {7f, 5f}, 0f)
        : new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
  }

  private static void drawMarker(Graphics2D g, Marker m, double x, double y) {
    double r = MARKER_RADIUS;
    Shape shape =
        switch (m) {
          case CIRCLE -> new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r);
          case SQUARE -> new Rectangle2D.Double(x - r, y - r, 2 * r, 2 * r);
          case TRIANGLE -> polygon(x, y - r - 1, x + r + 1, y + r, x - r - 1, y + r);
          case DIAMOND -> polygon(x, y - r - 1, x + r + 1, y, x, y + r + 1, x - r - 1, y);
          case NONE -> null;
        };
    if (shape == null) return;
    g.fill(shape);
    Color c = g.getColor();
    g.setColor(Color.WHITE);
    g.draw(shape);
    g.setColor(c);
  }

  private static Shape polygon(double... xy) {
    Path2D.Double p = new Path2D.Double();
    p.moveTo(xy[0], xy[1]);
    for (int i = 2; i < xy.length; i += 2) p.lineTo(xy[i], xy[i + 1]);
    p.closePath();
    return p;
  }

  private static void drawCentered(
      Graphics2D g, String s, int cx, int baseline, FontMetrics m, int maxWidth) {
    String text = s;
    while (m.stringWidth(text) > maxWidth && text.length() > 4) {
      text = text.substring(0, text.length() - 4) + "...";
    }
    g.drawString(text, cx - m.stringWidth(text) / 2, baseline);
  }

  /** The first corner of the plot area whose legend box would cover no line and no marker. */
  private Rectangle placeInside(
      Rectangle area, int w, int h, List<Drawn> data, Ticks xt, Ticks yt) {
    if (w > area.width / 2 + 40 || h > area.height - 16) return null;
    DoubleUnaryOperator xPixel = mapper(xt, logX, area.x, area.x + area.width);
    DoubleUnaryOperator yPixel = mapper(yt, logY, area.y + area.height, area.y);
    int inset = 8;
    int l = area.x + inset;
    int r = area.x + area.width - inset - w;
    int t = area.y + inset;
    int b = area.y + area.height - inset - h;
    int[][] corners = {{r, t}, {l, t}, {r, b}, {l, b}};
    for (int[] c : corners) {
      Rectangle box = new Rectangle(c[0], c[1], w, h);
      // a margin of a marker's size around the box
      Rectangle2D guard =
          new Rectangle2D.Double(
              box.x - MARKER_RADIUS - 3,
              box.y - MARKER_RADIUS - 3,
              box.width + 2 * MARKER_RADIUS + 6,
              box.height + 2 * MARKER_RADIUS + 6);
      if (!covers(guard, data, xPixel, yPixel, area)) return box;
    }
    return null;
  }

  private static boolean covers(
      Rectangle2D box,
      List<Drawn> data,
      DoubleUnaryOperator xPixel,
      DoubleUnaryOperator yPixel,
      Rectangle area) {
    for (Drawn d : data) {
      if (d.s().horizontal()) {
        double py = yPixel.applyAsDouble(d.ys()[0]);
        if (box.intersectsLine(area.x, py, area.x + area.width, py)) return true;
        continue;
      }
      double px0 = Double.NaN, py0 = Double.NaN;
      for (int i = 0; i < d.xs().length; i++) {
        double px = xPixel.applyAsDouble(d.xs()[i]);
        double py = yPixel.applyAsDouble(d.ys()[i]);
        if (box.contains(px, py)) return true;
        if (i > 0 && box.intersectsLine(px0, py0, px, py)) return true;
        px0 = px;
        py0 = py;
      }
    }
    return false;
  }

  private static DoubleUnaryOperator mapper(Ticks t, boolean log, double from, double to) {
    double lo = log ? Math.log10(t.lo()) : t.lo();
    double hi = log ? Math.log10(t.hi()) : t.hi();
    double span = hi - lo;
    return v -> {
      double u = log ? Math.log10(v) : v;
      return from + (u - lo) / span * (to - from);
    };
  }

  private static Ticks axis(
      double min, double max, boolean log, boolean zero, boolean integers, int target) {
    if (!(min <= max)) { // no data
      min = log ? 1 : 0;
      max = log ? 10 : 1;
    }
    if (log) return logTicks(min, max);
    if (zero) {
      min = Math.min(min, 0);
      max = Math.max(max, 0);
    }
    Ticks t = ticks(min, max, target, integers);
    if (!integers) return t;
    // counts: half a step of room, so that the first and last points are off the frame
    return new Ticks(t.lo() - t.step() / 2, t.hi() + t.step() / 2, t.step(), t.values());
  }

  // ---------------------------------------------------------------------------------------------

  /** 1, 2 or 5 times a power of ten: the smallest such step at least {@code raw}'s size. */
  static double niceStep(double raw) {
    if (!(raw > 0) || !Double.isFinite(raw)) return 1;
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double norm = raw / mag;
    double nice = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10;
    return clean(nice * mag);
  }

  /**
   * Ticks for a linear axis showing {@code [min, max]}: about {@code target} intervals of a nice
   * step, the range widened to whole steps. An empty range is widened around its value first (by 1
   * with {@code integers}, else by a tenth of the value, or 1 around 0).
   */
  static Ticks ticks(double min, double max, int target, boolean integers) {
    if (!Double.isFinite(min) || !Double.isFinite(max)) {
      min = 0;
      max = 1;
    }
    if (min > max) {
      double t = min;
      min = max;
      max = t;
    }
    if (min == max) {
      double pad = integers || min == 0 ? 1 : Math.abs(min) * 0.1;
      // a value of 0 or more keeps its axis at 0 or more
      min = min >= 0 && min - pad < 0 ? 0 : min - pad;
      max = max + pad;
    }
    double step = niceStep((max - min) / Math.max(1, target));
    if (integers) step = Math.max(1, step);
    long first = (long) Math.floor(min / step + 1e-9);
    long last = (long) Math.ceil(max / step - 1e-9);
    List<Double> values = new ArrayList<>();
    for (long k = first; k <= last; k++) values.add(multiple(k, step));
    return new Ticks(multiple(first, step), multiple(last, step), step, List.copyOf(values));
  }

  /**
   * Ticks for a log axis showing {@code [min, max]} (both positive). Data over three decades or
   * more: the whole decades around the data. Over fewer: the range from the 1, 2 or 5 times a power
   * of ten just below {@code min} to the one just above {@code max}, with a tick at each such
   * value.
   */
  static Ticks logTicks(double min, double max) {
    if (!(min > 0) || !Double.isFinite(max) || max < min) {
      min = 1;
      max = 10;
    }
    int lo = (int) Math.floor(Math.log10(min) + 1e-9);
    int hi = (int) Math.ceil(Math.log10(max) - 1e-9);
    if (hi == lo) hi++;
    List<Double> values = new ArrayList<>();
    if (max / min >= 1000) {
      for (int e = lo; e <= hi; e++) values.add(clean(Math.pow(10, e)));
      return new Ticks(values.get(0), values.get(values.size() - 1), 10, List.copyOf(values));
    }
    List<Double> steps = new ArrayList<>();
    for (int e = lo; e <= hi; e++) {
      for (int m : new int[] {1, 2, 5}) steps.add(clean(m * Math.pow(10, e)));
    }
    double from = steps.get(0);
    double to = steps.get(steps.size() - 1);
    for (double v : steps) {
      if (v <= min * (1 + 1e-9)) from = v;
    }
    for (int i = steps.size() - 1; i >= 0; i--) {
      if (steps.get(i) >= max * (1 - 1e-9)) to = steps.get(i);
    }
    if (from == to) to = steps.get(steps.indexOf(from) + 1);
    for (double v : steps) {
      if (v >= from && v <= to) values.add(v);
    }
    return new Ticks(from, to, 10, List.copyOf(values));
  }

  private static double multiple(long k, double step) {
    return new BigDecimal(k).multiply(BigDecimal.valueOf(step)).doubleValue();
  }

  private static double clean(double v) {
    return new BigDecimal(v).round(new MathContext(12)).doubleValue();
  }

  /** A tick label: {@code 950}, {@code 2.5}, {@code 12k}, {@code 1.2M}, {@code 3G}. */
  static String format(double v) {
    if (!Double.isFinite(v)) return String.valueOf(v);
    if (v == 0) return "0";
    double a = Math.abs(v);
    String suffix = "";
    double scaled = v;
    if (a >= 1e9) {
      scaled = v / 1e9;
      suffix = "G";
    } else if (a >= 1e6) {
      scaled = v / 1e6;
      suffix = "M";
    } else if (a >= 1e3) {
      scaled = v / 1e3;
      suffix = "k";
    }
    return new BigDecimal(scaled).round(new MathContext(6)).stripTrailingZeros().toPlainString()
        + suffix;
  }

  /** For tests: the data-to-pixel mapping of a rendering, as a point. */
  static Point2D pixel(Rendering r, double x, double y) {
    return new Point2D.Double(r.xPixel().applyAsDouble(x), r.yPixel().applyAsDouble(y));
  }
}
