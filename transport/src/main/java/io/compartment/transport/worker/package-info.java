/**
 * Worker processes: child JVMs that run a service's partitioned handlers, started, watched and
 * restarted by the host.
 *
 * <ul>
 *   <li>{@link io.compartment.transport.worker.WorkerSpec}: what to run (main class, arguments,
 *       class path, JVM flags, agent, system properties, working directory, log file).
 *   <li>{@link io.compartment.transport.worker.WorkerLauncher}: starts a child JVM and returns a
 *       {@link io.compartment.transport.worker.WorkerProcess}; waits for the readiness line {@code
 *       WORKER READY <id>} or throws a {@link io.compartment.transport.worker.WorkerStartException}
 *       with the exit code and last log lines.
 *   <li>{@link io.compartment.transport.worker.WorkerSupervisor}: an Agrona agent that restarts
 *       dead workers with exponential backoff, declares a worker failed after too many deaths in a
 *       window, reports events to a {@link io.compartment.transport.worker.WorkerListener} and
 *       measures restart time.
 *   <li>{@link io.compartment.transport.worker.AeronDirCleaner}: names Compartment's Aeron
 *       directories after their owner pid and removes those of dead processes.
 * </ul>
 *
 * <p>Protocol expected from a worker: print the readiness line on stdout once it can take work;
 * exit when its stdin reaches end of file (the host stopped it or died); exit on SIGTERM.
 */
package io.compartment.transport.worker;
