package dev.colony.cli;

import dev.colony.Colony;
import dev.colony.server.ColonyServer;
import dev.colony.server.auth.Guard;
import dev.colony.server.mcp.McpEndpoint;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "mcp",
        mixinStandardHelpOptions = true,
        description = {
            "An MCP server on standard input/output for one coding agent (claude mcp add colony -- colony mcp),",
            "bridged to a running colony serve at $COLONY_URL (default http://127.0.0.1:7070) with the token in",
            "$COLONY_TOKEN, so several agents share one colony. --embedded runs a private colony instead.",
            "",
            "Exit code 0 when standard input ends, 1 when no server answers or the token is missing or refused."
        })
public final class McpCommand implements Callable<Integer> {
    static final String DEFAULT_URL = "http://127.0.0.1:7070";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--embedded", description = "Run a private in-memory colony in this process (one agent).")
    boolean embedded;

    @Option(
            names = "--url",
            paramLabel = "URL",
            description = "The server (default: $COLONY_URL, else " + DEFAULT_URL + ").")
    String url;

    @Override
    public Integer call() throws Exception {
        StdioBridge bridge = null;
        if (!embedded) {
            URI base = URI.create(url != null ? url : envOr("COLONY_URL", DEFAULT_URL));
            String token = System.getenv("COLONY_TOKEN");
            bridge = new StdioBridge(base, token == null ? "" : token.strip());
            bridge.checkReachable();
            if (token == null || token.isBlank()) {
                throw new IllegalStateException("COLONY_TOKEN is not set: create one with `colony token create` and"
                        + " export it, or run `colony mcp --embedded` for a private colony");
            }
        }
        // standard output carries only MCP messages: anything else (a log line) would corrupt the stream
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        PrintStream previous = System.out;
        System.setOut(System.err);
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            if (embedded) {
                embedded(in, out);
            } else {
                bridge.relay(in, out);
            }
        } finally {
            System.setOut(previous);
        }
        return 0;
    }

    private static void embedded(BufferedReader in, PrintStream out) throws Exception {
        Path data = Files.createTempDirectory("colony-mcp-");
        try (Colony colony = Colony.embedded()) {
            Guard guard = Guard.open(data, colony.bus());
            String token = Files.readString(data.resolve("initial-admin-token")).strip();
            try (ColonyServer server = ColonyServer.builder()
                    .port(0)
                    .colony(colony)
                    .guard(guard)
                    .checkpointEvery(null)
                    .endpoint(McpEndpoint::create)
                    .build()
                    .start()) {
                new StdioBridge(server.uri(), token).relay(in, out);
            }
        } finally {
            try (var files = Files.walk(data)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value.strip();
    }
}
