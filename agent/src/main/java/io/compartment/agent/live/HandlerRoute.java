package io.compartment.agent.live;

/**
 * One handler of one enabled compartment on one service object.
 *
 * @param compartment the compartment route the handler belongs to
 * @param index the handler's index in the worker setup
 * @param name the handler's report name, for messages
 * @param key its partition-key path, or null (replicated and decoupled compartments, broadcasts)
 * @param returnsValue whether the caller waits for an answer
 * @param broadcast whether it reads the whole partitioned state: it runs in the host on the state
 *     gathered from every worker (see {@link CompartmentRoute#broadcast})
 * @param readOnly for a broadcast, whether the trace and the bytecode agree it writes no state, so
 *     that the gathered state need not be shipped back after it runs
 */
record HandlerRoute(
    CompartmentRoute compartment,
    int index,
    String name,
    KeyPath key,
    boolean returnsValue,
    boolean broadcast,
    boolean readOnly) {}
