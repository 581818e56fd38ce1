package io.compartment.demo;

import java.io.PrintStream;

/** A runnable scenario: builds a cluster, drives a seeded workload and checks the outcome. */
public interface Demo {

  String name();

  /** Runs the workload and the end-to-end check, writing progress lines to {@code progress}. */
  DemoResult run(DemoOptions options, PrintStream progress);
}
