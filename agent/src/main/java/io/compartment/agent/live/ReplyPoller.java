package io.compartment.agent.live;

import java.util.concurrent.CopyOnWriteArrayList;
import org.agrona.concurrent.Agent;

/**
 * The host's one duty cycle over every worker's reply stream: takes results, performs their emits
 * and completes waiting callers. Runs on its own daemon thread under the transport's idle strategy.
 */
final class ReplyPoller implements Agent {
  private final CopyOnWriteArrayList<WorkerLink> links = new CopyOnWriteArrayList<>();

  void add(WorkerLink link) {
    links.add(link);
  }

  void remove(WorkerLink link) {
    links.remove(link);
  }

  @Override
  public int doWork() {
    int work = 0;
    for (WorkerLink link : links) work += link.poll();
    return work;
  }

  @Override
  public String roleName() {
    return "compartment-replies";
  }
}
