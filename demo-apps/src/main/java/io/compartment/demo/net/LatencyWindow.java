package io.compartment.demo.net;

/**
 * Service to clients process: start or stop recording latency window {@code window} ({@link
 * io.compartment.demo.Latency}), as the service's live script starts or ends a measurement.
 */
public record LatencyWindow(int window, boolean open) {}
