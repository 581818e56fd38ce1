package io.compartment.agent.report;

import io.compartment.agent.AgentLog;
import io.compartment.agent.live.RoutingCost;
import io.compartment.agent.trace.Aggregator;
import io.compartment.agent.trace.ServiceCatalog;
import io.compartment.analyzer.classify.Classifier;
import io.compartment.analyzer.json.Json;
import io.compartment.analyzer.report.Report;
import io.compartment.analyzer.trace.Trace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes the report (and the trace beside it) at exit or on request: snapshot of the trace, static
 * confirmation from the classes' bytecode, classification. Files are written to a temporary name
 * and moved into place, so a reader never sees half a report.
 */
public final class ReportWriter {
  private final ServiceCatalog catalog;
  private final Aggregator aggregator;
  private final Path report;

  public ReportWriter(ServiceCatalog catalog, Aggregator aggregator, Path report) {
    this.catalog = catalog;
    this.aggregator = aggregator;
    this.report = report;
  }

  /** The trace file that goes with a report file: {@code x.json} gives {@code x.trace.json}. */
  public static Path traceFileFor(Path report) {
    String name = report.getFileName().toString();
    String base = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    return report.resolveSibling(base + ".trace.json");
  }

  public void writeAtExit() {
    try {
      aggregator.stop();
      if (report == null) return;
      write(report);
    } catch (Throwable t) {
      AgentLog.failure("report", "could not write the report to " + report, t);
    }
  }

  /** Builds the trace and report now and writes both. */
  public void write(Path target) throws IOException {
    Trace trace = aggregator.snapshot();
    StaticConfirmation.apply(trace, catalog);
    Report current = Classifier.classify(trace).withMeasuredRouteNs(routeCostNs());
    writeAtomically(traceFileFor(target), Json.write(trace.toJson()));
    writeAtomically(target, Json.write(current.toJson()));
    AgentLog.info("report written to " + target.toAbsolutePath());
  }

  /** The report as of now, for a request: what was recorded so far, classified. */
  public Report current() {
    Trace trace = aggregator.snapshot();
    StaticConfirmation.apply(trace, catalog);
    return Classifier.classify(trace).withMeasuredRouteNs(routeCostNs());
  }

  /** What routing measured so far (0: nothing); never fails the report. */
  private static long routeCostNs() {
    try {
      return RoutingCost.measuredNs();
    } catch (Throwable t) {
      return 0;
    }
  }

  /** The report file written at exit, or null if none was asked for. */
  public Path reportFile() {
    return report;
  }

  private static void writeAtomically(Path target, String text) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    if (dir != null) Files.createDirectories(dir);
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.writeString(tmp, text + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
