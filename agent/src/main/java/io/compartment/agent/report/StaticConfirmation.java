package io.compartment.agent.report;

import io.compartment.agent.AgentLog;
import io.compartment.agent.trace.ServiceCatalog;
import io.compartment.analyzer.statics.StaticAnalyzer;
import io.compartment.analyzer.trace.HandlerTrace;
import io.compartment.analyzer.trace.ServiceTrace;
import io.compartment.analyzer.trace.StateFieldInfo;
import io.compartment.analyzer.trace.StaticFacts;
import io.compartment.analyzer.trace.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the analyzer's static pass over each traced handler's bytecode, read from the service's
 * class loader (the original class files, not the instrumented ones), and attaches the facts to the
 * trace so that the classification can confirm or lower its verdicts.
 */
final class StaticConfirmation {
  /** Facts per handler (service, name, descriptor): class files do not change while we run. */
  private static final Map<String, StaticFacts> CACHE = new ConcurrentHashMap<>();

  private StaticConfirmation() {}

  static void apply(Trace trace, ServiceCatalog catalog) {
    for (ServiceCatalog.Entry entry : catalog.services()) {
      ServiceTrace st = trace.services().get(entry.service);
      if (st == null) continue;
      try {
        List<StateFieldInfo> fields = stateFieldsOf(entry.service, st, catalog);
        StaticAnalyzer analyzer = null;
        for (HandlerTrace h : st.handlers().values()) {
          String key =
              entry.service + "#" + h.owner() + "#" + h.method() + h.descriptor() + "#" + fields;
          StaticFacts facts = CACHE.get(key);
          if (facts == null) {
            if (analyzer == null) {
              analyzer =
                  new StaticAnalyzer(
                      StaticAnalyzer.classLoaderBytes(entry.loader),
                      entry.service,
                      fields,
                      List.of());
            }
            facts = analyzer.analyze(h.owner(), h.method(), h.descriptor());
            CACHE.put(key, facts);
          }
          h.staticFacts(facts);
        }
      } catch (Throwable t) {
        AgentLog.failure(
            "static:" + entry.service,
            "static pass over " + entry.service + " failed; its verdicts stay unconfirmed",
            t);
      }
    }
  }

  /** The service's own state and every state field held for it in other classes, by report id. */
  private static List<StateFieldInfo> stateFieldsOf(
      String service, ServiceTrace st, ServiceCatalog catalog) {
    List<StateFieldInfo> fields = new ArrayList<>(st.state());
    for (StateFieldInfo f : catalog.stateFields()) {
      boolean known =
          fields.stream().anyMatch(x -> x.owner().equals(f.owner()) && x.name().equals(f.name()));
      if (known) continue;
      String id =
          f.owner().equals(service)
              ? f.name()
              : f.owner()
                      .substring(
                          Math.max(f.owner().lastIndexOf('.'), f.owner().lastIndexOf('$')) + 1)
                  + "."
                  + f.name();
      fields.add(new StateFieldInfo(id, f.owner(), f.name(), f.type(), f.kind()));
    }
    return fields;
  }
}
