/**
 * Binary codec for messages and state exchanged between a host service and its workers.
 *
 * <p>{@link io.compartment.transport.codec.TypeRegistry} lists the classes a service allows on the
 * wire; {@link io.compartment.transport.codec.MessageCodec} writes object graphs into Agrona
 * buffers and reads them back, instantiating only registered classes and a fixed set of JDK value
 * and collection types. Nothing read from a buffer can name an arbitrary class to instantiate.
 */
package io.compartment.transport.codec;
