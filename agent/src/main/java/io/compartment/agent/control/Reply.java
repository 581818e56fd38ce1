package io.compartment.agent.control;

import java.util.Map;

/**
 * The answer to a control request: an HTTP status and a JSON body. Errors carry {@code {"error":
 * "..."}} and a 4xx status (DESIGN section 5).
 */
record Reply(int status, Object body) {
  static Reply ok(Object body) {
    return new Reply(200, body);
  }

  static Reply error(int status, String message) {
    return new Reply(status, Map.of("error", message));
  }
}
