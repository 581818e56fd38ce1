package io.compartment.agent.control;

import io.compartment.analyzer.json.Json;
import java.lang.management.ManagementFactory;
import javax.management.ObjectName;

/** The JMX face of {@link ControlService}. */
public final class AgentControl implements AgentControlMBean {
  public static final String NAME = "io.compartment:type=Agent";
  private final ControlService service;

  private AgentControl(ControlService service) {
    this.service = service;
  }

  /** Registers the MBean on the platform server. */
  public static void register(ControlService service) throws Exception {
    ObjectName name = new ObjectName(NAME);
    var server = ManagementFactory.getPlatformMBeanServer();
    if (!server.isRegistered(name)) server.registerMBean(new AgentControl(service), name);
  }

  @Override
  public String getStatus() {
    return answer(service.status());
  }

  @Override
  public String getReport() {
    return answer(service.report());
  }

  @Override
  public String enable(String compartmentId, int count) {
    return answer(service.enable(compartmentId, count));
  }

  @Override
  public String disable(String compartmentId) {
    return answer(service.disable(compartmentId));
  }

  @Override
  public String enableInferred(int count) {
    return service.enableInferred(count);
  }

  @Override
  public String enableProfiled(int count) {
    return service.enableProfiled(count);
  }

  @Override
  public String disableAll() {
    return service.disableAll();
  }

  private static String answer(Reply r) {
    String text = Json.write(r.body());
    if (r.status() == 404 || r.status() == 400) throw new IllegalArgumentException(message(r));
    if (r.status() >= 400) throw new IllegalStateException(message(r));
    return text;
  }

  private static String message(Reply r) {
    return r.body() instanceof java.util.Map<?, ?> m && m.get("error") != null
        ? String.valueOf(m.get("error"))
        : Json.write(r.body());
  }
}
