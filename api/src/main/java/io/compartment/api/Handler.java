package io.compartment.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a message handler. Its parameters are the message: the agent records their attributes
 * (fields, record components and getters, two levels deep) to find a partition key.
 *
 * <p>A handler must take at least one parameter; one without is reported and not traced.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Handler {}
