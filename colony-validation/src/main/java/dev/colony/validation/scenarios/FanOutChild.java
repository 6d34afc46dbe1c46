package dev.colony.validation.scenarios;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The fan-out clients' JVM ({@link FanOutClients}) seen from the bench: the same {@code java} binary, GC and
 * heap flags and class path as this JVM (as {@link ChildJvmNodeB}), the token in its environment. Commands go
 * to its standard input, answers come one a line on its standard output; the last {@value #STDERR_LINES} lines
 * of its standard error are kept for the error that says why it failed. It never outlives the bench: {@link
 * #close} asks it to exit and then kills it, and it exits by itself when its standard input closes.
 */
final class FanOutChild implements AutoCloseable {
    static final int STDERR_LINES = 20;
    private static final String EOF = "\u0000end of the fan-out clients' output";

    /** One round's answer (see {@link FanOutClients}); counts are the round's. */
    record Result(
            long publishNanos,
            long answered,
            long deliverNanos,
            long counted,
            long wrong,
            long broken,
            long ended,
            long chunks,
            long cpuNanos,
            Histogram latency) {
        static Result parse(String line) {
            String[] r = line.split(" ");
            if (r.length != 11 || !r[0].equals("result")) {
                throw new IllegalStateException("the fan-out clients answered '" + line + "', not a result");
            }
            byte[] bytes = Base64.getDecoder().decode(r[10]);
            try {
                return new Result(
                        Long.parseLong(r[1]),
                        Long.parseLong(r[2]),
                        Long.parseLong(r[3]),
                        Long.parseLong(r[4]),
                        Long.parseLong(r[5]),
                        Long.parseLong(r[6]),
                        Long.parseLong(r[7]),
                        Long.parseLong(r[8]),
                        Long.parseLong(r[9]),
                        Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0));
            } catch (java.util.zip.DataFormatException e) {
                throw new IllegalStateException("the fan-out clients' latency histogram is unreadable: " + e);
            }
        }
    }

    private final Process process;
    private final OutputStream commands;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Deque<String> stderr = new ArrayDeque<>();
    private boolean closed;

    private FanOutChild(Process process) {
        this.process = process;
        this.commands = process.getOutputStream();
        Thread.ofPlatform().daemon().name("fan-out-clients-stdout").start(this::readLines);
        Thread.ofPlatform().daemon().name("fan-out-clients-stderr").start(this::readErrors);
    }

    /**
     * Starts the clients with {@code subscribers} SSE subscribers on the server at {@code port} and waits until
     * every subscription is answered; {@code ignore} ({@code <subscriber> <n>}) is a test's, or null.
     *
     * @throws IllegalStateException when the JVM cannot start or its subscribers cannot connect (then it is stopped)
     */
    static FanOutChild start(int port, String token, int subscribers, long[] ignore, int timeoutSeconds) {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(ChildJvmNodeB.jvmFlags());
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                FanOutClients.class.getName(),
                Integer.toString(port),
                Integer.toString(subscribers)));
        if (ignore != null) {
            command.addAll(List.of(Long.toString(ignore[0]), Long.toString(ignore[1])));
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put(FanOutClients.TOKEN_ENV, token);
        FanOutChild child;
        try {
            child = new FanOutChild(builder.start());
        } catch (IOException e) {
            throw new IllegalStateException(
                    "could not start the fan-out clients' JVM (" + command.getFirst() + "): " + e);
        }
        try {
            String line = child.await("start", timeoutSeconds);
            if (!line.equals("connected")) {
                throw new IllegalStateException("the fan-out clients began with '" + line + "', not connected");
            }
            return child;
        } catch (RuntimeException e) {
            child.close();
            throw e;
        }
    }

    private static String java() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Runs one round (see {@link FanOutClients}) and returns its result. */
    Result round(String subject, long first, int count, int rate, int timeoutSeconds) {
        String command = "round " + subject + " " + first + " " + count + " " + rate + " " + timeoutSeconds;
        try {
            commands.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            commands.flush();
        } catch (IOException e) {
            throw exited(command);
        }
        // the round's own timeout, then as long again for publishing under load
        return Result.parse(await(command, 2 * timeoutSeconds + 60));
    }

    private String await(String command, int timeoutSeconds) {
        String line;
        try {
            line = lines.poll(timeoutSeconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the fan-out clients' '" + command + "'");
        }
        if (line == null) {
            throw new IllegalStateException("the fan-out clients (pid " + process.pid() + ") did not answer '" + command
                    + "' within " + timeoutSeconds + " s; the last lines of their stderr:" + stderrTail());
        }
        if (EOF.equals(line)) {
            lines.offer(EOF);
            throw exited(command);
        }
        return line;
    }

    private IllegalStateException exited(String command) {
        String code;
        try {
            code = process.waitFor(10, TimeUnit.SECONDS) ? String.valueOf(process.exitValue()) : "(still running)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            code = "(unknown: interrupted)";
        }
        return new IllegalStateException("the fan-out clients' JVM (pid " + process.pid() + ") exited with code " + code
                + " during '" + command + "'; the last lines of its stderr:" + stderrTail());
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

    /** Asks the clients to exit, closes their standard input, and kills them if they have not exited in 10 s. */
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
