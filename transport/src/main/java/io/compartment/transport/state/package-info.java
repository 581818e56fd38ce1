/**
 * Persisted partition state for workers: {@link io.compartment.transport.state.PartitionStore}, one
 * Chronicle Map file per (service instance, partition) holding opaque {@code byte[]} keys and
 * values and the sequence number of the last applied message, with batches applied atomically with
 * respect to process death and recovery after SIGKILL.
 */
package io.compartment.transport.state;
