package io.compartment.demo.net;

/**
 * What the clients saw of one latency window ({@link io.compartment.demo.Latency}), sent from the
 * clients process to the service process before it reports done.
 *
 * @param window the window's number
 * @param count requests answered in it
 * @param p50Nanos median latency, in nanoseconds
 * @param p99Nanos 99th percentile, in nanoseconds
 * @param maxNanos the longest, in nanoseconds
 */
public record LatencyFigures(int window, long count, long p50Nanos, long p99Nanos, long maxNanos) {}
