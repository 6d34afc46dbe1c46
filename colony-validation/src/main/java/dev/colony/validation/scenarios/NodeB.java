package dev.colony.validation.scenarios;

/**
 * Node B of the Redis scenarios, the receiving side, as the scenarios on node A see it: one-line commands of
 * {@link NodeBWork}, each answered by a {@link NodeBReply}. It runs in this JVM ({@link SameJvmNodeB}, for
 * comparison) or in a child JVM ({@link ChildJvmNodeB}, the default: the goals are between two JVMs).
 *
 * <p>Not thread-safe: the scenario sends its commands one after another.
 */
sealed interface NodeB extends AutoCloseable permits SameJvmNodeB, ChildJvmNodeB {
    /**
     * Runs {@code command} on node B and returns its reply.
     *
     * @param timeoutSeconds how long the answer may take before node B is deemed stuck
     * @throws IllegalStateException when node B answers with an error, is stuck, or its JVM exited
     */
    NodeBReply call(String command, int timeoutSeconds);

    /** Where node B runs, for the reports. */
    RedisNodes nodes();

    /** Stops node B (its JVM, in the child mode); idempotent. */
    @Override
    void close();
}
