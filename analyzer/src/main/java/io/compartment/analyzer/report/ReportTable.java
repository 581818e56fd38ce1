package io.compartment.analyzer.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a report as plain-text tables for a terminal, about 120 columns wide. */
public final class ReportTable {
  /** The width the tables are fitted to. */
  public static final int WIDTH = 120;

  private ReportTable() {}

  /**
   * The whole report: per service a header, a handler table, a compartment table, then warnings.
   */
  public static String render(Report report) {
    StringBuilder out = new StringBuilder();
    if (report.services().isEmpty()) {
      out.append(
          "No services observed: no class annotated @ProtocolService (or named in the mapping "
              + "file) handled a message while tracing.\n");
      return out.toString();
    }
    boolean first = true;
    for (ServiceReport s : report.services()) {
      if (!first) out.append('\n');
      first = false;
      render(s, out);
    }
    render(report.profile(), out);
    return out.toString();
  }

  private static void render(Profile p, StringBuilder out) {
    if (!p.measured()) {
      out.append("\nProfile: no handler cost measured yet (too few calls)\n");
      return;
    }
    out.append("\nProfile (handler time: invocations x measured cost per call)\n");
    List<String[]> rows = new ArrayList<>();
    for (Profile.Entry e : p.entries()) {
      rows.add(
          new String[] {
            e.compartment(),
            e.plan().name(),
            percent(p.share(e)),
            e.plan() == Plan.KEEP ? "-" : Integer.toString(e.recommended())
          });
    }
    table(out, new String[] {"COMPARTMENT", "PLAN", "SHARE", "RECOMMENDED"}, rows, -1);
    Profile.Entry b = p.bottleneck();
    if (b != null) {
      out.append("  bottleneck: ")
          .append(b.compartment())
          .append(" (")
          .append(percent(p.share(b)))
          .append(" of handler time)")
          .append(b.plan() == Plan.KEEP ? ": sequential, it cannot be scaled\n" : "\n");
    }
    Profile.Entry first = p.scaleFirst();
    if (first != null && first.recommended() >= 2) {
      out.append("  scale first: ")
          .append(first.compartment())
          .append(": enable it with ")
          .append(first.recommended())
          .append(first.plan() == Plan.PARTITION ? " partitions\n" : " replicas\n");
    } else if (first != null) {
      out.append("  scale first: none; no compartment gains from 2 or more workers in the model\n");
    }
    for (Profile.Entry e : p.entries()) {
      if (e.plan() != Plan.KEEP && e.loadNs() > 0) {
        out.append("  ").append(e.compartment()).append(": ").append(e.why()).append('\n');
      }
    }
    double bound = p.speedupBound();
    out.append("  sequential core: ")
        .append(percent(p.coreShare()))
        .append(" of handler time, so scaling gives at most ")
        .append(Double.isInfinite(bound) ? "no bound" : String.format(Locale.ROOT, "%.1fx", bound))
        .append(String.format(Locale.ROOT, "; %.1fx", p.predictedSpeedup()))
        .append(" with the recommended counts\n")
        .append(
            String.format(
                Locale.ROOT,
                "  routing costs the host %.1f µs per call in the model (%s)\n",
                p.routeNs() / 1e3,
                switch (p.routeSource()) {
                  case "measured" -> "measured by the agent while it routed calls";
                  case "setting" -> "set by " + Profile.ROUTE_NS_PROP;
                  default -> "the default; set it with -D" + Profile.ROUTE_NS_PROP;
                }));
  }

  private static String percent(double share) {
    return String.format(Locale.ROOT, "%.0f%%", share * 100);
  }

  /** One service. */
  public static String render(ServiceReport s) {
    StringBuilder out = new StringBuilder();
    render(s, out);
    return out.toString();
  }

