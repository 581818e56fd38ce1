package io.compartment.agent.config;

import java.util.List;

/**
 * One entry of a mapping file: the same facts as the annotations, for code the user cannot edit.
 *
 * @param className binary name of the service class
 * @param state state field names; {@code OtherClass.field} names state held by another class
 * @param handlers handler method names (every method of that name)
 * @param emit emit method names or outbox field names
 * @param where where in the mapping file this entry stands, for messages
 */
public record ServiceMapping(
    String className, List<String> state, List<String> handlers, List<String> emit, String where) {}
