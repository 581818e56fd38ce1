package io.compartment.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an outbound send: a method such as {@code send(Address to, Object msg)}, or a field holding
 * an outbox (a queue, collection or consumer that messages are added to).
 *
 * <p>Emits are outputs, not state: adding to an outbox never makes a handler stateful. Inside a
 * relocated handler they are carried back to the host process and performed there.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.FIELD})
public @interface Emit {}
