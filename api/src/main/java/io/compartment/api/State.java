package io.compartment.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field as mutable protocol state: a scalar, a {@code Map}, {@code Set}, {@code List},
 * {@code Deque}, or any other object, which is then treated as one value.
 *
 * <p>The field may sit on the service class itself or on any class the service uses to hold state
 * (a log, an instance table). It must be an instance field: static state cannot be partitioned per
 * service instance, and the agent reports a static {@code @State} field as an error.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface State {}
