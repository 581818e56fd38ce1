package io.compartment.agent.live;

/**
 * One handler of one enabled compartment on one service object.
 *
 * @param compartment the compartment route the handler belongs to
 * @param index the handler's index in the worker setup
 * @param name the handler's report name, for messages
 * @param key its partition-key path, or null (replicated and decoupled compartments)
 * @param returnsValue whether the caller waits for an answer
 */
record HandlerRoute(
    CompartmentRoute compartment, int index, String name, KeyPath key, boolean returnsValue) {}
