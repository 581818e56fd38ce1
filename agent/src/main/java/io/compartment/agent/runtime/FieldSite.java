package io.compartment.agent.runtime;

/**
 * A rewritten field access site.
 *
 * @param owner binary name of the class declaring the field (as far as the rewriter resolved it)
 * @param name the field name
 * @param role what the field is to the service
 * @param stateIdInOwner the field's report id when the owner is the service itself ({@code name})
 * @param foreignStateId the field's report id when held for another service ({@code Simple.name})
 * @param where {@code Source.java:line} of the access
 */
public record FieldSite(
    String owner,
    String name,
    Role role,
    String stateIdInOwner,
    String foreignStateId,
    String where) {

  /** What a field is to the service. */
  public enum Role {
    /** A {@code @State} field. */
    STATE,
    /** An {@code @Emit} outbox field. */
    OUTBOX,
    /** A field of a service class without {@code @State}: configuration. */
    CONFIG,
    /** Any other field (of a message, a log entry, a helper). */
    OTHER
  }
}
