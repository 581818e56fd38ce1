package io.compartment.agent.control;

/**
 * The control endpoint mirrored in JMX as {@code io.compartment:type=Agent}. Answers are the same
 * JSON documents as over HTTP; a refused request throws {@link IllegalArgumentException} (unknown
 * compartment, bad count) or {@link IllegalStateException} (plan KEEP, a plan that needs
 * confirmation, an enable that failed) whose message is the HTTP error text.
 */
public interface AgentControlMBean {
  /** {@code GET /api/status} as JSON text. */
  String getStatus();

  /** {@code GET /api/report} as JSON text. */
  String getReport();

  /** Enables a compartment with N partitions (PARTITION plan) or replicas (otherwise). */
  String enable(String compartmentId, int count);

  /** Disables a compartment. */
  String disable(String compartmentId);

  /**
   * Enables every compartment whose plan is not KEEP with {@code count} partitions or replicas,
   * confirming plans that need it (what a demo does for its audience). One line per compartment.
   */
  String enableInferred(int count);

  /**
   * Enables, with {@code count} partitions or replicas each, only the compartments the report's
   * profile recommends scaling; the others stay in the host. One line per compartment.
   */
  String enableProfiled(int count);

  /** Disables every enabled compartment. One line per compartment. */
  String disableAll();
}
