package dev.colony.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} for tests: started on a free loopback port in a temporary directory,
 * stopped by its pid. {@link #restart()} stops it and starts it again on the same port and directory,
 * so with {@code appendonly} data survives, as across a real Redis restart.
 *
 * <p>Fails with a clear message when {@code redis-server} is not installed ({@code .ci/run} installs it).
 */
public final class RedisServer implements AutoCloseable {

    private final Path dir;
    private final boolean appendOnly;
    private final int port;
    private final List<String> extraArgs;
    private Process process;

    private RedisServer(Path dir, int port, boolean appendOnly, List<String> extraArgs) {
        this.dir = dir;
        this.port = port;
        this.appendOnly = appendOnly;
        this.extraArgs = List.copyOf(extraArgs);
    }

    /** Starts a server without persistence. */
    public static RedisServer start() {
        return start(false);
    }

    /** Starts a server; with {@code appendOnly}, every write is in the append-only file, fsynced always. */
    public static RedisServer start(boolean appendOnly) {
        return start(appendOnly, List.of());
    }

    /**
     * Starts a server with {@code extraArgs} added to its command line; {@code {port2}} in them is replaced by
     * a second free port (for {@code --tls-port}), see {@link #secondPort()}.
     */
    public static RedisServer start(boolean appendOnly, List<String> extraArgs) {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                int second = freePort();
                List<String> args = extraArgs.stream()
                        .map(arg -> arg.replace("{port2}", Integer.toString(second)))
                        .toList();
                RedisServer server =
                        new RedisServer(Files.createTempDirectory("colony-redis-"), freePort(), appendOnly, args);
                server.secondPort = second;
                server.launch();
                return server;
            } catch (IOException e) {
                last = e; // most likely the port was taken between choosing and binding it
            }
        }
        throw new UncheckedIOException("could not start redis-server", last);
    }

    private int secondPort;

    /** The port that replaced {@code {port2}} in the extra arguments (the TLS port, say). */
    public int secondPort() {
        return secondPort;
    }

    /** The server's port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The URI of this server: {@code redis://127.0.0.1:<port>} (the swarm is named separately). */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** A colony builder for swarm {@code swarm} on this server. */
    public dev.colony.Colony.Builder colony(String swarm) {
        return dev.colony.Colony.builder().redis(uri()).swarm(swarm);
    }

    /** The target of swarm {@code swarm} on this server. */
    public RedisTarget target(String swarm) {
        return RedisTarget.of(uri(), swarm);
    }

    /** The server process's pid. */
    public long pid() {
        return process.pid();
    }

    /** Whether the server process is alive. */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops the server (SIGTERM, then SIGKILL after 10 s) and waits for it to exit. */
    public void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Kills the server at once (SIGKILL), as a crash would. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Pauses the server process (SIGSTOP): it keeps its connections and answers nothing until resumed. */
    public void pause() {
        signal("-STOP");
    }

    /** Resumes a paused server (SIGCONT); it then serves what its clients sent meanwhile, in order. */
    public void resume() {
        signal("-CONT");
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(pid()))
                    .redirectErrorStream(true)
                    .start();
            String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill " + signal + " " + pid() + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run kill " + signal, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling redis-server", e);
        }
    }

    /** Stops the server and starts it again on the same port and directory. */
    public void restart() {
        stop();
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException("could not restart redis-server on port " + port, e);
        }
    }

    /** Sends one command in the inline protocol and returns the raw reply (for checks and FLUSHALL). */
    public String command(String inline) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            int read = in.read(buffer);
            return read < 0 ? "" : new String(buffer, 0, read, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("redis command '" + inline + "' failed on port " + port, e);
        }
    }

    /** Stops the server and deletes its directory. */
    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // a leftover temporary directory is not worth failing a test for
        }
    }

    private void launch() throws IOException {
        List<String> command = new ArrayList<>(List.of(
                executable(),
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--dir",
                dir.toString(),
                "--save",
                "",
                "--daemonize",
                "no",
                "--protected-mode",
                "yes",
                "--loglevel",
                "warning",
                "--logfile",
                dir.resolve("redis.log").toString()));
        if (appendOnly) {
            command.addAll(List.of("--appendonly", "yes", "--appendfsync", "always"));
        } else {
            command.addAll(List.of("--appendonly", "no"));
        }
        command.addAll(extraArgs);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.out").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited with " + process.exitValue() + " on port " + port + ": "
                        + tail(dir.resolve("redis.log")) + tail(dir.resolve("redis.out")));
            }
            if (answersPing()) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting redis-server", e);
            }
        }
        process.destroyForcibly();
        throw new IOException("redis-server did not answer PING within 20 s on port " + port);
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            socket.setSoTimeout(1_000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] reply = new byte[7];
            int read = socket.getInputStream().read(reply);
            return read > 0 && new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private static String executable() {
        for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String entry : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(entry, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException("redis-server is not installed; the Redis tests start their own server. "
                + "Install it with: apt-get update && apt-get install -y redis-server (.ci/run does this)");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path file) {
        try {
            String text = Files.readString(file);
            return text.length() > 500 ? text.substring(text.length() - 500) : text;
        } catch (IOException e) {
            return "";
        }
    }
}
