package io.compartment.agent.runtime;

/**
 * A rewritten method call site.
 *
 * @param owner binary name of the method's owner as written in the bytecode
 * @param name method name
 * @param descriptor JVM method descriptor
 * @param isStatic an {@code invokestatic}
 * @param argCount number of declared parameters (not counting the receiver)
 * @param returnsValue a non-void method
 * @param where {@code Source.java:line} of the call
 */
public record CallSite(
    String owner,
    String name,
    String descriptor,
    boolean isStatic,
    int argCount,
    boolean returnsValue,
    String where) {

  /** {@code Owner.method}, with the simple name of the owner. */
  public String shortName() {
    int dot = owner.lastIndexOf('.');
    return owner.substring(dot + 1) + "." + name;
  }
}
