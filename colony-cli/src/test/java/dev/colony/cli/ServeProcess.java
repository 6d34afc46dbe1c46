package dev.colony.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@code colony serve} in a process of its own (the command runs until the process is stopped), started with
 * this test's class path and {@code env} added to the environment; {@link #uri} is where it listens, read from
 * its first line. {@link #close} stops it as SIGTERM would and waits for it.
 */
record ServeProcess(Process process, URI uri) implements AutoCloseable {
    private static final String LISTENING = "colony serve: listening on ";

    static ServeProcess start(Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElseThrow(),
                "-Xshare:off",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "serve"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(env);
        Process process = builder.start();
        String line =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (line == null || !line.startsWith(LISTENING)) {
            process.destroy();
        }
        assertThat(line).as("the first line of colony serve").startsWith(LISTENING);
        return new ServeProcess(
                process, URI.create(line.substring(LISTENING.length()).split(" ")[0]));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
