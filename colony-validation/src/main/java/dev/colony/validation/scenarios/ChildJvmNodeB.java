package dev.colony.validation.scenarios;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Node B in a child JVM (ADR 0058): the same {@code java} binary and class path as this JVM, running {@link
 * NodeBMain}. Commands go to its standard input, one a line; each reply is one JSON line on its standard
 * output; its standard error is kept, the last {@value #STDERR_LINES} lines, for the error that says why it
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

    static final int STDERR_LINES = 20;
    static final int START_SECONDS = 180;
    /** Put after the child's last line; no JSON line starts with a NUL character. */
    private static final String EOF = "\u0000end of node B's output";

    private static final int CLOCK_ROUNDS = 5;

    private final Process process;
    private final OutputStream commands;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final Deque<String> stderr = new ArrayDeque<>();
    private final Thread stderrReader;
    private boolean closed;

    private ChildJvmNodeB(Process process) {
        this.process = process;
        this.commands = process.getOutputStream();
        Thread.ofPlatform().daemon().name("node-b-stdout").start(this::readReplies);
        this.stderrReader = Thread.ofPlatform().daemon().name("node-b-stderr").start(this::readErrors);
    }

    /**
     * Starts node B of {@code swarm} on {@code redis}'s server in a child JVM, waits until it is ready, and
     * checks that its {@link System#nanoTime} is this JVM's clock.
     *
     * @throws IllegalStateException when the child cannot start, exits, or its clock is another one; the
     *     child is then stopped
     */
    static ChildJvmNodeB start(RedisBench redis, String swarm) {
        ProcessBuilder builder = new ProcessBuilder(command(swarm));
        builder.environment().put(REDIS_ENV, redis.uri());
        ChildJvmNodeB node;
        try {
            node = new ChildJvmNodeB(builder.start());
        } catch (IOException e) {
            throw new IllegalStateException(
                    "could not start node B's JVM (" + builder.command().getFirst() + "): " + e);
        }
        try {
            NodeBReply ready = node.await("start", START_SECONDS);
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
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmFlags());
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

    /** This JVM's flags that shape the work's speed: the collector and the heap and stack sizes. */
    static List<String> jvmFlags() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(f -> f.startsWith("-Xmx")
                        || f.startsWith("-Xms")
                        || f.startsWith("-Xss")
                        || f.matches("-XX:[+-]Use[A-Za-z]*GC"))
                .toList();
    }

    /** The child's process id. */
    long pid() {
        return process.pid();
    }

    /** The child's process, for tests. */
    Process process() {
        return process;
    }

    @Override
    public RedisNodes nodes() {
        return RedisNodes.TWO_JVMS;
    }

    @Override
    public NodeBReply call(String command, int timeoutSeconds) {
        if (closed) {
            throw new IllegalStateException("node B is closed");
        }
        try {
            commands.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            commands.flush();
        } catch (IOException e) {
            throw exited(command); // its standard input is closed: it exited
        }
        NodeBReply reply = await(command, timeoutSeconds);
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
            long child = call("clock", 60).nanoTime();
            long after = System.nanoTime();
            if (child < before || child > after) {
                throw new IllegalStateException("node B's System.nanoTime is not this JVM's clock (before " + before
                        + ", node B " + child + ", after " + after + "): latencies across the two JVMs would be"
                        + " wrong; run with --redis-nodes one-jvm");
            }
        }
    }

    /** What the {@code clock} check established, for the reports. */
    static String clockBasis() {
        return "System.nanoTime in both JVMs: on Linux CLOCK_MONOTONIC, one clock for every process of the machine;"
                + " checked at start (" + CLOCK_ROUNDS + " round trips, each time A's before <= B's <= A's after)";
    }

    private NodeBReply await(String command, int timeoutSeconds) {
        String line;
        try {
            line = replies.poll(timeoutSeconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for node B's answer to '" + command + "'");
        }
        if (line == null) {
            throw new IllegalStateException("node B's JVM (pid " + pid() + ") did not answer '" + command + "' within "
                    + timeoutSeconds + " s; the last lines of its stderr:" + stderrTail());
        }
        if (EOF.equals(line)) {
            replies.offer(EOF); // every later call sees it too
            throw exited(command);
        }
        return NodeBReply.parse(line);
    }

    private IllegalStateException exited(String command) {
        String code;
        try {
            code = process.waitFor(10, TimeUnit.SECONDS) ? String.valueOf(process.exitValue()) : "(still running)";
            stderrReader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            code = "(unknown: interrupted)";
        }
        return new IllegalStateException("node B's JVM (pid " + pid() + ") exited with code " + code + " during '"
                + command + "'; the last lines of its stderr:" + stderrTail());
    }

    private String stderrTail() {
        synchronized (stderr) {
            return stderr.isEmpty() ? " (none)" : "\n  " + String.join("\n  ", stderr);
        }
    }

    private void readReplies() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                replies.add(line);
            }
        } catch (IOException e) {
            // the child is gone: the sentinel below says so
        } finally {
            replies.add(EOF);
        }
    }

    private void readErrors() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (stderr) {
                    if (stderr.size() == STDERR_LINES) {
                        stderr.removeFirst();
                    }
                    stderr.addLast(line);
                }
            }
        } catch (IOException e) {
            // the child is gone; what it wrote so far is kept
        }
    }

    /** Asks the child to exit, closes its standard input, and kills it if it has not exited within 10 s. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            commands.write("exit\n".getBytes(StandardCharsets.UTF_8));
            commands.close();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
