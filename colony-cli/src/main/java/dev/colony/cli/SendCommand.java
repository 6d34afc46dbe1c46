package dev.colony.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code colony send TO TYPE JSON}: puts one message into an agent's inbox through a server. */
@Command(
        name = "send",
        mixinStandardHelpOptions = true,
        description = {
            "Sends a message to an agent's inbox on a colony serve.",
            "",
            "Example: colony send --from ops worker-7 pause '{\"reason\":\"deploy\"}'",
            "Exit code 0 delivered, 1 when the server refuses (no such agent, mailbox full) or cannot be reached,"
                    + " 2 on a usage error."
        })
final class SendCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ServerOptions server;

    @Option(names = "--from", paramLabel = "ID", description = "The sender's agent id (default: ${DEFAULT-VALUE}).")
    String from = "colony-cli";

    @Option(names = "--priority", paramLabel = "0-9", description = "Message priority.")
    Integer priority;

    @Parameters(index = "0", paramLabel = "TO", description = "The recipient agent id.")
    String to;

    @Parameters(index = "1", paramLabel = "TYPE", description = "The message type.")
    String type;

    @Parameters(index = "2", paramLabel = "JSON", description = "The payload, as JSON.")
    String payload;

    @Override
    public Integer call() {
        if (priority != null && (priority < 0 || priority > 9)) {
            throw ServerOptions.usage(spec.commandLine(), "--priority must be from 0 to 9, got " + priority);
        }
        ObjectNode body = ServerClient.JSON.createObjectNode();
        body.put("from", from);
        body.put("to", to);
        body.put("type", type);
        body.set("payload", Query.json(spec.commandLine(), "JSON", payload));
        if (priority != null) {
            body.put("priority", priority);
        }
        JsonNode result = server.client(spec.commandLine()).post("/v1/messages", body);
        return Query.print(
                spec,
                server.json
                        ? ServerClient.JSON.writeValueAsString(result)
                        : "delivered message " + TextTable.cell(result, "id") + " to " + to);
    }
}
