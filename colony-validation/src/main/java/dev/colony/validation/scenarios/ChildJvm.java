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
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM the bench talks to by lines (node B, ADR 0058; the fan-out clients, ADR 0079): commands go to
 * its standard input, one a line; answers come one a line on its standard output; the last {@value
 * #STDERR_LINES} lines of its standard error are kept for the error that says why it failed. Secrets travel in
 * its environment, never on its command line.
 *
 * <p>It never outlives the bench: {@link #close} asks it to exit and then kills it, and the child exits by itself
 * when its standard input closes (when this JVM exits, however it exits).
 */
final class ChildJvm implements AutoCloseable {
    static final int STDERR_LINES = 20;
    /** Put after the child's last line; no answer starts with a NUL character. */
    private static final String EOF = "\u0000end of the child's output";

    private final String name;
    private final Process process;
    private final OutputStream commands;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Deque<String> stderr = new ArrayDeque<>();
    private final Thread stderrReader;
    private boolean closed;

    private ChildJvm(String name, String threads, Process process) {
        this.name = name;
        this.process = process;
        this.commands = process.getOutputStream();
        Thread.ofPlatform().daemon().name(threads + "-stdout").start(this::readLines);
        this.stderrReader =
                Thread.ofPlatform().daemon().name(threads + "-stderr").start(this::readErrors);
    }

    /**
     * Starts {@code command} with {@code environment} added; {@code name} names it in errors ("node B's JVM"),
     * {@code threads} prefixes its reader threads' names.
     *
     * @throws IllegalStateException when the process cannot start
     */
    static ChildJvm start(String name, String threads, List<String> command, Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        try {
            return new ChildJvm(name, threads, builder.start());
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + name + " (" + command.getFirst() + "): " + e);
        }
    }

    /** The start of a child's command line: this JVM's {@code java} binary and its {@link #jvmFlags}. */
    static List<String> java() {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmFlags());
        return command;
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

    /** Sends {@code command} and returns the child's next line. */
    String call(String command, int timeoutSeconds) {
        if (closed) {
            throw new IllegalStateException(name + " is closed");
        }
        try {
            commands.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            commands.flush();
        } catch (IOException e) {
            throw exited(command); // its standard input is closed: it exited
        }
        return await(command, timeoutSeconds);
    }

    /** The child's next line, waited for {@code timeoutSeconds}; {@code command} names what it answers. */
    String await(String command, int timeoutSeconds) {
        String line;
        try {
            line = lines.poll(timeoutSeconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name + "'s answer to '" + command + "'");
        }
        if (line == null) {
            throw new IllegalStateException(name + " (pid " + pid() + ") did not answer '" + command + "' within "
                    + timeoutSeconds + " s; the last lines of its stderr:" + stderrTail());
        }
        if (EOF.equals(line)) {
            lines.offer(EOF); // every later call sees it too
            throw exited(command);
        }
        return line;
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
        return new IllegalStateException(name + " (pid " + pid() + ") exited with code " + code + " during '" + command
                + "'; the last lines of its stderr:" + stderrTail());
    }

    private String stderrTail() {
        synchronized (stderr) {
            return stderr.isEmpty() ? " (none)" : "\n  " + String.join("\n  ", stderr);
        }
    }

    private void readLines() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the child is gone: the sentinel says so
        } finally {
            lines.add(EOF);
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
