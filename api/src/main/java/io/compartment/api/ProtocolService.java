package io.compartment.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a protocol service: a class whose {@link Handler} methods the Compartment agent may trace,
 * classify and later compartmentalize.
 *
 * <p>Fields of a service that carry no {@link State} annotation are configuration: the analyzer
 * reports any handler that writes one.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ProtocolService {}
