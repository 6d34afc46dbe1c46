package dev.colony.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options every operator command shares: the server ({@code --url}), where its token comes from
 * ({@code --token-file}, else {@code $COLONY_TOKEN}; never the command line, where other users could read
 * it) and {@code --json} output for scripts.
 */
final class ServerOptions {
    /** The environment variable holding the bearer token when no {@code --token-file} is given. */
    static final String TOKEN_ENV = "COLONY_TOKEN";

    @Option(
            names = "--url",
            paramLabel = "URL",
            description = "The colony serve to talk to (default: ${DEFAULT-VALUE}).")
    String url = "http://127.0.0.1:7070";

    @Option(
            names = "--token-file",
            paramLabel = "FILE",
            description = "Read the bearer token from the first line of FILE (default: $" + TOKEN_ENV + ").")
    Path tokenFile;

    @Option(names = "--json", description = "Print JSON (one document, or one per line for streams) for scripts.")
    boolean json;

    /** A client for the server these options name; usage errors for a bad URL or a missing token. */
    ServerClient client(CommandLine commandLine) {
        return client(commandLine, System.getenv());
    }

    ServerClient client(CommandLine commandLine, Map<String, String> env) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw usage(commandLine, "invalid --url \"" + url + "\": " + e.getMessage());
        }
        if (!List.of("http", "https").contains(String.valueOf(uri.getScheme())) || uri.getHost() == null) {
            throw usage(commandLine, "invalid --url \"" + url + "\": give http://host:port or https://host:port");
        }
        return new ServerClient(uri, token(commandLine, env));
    }

    private String token(CommandLine commandLine, Map<String, String> env) {
        if (tokenFile != null) {
            try {
                List<String> lines = Files.readAllLines(tokenFile);
                if (lines.isEmpty() || lines.getFirst().isBlank()) {
                    throw usage(commandLine, "--token-file " + tokenFile + " is empty");
                }
                return lines.getFirst().strip();
            } catch (IOException e) {
                throw usage(commandLine, "--token-file " + tokenFile + " cannot be read: " + Main.oneLine(e));
            }
        }
        String token = env.get(TOKEN_ENV);
        if (token == null || token.isBlank()) {
            throw usage(commandLine, "no token: give --token-file FILE or set $" + TOKEN_ENV);
        }
        return token.strip();
    }

    static CommandLine.ParameterException usage(CommandLine commandLine, String message) {
        return new CommandLine.ParameterException(commandLine, message);
    }
}
