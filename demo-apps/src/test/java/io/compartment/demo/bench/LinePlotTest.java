package io.compartment.demo.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LinePlotTest {

  private static final Color BLUE = LinePlot.color(0);
  private static final Color ORANGE = LinePlot.color(1);
  private static final Color GREEN = LinePlot.color(2);

  @Test
  void writesAPngOfTheFixedSizeOnAWhiteBackground(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sub/plot.png");
    new LinePlot("t", "x", "y")
        .add("a", new double[] {1, 2, 3}, new double[] {5, 7, 6})
        .write(file);

    BufferedImage image = ImageIO.read(file.toFile());
    assertThat(image.getWidth()).isEqualTo(LinePlot.WIDTH);
    assertThat(image.getHeight()).isEqualTo(LinePlot.HEIGHT);
    assertThat(image.getRGB(1, 1) & 0xffffff).isEqualTo(0xffffff);
    assertThat(image.getRGB(LinePlot.WIDTH - 2, LinePlot.HEIGHT - 2) & 0xffffff)
        .isEqualTo(0xffffff);
  }

  @Test
  void drawsEachSeriesInItsOwnColourInsideThePlotArea() {
    LinePlot.Rendering r =
        new LinePlot("t", "x", "y")
            .add("a", new double[] {1, 2, 3, 4}, new double[] {10, 20, 30, 40})
            .add("b", new double[] {1, 2, 3, 4}, new double[] {40, 30, 20, 10})
            .addHorizontal("c", GREEN, true, 25)
            .render();

    for (Color c : List.of(BLUE, ORANGE, GREEN)) {
      assertThat(count(r, c)).as("pixels of %s", c).isGreaterThan(30);
    }
    assertThat(r.legendNames()).containsExactly("a", "b", "c");
  }

  @Test
  void drawsTheSeriesWithHigherValuesAboveTheOneWithLowerValues() {
    LinePlot.Rendering r =
        new LinePlot("t", "x", "y")
            .add("low", new double[] {1, 2, 3}, new double[] {100, 120, 110})
            .add("high", new double[] {1, 2, 3}, new double[] {900, 950, 1000})
            .render();

    assertThat(meanRow(r, ORANGE)).isLessThan(meanRow(r, BLUE) - 100);
  }

  @Test
  void putsAMarkerAtEachPointsPixel() {
    LinePlot.Rendering r =
        new LinePlot("t", "x", "y")
            .add("a", new double[] {0, 5, 10}, new double[] {0, 50, 20})
            .render();

    for (double[] p : new double[][] {{0, 0}, {5, 50}, {10, 20}}) {
      Point2D px = LinePlot.pixel(r, p[0], p[1]);
      assertThat(isNear(r.image().getRGB((int) px.getX(), (int) px.getY()), BLUE))
          .as("marker at %s", px)
          .isTrue();
    }
  }

  @Test
  void placesTheLegendInACornerThatHoldsNoData() {
    // rising from bottom left to top right: the top-left or the bottom-right corner is free
    LinePlot.Rendering r =
        new LinePlot("t", "x", "y")
            .add("rising", new double[] {0, 10}, new double[] {0, 10})
            .render();

    assertThat(r.plotArea().contains(r.legend())).isTrue();
    for (double x = 0; x <= 10; x += 0.05) {
      assertThat(r.legend().contains(LinePlot.pixel(r, x, x))).as("x=%s", x).isFalse();
    }
  }

  @Test
  void putsTheLegendBesideThePlotWhenEveryCornerHoldsData() {
    LinePlot.Rendering r =
        new LinePlot("t", "x", "y")
            .add("rising", new double[] {0, 10}, new double[] {0, 10})
            .add("falling", new double[] {0, 10}, new double[] {10, 0})
            .render();

    assertThat(r.legend().x).isGreaterThanOrEqualTo(r.plotArea().x + r.plotArea().width);
    assertThat(r.legend().x + r.legend().width).isLessThanOrEqualTo(LinePlot.WIDTH);
  }

  @Test
  void drawsASinglePointInTheMiddleOfItsRange() {
    LinePlot.Rendering r =
        new LinePlot("t", "x", "y").add("one", new double[] {2}, new double[] {7}).render();

    Point2D px = LinePlot.pixel(r, 2, 7);
    Rectangle area = r.plotArea();
    assertThat(px.getX()).isCloseTo(area.getCenterX(), within(1.0));
    assertThat(px.getY()).isCloseTo(area.getCenterY(), within(area.height * 0.2));
    assertThat(count(r, BLUE)).isGreaterThan(20);
  }

  @Test
  void drawsAFlatSeriesWithinTheArea() {
    LinePlot.Rendering r =
        new LinePlot("t", "x", "y")
            .add("flat", new double[] {1, 2, 3}, new double[] {5, 5, 5})
            .render();

    Point2D px = LinePlot.pixel(r, 2, 5);
    assertThat(r.plotArea().contains(px)).isTrue();
    assertThat(px.getY()).isGreaterThan(r.plotArea().y + 5.0);
    assertThat(count(r, BLUE)).isGreaterThan(100);
  }

  @Test
  void skipsEmptySeriesAndNaNPoints() {
    LinePlot.Rendering r =
        new LinePlot("t", "x", "y")
            .add("empty", new double[0], new double[0])
            .add("nan", new double[] {1, 2}, new double[] {Double.NaN, Double.NaN})
            .add(
                "gappy",
                GREEN,
                false,
                LinePlot.Marker.SQUARE,
                new double[] {1, Double.NaN, 3, 4},
                new double[] {1, 2, Double.NaN, 4})
            .render();

    assertThat(r.legendNames()).containsExactly("gappy");
    assertThat(count(r, GREEN)).isGreaterThan(30);
    assertThat(count(r, BLUE)).isZero();
    assertThat(count(r, ORANGE)).isZero();
  }

  @Test
  void drawsEmptyAxesWithoutSeries() {
    LinePlot.Rendering r = new LinePlot("t", "x", "y").render();

    assertThat(r.image().getWidth()).isEqualTo(LinePlot.WIDTH);
    assertThat(r.legend()).isNull();
  }

  @Test
  void placesDecadesEvenlyOnALogAxis() {
    LinePlot.Rendering r =
        new LinePlot("t", "x", "y")
            .logY(true)
            .add("a", new double[] {1, 2, 3}, new double[] {10, 100, 1000})
            .add("nonpositive", new double[] {1}, new double[] {0})
            .render();

    double y10 = LinePlot.pixel(r, 1, 10).getY();
    double y100 = LinePlot.pixel(r, 1, 100).getY();
    double y1000 = LinePlot.pixel(r, 1, 1000).getY();
    assertThat(y10 - y100).isCloseTo(y100 - y1000, within(0.01));
    assertThat(r.legendNames()).containsExactly("a");
  }

  @ParameterizedTest
  @CsvSource({
    "0, 1",
    "0, 51234",
    "3, 7",
    "-12.5, 80",
    "0.001, 0.0047",
    "118000, 121000",
    "0, 1e9",
    "1, 4",
    "5, 5",
    "0, 0"
  })
  void ticksAreWholeStepsOfOneTwoOrFiveTimesAPowerOfTenCoveringTheData(double min, double max) {
    LinePlot.Ticks t = LinePlot.ticks(min, max, 6, false);

    assertThat(t.lo()).isLessThanOrEqualTo(min);
    assertThat(t.hi()).isGreaterThanOrEqualTo(max);
    assertThat(t.values()).hasSizeBetween(3, 12);
    assertThat(t.values().get(0)).isEqualTo(t.lo());
    assertThat(t.values().get(t.values().size() - 1)).isEqualTo(t.hi());
    BigDecimal step = BigDecimal.valueOf(t.step()).stripTrailingZeros();
    assertThat(step.unscaledValue().toString()).isIn("1", "2", "5");
    for (double v : t.values()) {
      // exact decimals, no 0.30000000000000004
      assertThat(BigDecimal.valueOf(v).remainder(step).signum()).as("%s", v).isZero();
      assertThat(LinePlot.format(v)).doesNotContain("0000");
    }
  }

  @Test
  void integerTicksStepByWholeNumbers() {
    assertThat(LinePlot.ticks(1, 4, 7, true).values()).containsExactly(1.0, 2.0, 3.0, 4.0);
    assertThat(LinePlot.ticks(2, 2, 7, true).values()).containsExactly(1.0, 2.0, 3.0);
  }

  @Test
  void logTicksAreDecadesOnLongRangesAndOneTwoFiveStepsOnShortOnes() {
    assertThat(LinePlot.logTicks(55, 2_700).values())
        .containsExactly(50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0);
    assertThat(LinePlot.logTicks(120, 900).values()).containsExactly(100.0, 200.0, 500.0, 1000.0);
    assertThat(LinePlot.logTicks(3, 40_000).values())
        .containsExactly(1.0, 10.0, 100.0, 1000.0, 10_000.0, 100_000.0);
  }

  @Test
  void formatsTickLabelsWithKMAndG() {
    assertThat(LinePlot.format(0)).isEqualTo("0");
    assertThat(LinePlot.format(950)).isEqualTo("950");
    assertThat(LinePlot.format(2.5)).isEqualTo("2.5");
    assertThat(LinePlot.format(0.05)).isEqualTo("0.05");
    assertThat(LinePlot.format(12_000)).isEqualTo("12k");
    assertThat(LinePlot.format(2_500)).isEqualTo("2.5k");
    assertThat(LinePlot.format(1_200_000)).isEqualTo("1.2M");
    assertThat(LinePlot.format(-40_000)).isEqualTo("-40k");
    assertThat(LinePlot.format(3e9)).isEqualTo("3G");
  }

  // ---------------------------------------------------------------------------------------------

  /** Pixels near {@code c} in the plot area, outside the legend. */
  static int count(LinePlot.Rendering r, Color c) {
    return pixels(r, c).size();
  }

  static double meanRow(LinePlot.Rendering r, Color c) {
    List<int[]> ps = pixels(r, c);
    assertThat(ps).as("pixels of %s", c).isNotEmpty();
    return ps.stream().mapToInt(p -> p[1]).average().orElseThrow();
  }

  static List<int[]> pixels(LinePlot.Rendering r, Color c) {
    Rectangle a = r.plotArea();
    java.util.ArrayList<int[]> out = new java.util.ArrayList<>();
    for (int y = a.y; y <= a.y + a.height; y++) {
      for (int x = a.x; x <= a.x + a.width; x++) {
        if (r.legend() != null && r.legend().contains(x, y)) continue;
        if (isNear(r.image().getRGB(x, y), c)) out.add(new int[] {x, y});
      }
    }
    return out;
  }

  static boolean isNear(int rgb, Color c) {
    int dr = ((rgb >> 16) & 0xff) - c.getRed();
    int dg = ((rgb >> 8) & 0xff) - c.getGreen();
    int db = (rgb & 0xff) - c.getBlue();
    return dr * dr + dg * dg + db * db < 20 * 20;
  }
}