  private static void render(ServiceReport s, StringBuilder out) {
    long observed =
        s.handlers().stream().filter(h -> h.handlerClass() != HandlerClass.UNOBSERVED).count();
    out.append("Service ")
        .append(s.service())
        .append("  (")
        .append(s.handlers().size())
        .append(s.handlers().size() == 1 ? " handler, " : " handlers, ")
        .append(observed)
        .append(" observed; ")
        .append(s.state().size())
        .append(s.state().size() == 1 ? " state field" : " state fields");
    if (s.instances() > 0)
      out.append("; ")
          .append(s.instances())
          .append(s.instances() == 1 ? " instance" : " instances");
    out.append(")\n");

    if (!s.state().isEmpty()) {
      List<String[]> rows = new ArrayList<>();
      for (StateFieldReport f : s.state()) {
        List<String> w = new ArrayList<>();
        f.writes().forEach(k -> w.add(k.name()));
        rows.add(
            new String[] {
              f.field(),
              f.kind().name(),
              f.access().name(),
              w.isEmpty() ? "-" : String.join(",", w),
              f.replicable() ? "yes" : "no"
            });
      }
      table(out, new String[] {"STATE", "KIND", "ACCESS", "WRITES", "REPLICABLE"}, rows, -1);
      out.append('\n');
    }

    List<String[]> rows = new ArrayList<>();
    for (HandlerReport h : s.handlers()) {
      rows.add(
          new String[] {
            h.handler(),
            h.handlerClass().name(),
            h.partitionKey() == null ? "-" : h.partitionKey(),
            h.monotone() ? "yes" : "no",
            Long.toString(h.invocations()),
            h.confirmed() ? "yes" : "NO",
            h.firstReason()
          });
    }
    if (rows.isEmpty()) {
      out.append("  (no handlers)\n");
    } else {
      table(
          out,
          new String[] {
            "HANDLER", "CLASS", "KEY", "MONOTONE", "INVOCATIONS", "CONFIRMED", "REASON"
          },
          rows,
          6);
    }
    for (HandlerReport h : s.handlers()) {
      if (!h.confirmed()
          && h.handlerClass() != HandlerClass.UNOBSERVED
          && h.handlerClass() != HandlerClass.SEQUENTIAL) {
        String why =
            h.reasons().stream().filter(r -> isConfirmationReason(r)).findFirst().orElse(null);
        if (why != null) out.append(fit("  ? " + h.handler() + ": " + why, WIDTH)).append('\n');
      }
    }
    out.append('\n');

    if (s.compartments().isEmpty()) {
      out.append("  (no compartments)\n");
    } else {
      List<String[]> crow = new ArrayList<>();
      for (CompartmentReport c : s.compartments()) {
        List<String> routes = new ArrayList<>();
        for (Map.Entry<String, String> e : c.routes().entrySet())
          routes.add(e.getKey() + "->" + e.getValue());
        crow.add(
            new String[] {
              c.id(),
              c.plan().name() + (c.confirmed() ? "" : "?"),
              String.join(",", c.handlers()),
              routes.isEmpty() ? "-" : String.join(",", routes),
              c.replicated().isEmpty() ? "-" : String.join(",", c.replicated()),
              c.broadcast().isEmpty() ? "-" : String.join(",", c.broadcast())
            });
      }
      table(
          out,
          new String[] {"COMPARTMENT", "PLAN", "HANDLERS", "ROUTES", "REPLICATED", "BROADCAST"},
          crow,
          2);
      if (s.compartments().stream().anyMatch(c -> !c.confirmed())) {
        out.append("  (PLAN? = needs a person's confirmation; see the report's reasons)\n");
      }
    }

    if (!s.warnings().isEmpty() || !s.notes().isEmpty()) {
      out.append('\n');
      for (String w : s.warnings()) out.append(fit("  warning: " + w, WIDTH)).append('\n');
      for (String n : s.notes()) out.append(fit("  note: " + n, WIDTH)).append('\n');
    }
  }

  private static boolean isConfirmationReason(String r) {
    return r.startsWith("may raise")
        || r.startsWith("no static")
        || r.startsWith("only ")
        || r.startsWith("state field")
        || r.startsWith("bytecode")
        || r.startsWith("static pass")
        || r.startsWith("state escapes");
  }

  /**
   * Appends a table with two-space indentation; column {@code flex} (or none if -1) absorbs the
   * width left, the others are cut at 40 characters.
   */
  private static void table(StringBuilder out, String[] header, List<String[]> rows, int flex) {
    int cols = header.length;
    int[] width = new int[cols];
    for (int c = 0; c < cols; c++) width[c] = header[c].length();
    for (String[] r : rows) {
      for (int c = 0; c < cols; c++) width[c] = Math.max(width[c], r[c].length());
    }
    for (int c = 0; c < cols; c++) if (c != flex) width[c] = Math.min(width[c], 40);
    int fixed = 2;
    for (int c = 0; c < cols; c++) if (c != flex) fixed += width[c] + 2;
    if (flex >= 0) {
      width[flex] = Math.max(header[flex].length(), Math.min(width[flex], WIDTH - fixed));
      if (fixed + width[flex] > WIDTH) {
        // Too wide even so: shrink the widest other column(s).
        int over = fixed + width[flex] - WIDTH;
        while (over > 0) {
          int widest = -1;
          for (int c = 0; c < cols; c++) {
            if (c != flex && (widest < 0 || width[c] > width[widest])) widest = c;
          }
          if (widest < 0 || width[widest] <= 8) break;
          width[widest]--;
          over--;
        }
      }
    }
    row(out, header, width, flex);
    for (String[] r : rows) row(out, r, width, flex);
  }

  private static void row(StringBuilder out, String[] cells, int[] width, int flex) {
    StringBuilder line = new StringBuilder("  ");
    for (int c = 0; c < cells.length; c++) {
      String cell = fit(cells[c] == null ? "" : cells[c], width[c]);
      line.append(cell);
      if (c < cells.length - 1) line.append(" ".repeat(width[c] - cell.length() + 2));
    }
    int end = line.length();
    while (end > 0 && line.charAt(end - 1) == ' ') end--;
    out.append(line, 0, end).append('\n');
  }

  private static String fit(String s, int width) {
    String one = s.replace('\n', ' ');
    if (one.length() <= width) return one;
    if (width <= 3) return one.substring(0, width);
    return one.substring(0, width - 3) + "...";
  }
}
