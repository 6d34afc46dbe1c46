package dev.colony.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code colony pub SUBJECT JSON}: publishes one event through a server, like {@code nats pub}. */
@Command(
        name = "pub",
        mixinStandardHelpOptions = true,
        description = {
            "Publishes a JSON payload on a subject of a colony serve.",
            "",
            "Example: colony pub orders.new '{\"id\":42}'",
            "Exit code 0 ok, 1 when the server refuses or cannot be reached, 2 on a usage error."
        })
final class PubCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ServerOptions server;

    @Parameters(index = "0", paramLabel = "SUBJECT", description = "Dot-separated tokens: orders.new.")
    String subject;

    @Parameters(index = "1", paramLabel = "JSON", description = "The payload, as JSON.")
    String payload;

    @Option(names = "--priority", paramLabel = "0-9", description = "Event priority (default: the server's).")
    Integer priority;

    @Override
    public Integer call() {
        if (priority != null && (priority < 0 || priority > 9)) {
            throw ServerOptions.usage(spec.commandLine(), "--priority must be from 0 to 9, got " + priority);
        }
        JsonNode body = Query.json(spec.commandLine(), "JSON", payload);
        JsonNode result = server.client(spec.commandLine())
                .post(
                        "/v1/events/" + ServerClient.encode(subject)
                                + Query.of("priority", priority == null ? null : priority.toString()),
                        body);
        return Query.print(
                spec,
                server.json
                        ? ServerClient.JSON.writeValueAsString(result)
                        : "published on " + subject + ": matched " + TextTable.cell(result, "matched") + ", accepted "
                                + TextTable.cell(result, "accepted") + ", dropped "
                                + TextTable.cell(result, "dropped"));
    }
}
