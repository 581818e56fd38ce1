package io.compartment.agent;

import io.compartment.agent.config.AgentConfig;
import io.compartment.agent.config.MappingFile;
import io.compartment.agent.config.ServiceMapping;
import io.compartment.agent.control.AgentControl;
import io.compartment.agent.control.ControlServer;
import io.compartment.agent.control.ControlService;
import io.compartment.agent.instrument.Installer;
import io.compartment.agent.instrument.MappingValidator;
import io.compartment.agent.instrument.ServiceModel;
import io.compartment.agent.live.LiveController;
import io.compartment.agent.live.MessageClasses;
import io.compartment.agent.live.WorkerEmits;
import io.compartment.agent.report.ReportWriter;
import io.compartment.agent.runtime.HandlerInfo;
import io.compartment.agent.runtime.Hooks;
import io.compartment.agent.trace.Aggregator;
import io.compartment.agent.trace.ServiceCatalog;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code -javaagent} entry point. Everything runs inside a catch of {@code Throwable}: if the
 * agent cannot start, it says why and the application starts without it.
 */
public final class CompartmentAgent {
  private static volatile boolean installed;
  private static volatile ControlServer controlServer;
  private static volatile boolean shuttingDown;

  private CompartmentAgent() {}

  public static void premain(String args, Instrumentation inst) {
    start(args, inst, false);
  }

  public static void agentmain(String args, Instrumentation inst) {
    start(args, inst, true);
  }

  private static synchronized void start(String args, Instrumentation inst, boolean late) {
    try {
      if (installed) {
        AgentLog.warn("agent already installed; ignoring a second start");
        return;
      }
      AgentConfig config = AgentConfig.load(args, System.getenv(), System.getProperties());
      AgentLog.debug(config.debug());
      config.errors().forEach(AgentLog::error);
      ModuleAccess.grant(inst);
      if (config.mode() == AgentConfig.Mode.OFF) {
        AgentLog.info("mode=off: agent installed nothing");
        return;
      }
      boolean worker = config.mode() == AgentConfig.Mode.WORKER;
      if (worker) {
        // before any handler runs: the worker captures emits for the host and traces nothing
        WorkerEmits.workerMode = true;
        Hooks.enabled(false);
      }
      List<ServiceMapping> mappings = new ArrayList<>();
      if (config.mappingFile() != null) {
        MappingFile.Result read = MappingFile.read(config.mappingFile());
        read.errors().forEach(AgentLog::error);
        mappings.addAll(
            MappingValidator.validate(
                read.services(), ClassLoader.getSystemClassLoader(), AgentLog::error));
      }
      ServiceModel model = new ServiceModel(mappings);
      ServiceCatalog catalog = new ServiceCatalog();
      Aggregator aggregator = new Aggregator(catalog, !config.sampleAll());
      HandlerInfo.costBudget(!config.sampleAll());
      Hooks.sink(aggregator::offer);
      aggregator.start();
      MessageClasses.instrumentation(inst);
      new Installer(model, catalog, config.dumpDir()).install(inst, late);
      if (worker) {
        installed = true;
        return;
      }
      ReportWriter writer = new ReportWriter(catalog, aggregator, config.report());
      LiveController live = new LiveController(catalog, writer, config);
      ControlService control =
          new ControlService(catalog, aggregator, writer, config.mode().name().toLowerCase(), live);
      Thread endpoint =
          new Thread(() -> startControl(config, control), "compartment-control-start");
      endpoint.setDaemon(true);
      endpoint.start();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    shuttingDown = true;
                    live.close();
                    writer.writeAtExit();
                    ControlServer server = controlServer;
                    if (server != null) server.close();
                  },
                  "compartment-report"));
      installed = true;
      AgentLog.info(
          "tracing"
              + (config.report() != null
                  ? "; report at exit to " + config.report().toAbsolutePath()
                  : "; no report file (set report=FILE)"));
    } catch (Throwable t) {
      AgentLog.failure("start", "agent could not start; the application runs without it", t);
    }
  }

  /**
   * Starts the control endpoint and its JMX mirror, off the application's start path (the platform
   * MBean server alone costs noticeable start time). {@code control=off} starts neither.
   */
  private static void startControl(AgentConfig config, ControlService control) {
    String address = config.get("control");
    if ("off".equalsIgnoreCase(address) || shuttingDown) return;
    try {
      ControlServer server =
          ControlServer.start(
              new ControlServer.Context().address(address).token(config.get("token")), control);
      controlServer = server;
      if (shuttingDown) {
        // the application finished while the endpoint started: leave no discovery file behind
        server.close();
        return;
      }
      AgentLog.info(
          "control endpoint on port "
              + server.port()
              + (server.discoveryFile() != null ? " (" + server.discoveryFile() + ")" : ""));
    } catch (Throwable t) {
      AgentLog.failure("control", "control endpoint not started", t);
    }
    try {
      AgentControl.register(control);
    } catch (Throwable t) {
      AgentLog.failure("jmx", "JMX MBean " + AgentControl.NAME + " not registered", t);
    }
  }
}
