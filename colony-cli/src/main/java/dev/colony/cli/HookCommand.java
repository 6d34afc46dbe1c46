package dev.colony.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@Command(
        name = "hook",
        mixinStandardHelpOptions = true,
        description = "Commands for a coding agent's hooks (such as Claude Code's UserPromptSubmit).",
        subcommands = {HookCommand.Inbox.class})
public final class HookCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a hook: inbox");
    }

    @Command(
            name = "inbox",
            mixinStandardHelpOptions = true,
            description = {
                "Prints the agent's mail not yet acknowledged (one line a message), and nothing when there is",
                "none; acknowledges nothing (inbox_read with 'after' does). Server and token from $COLONY_URL and",
                "$COLONY_TOKEN. Exit code 0, 1 when the server is unreachable or refuses, 2 on a usage error."
            })
    static final class Inbox implements Callable<Integer> {
        private static final JsonMapper JSON = JsonMapper.builder().build();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(
                names = "--agent",
                paramLabel = "ID",
                description = "The agent id joined with (default: $COLONY_AGENT).")
        String agent;

        @Option(names = "--max", paramLabel = "N", description = "At most N messages (default: ${DEFAULT-VALUE}).")
        int max = 20;

        @Override
        public Integer call() throws Exception {
            String id = agent != null ? agent : System.getenv("COLONY_AGENT");
            if (id == null || id.isBlank()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "give --agent ID or set COLONY_AGENT");
            }
            if (max < 1 || max > 1000) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--max must be from 1 to 1000, got " + max);
            }
            String base = McpCommand.envOr("COLONY_URL", McpCommand.DEFAULT_URL).replaceAll("/+$", "");
            URI uri = URI.create(base + "/v1/agents/" + URLEncoder.encode(id.strip(), StandardCharsets.UTF_8)
                    + "/inbox?after=0&max=" + max);
            HttpResponse<String> response = get(uri, System.getenv("COLONY_TOKEN"));
            JsonNode body = JSON.readTree(response.body());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the server answered " + response.statusCode() + " "
                        + body.path("code").asString("") + ": "
                        + body.path("detail").asString(response.body()));
            }
            PrintWriter out = spec.commandLine().getOut();
            for (JsonNode n : body.path("messages")) {
                JsonNode m = n.path("message");
                out.println("colony mail #" + n.path("seq").asLong() + " from "
                        + m.path("from").asString("?") + " (" + m.path("type").asString("") + "): "
                        + JSON.writeValueAsString(m.path("payload")));
            }
            out.flush();
            return 0;
        }

        private static HttpResponse<String> get(URI uri, String token) throws InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
            if (token != null && !token.isBlank()) {
                request.header("Authorization", "Bearer " + token.strip());
            }
            try {
                return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                String why = e instanceof ConnectException
                        ? "connection refused"
                        : e.getClass().getSimpleName();
                throw new IllegalStateException("no colony server at " + uri.resolve("/") + " (" + why + ")");
            }
        }
    }
}
