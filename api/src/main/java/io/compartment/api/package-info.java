/**
 * The annotations an application compiles against to describe a protocol service to Compartment:
 * {@link io.compartment.api.ProtocolService}, {@link io.compartment.api.State}, {@link
 * io.compartment.api.Handler} and {@link io.compartment.api.Emit}. This module has no dependencies;
 * the agent itself arrives at run time with {@code -javaagent}.
 */
package io.compartment.api;
