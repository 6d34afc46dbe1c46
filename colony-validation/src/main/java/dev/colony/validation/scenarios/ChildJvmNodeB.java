package dev.colony.validation.scenarios;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Node B in a child JVM (ADR 0058): the same {@code java} binary and class path as this JVM, running {@link
 * NodeBMain}. Commands go to its standard input, one a line; each reply is one JSON line on its standard
 * output; its standard error is kept, the last {@value ChildJvm#STDERR_LINES} lines, for the error that says why it
 * failed. The Redis URI (with its password, if any) travels in the environment, never on the command line.
 *
 * <p>The child never outlives its parent: {@link #close} asks it to exit and then kills it, and the child
 * exits by itself when its standard input closes (when this JVM exits, however it exits).
 */
final class ChildJvmNodeB implements NodeB {
    static final String REDIS_ENV = "COLONY_BENCH_NODE_B_REDIS";
    /**
     * Extra JVM options for the child, split on whitespace, e.g. {@code -XX:StartFlightRecording=filename=b.jfr
     * -Xlog:disable} to profile node B (ADR 0063). The child's standard output is the reply pipe: JFR prints its
     * start-up notice there unless {@code -Xlog:disable} comes with it (an {@code -Xlog} output to stderr brings it back).
     */
    static final String OPTIONS_ENV = "COLONY_BENCH_NODE_B_JVM_OPTIONS";

    static final int START_SECONDS = 180;

    private static final int CLOCK_ROUNDS = 5;

    private final ChildJvm child;

    private ChildJvmNodeB(ChildJvm child) {
        this.child = child;
    }

    /**
     * Starts node B of {@code swarm} on {@code redis}'s server in a child JVM, waits until it is ready, and
     * checks that its {@link System#nanoTime} is this JVM's clock.
     *
     * @throws IllegalStateException when the child cannot start, exits, or its clock is another one; the
     *     child is then stopped
     */
    static ChildJvmNodeB start(RedisBench redis, String swarm) {
        ChildJvmNodeB node = new ChildJvmNodeB(
                ChildJvm.start("node B's JVM", "node-b", command(swarm), Map.of(REDIS_ENV, redis.uri())));
        try {
            NodeBReply ready = NodeBReply.parse(node.child.await("start", START_SECONDS));
            if (!Boolean.TRUE.equals(ready.ready())) {
                throw new IllegalStateException("node B's JVM began with '" + ready.line() + "', not ready");
            }
            node.checkClock();
            return node;
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
    }

    /** The child's command line: this JVM's binary, GC and heap flags, and class path. */
    static List<String> command(String swarm) {
        List<String> command = new ArrayList<>(ChildJvm.java());
        command.addAll(extraOptions(System.getenv(OPTIONS_ENV)));
        String logLevel = System.getProperty("org.slf4j.simpleLogger.log.dev.colony");
        if (logLevel != null) {
            command.add("-Dorg.slf4j.simpleLogger.log.dev.colony=" + logLevel);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), NodeBMain.class.getName(), swarm));
        return command;
    }

    /** The options of {@link #OPTIONS_ENV}'s value, split on whitespace; none when it is null or blank. */
    static List<String> extraOptions(String value) {
        return value == null || value.isBlank()
                ? List.of()
                : List.of(value.strip().split("\\s+"));
    }

    /** The child's process id. */
    long pid() {
        return child.pid();
    }

    /** The child's process, for tests. */
    Process process() {
        return child.process();
    }

    @Override
    public RedisNodes nodes() {
        return RedisNodes.TWO_JVMS;
    }

    @Override
    public NodeBReply call(String command, int timeoutSeconds) {
        NodeBReply reply = NodeBReply.parse(child.call(command, timeoutSeconds));
        if (reply.error() != null) {
            throw new IllegalStateException("node B's JVM (pid " + pid() + "): " + reply.error());
        }
        return reply;
    }

    /**
     * {@code clock} round trips: this JVM's nanoTime before, the child's, this JVM's after. On Linux both
     * read CLOCK_MONOTONIC, one clock for every process of the machine, so before ≤ child ≤ after each time.
     */
    private void checkClock() {
        for (int round = 0; round < CLOCK_ROUNDS; round++) {
            long before = System.nanoTime();
            long nodeB = call("clock", 60).nanoTime();
            long after = System.nanoTime();
            if (nodeB < before || nodeB > after) {
                throw new IllegalStateException("node B's System.nanoTime is not this JVM's clock (before " + before
                        + ", node B " + nodeB + ", after " + after + "): latencies across the two JVMs would be"
                        + " wrong; run with --redis-nodes one-jvm");
            }
        }
    }

    /** What the {@code clock} check established, for the reports. */
    static String clockBasis() {
        return "System.nanoTime in both JVMs: on Linux CLOCK_MONOTONIC, one clock for every process of the machine;"
                + " checked at start (" + CLOCK_ROUNDS + " round trips, each time A's before <= B's <= A's after)";
    }

    /** Asks the child to exit, closes its standard input, and kills it if it has not exited within 10 s. */
    @Override
    public void close() {
        child.close();
    }
}
