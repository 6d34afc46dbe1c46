package dev.colony.cli;

import dev.colony.Colony;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.RawJson;
import dev.colony.messaging.SendOutcome;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code colony send TO TYPE JSON}: puts one message into an agent's inbox through a server, or with
 * {@code --redis} through the swarm's messenger in Redis (to an agent served by any node of the swarm).
 */
@Command(
        name = "send",
        mixinStandardHelpOptions = true,
        description = {
            "Sends a message to an agent's inbox on a colony serve (or, with --redis, in a swarm in Redis).",
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

    @CommandLine.Mixin
    RedisOptions redis;

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
        JsonNode json = Query.json(spec.commandLine(), "JSON", payload);
        JsonNode result;
        if (redis.given()) {
            result = sendInRedis(json);
        } else {
            ObjectNode body = ServerClient.JSON.createObjectNode();
            body.put("from", from);
            body.put("to", to);
            body.put("type", type);
            body.set("payload", json);
            if (priority != null) {
                body.put("priority", priority);
            }
            result = server.client(spec.commandLine()).post("/v1/messages", body);
        }
        return Query.print(
                spec,
                server.json
                        ? ServerClient.JSON.writeValueAsString(result)
                        : "delivered message " + TextTable.cell(result, "id") + " to " + to);
    }

    /** Sends through the swarm's messenger; an undelivered message is a refusal with the API's code. */
    private JsonNode sendInRedis(JsonNode json) {
        Envelope message = RedisOptions.valid(spec, () -> {
            Envelope m = Envelope.of(
                    AgentId.of(from), AgentId.of(to), type, new RawJson(ServerClient.JSON.writeValueAsString(json)));
            return priority == null ? m : m.withPriority(priority);
        });
        SendOutcome outcome;
        try (Colony colony = redis.connect(spec)) {
            outcome = colony.messenger().send(message);
        }
        return switch (outcome) {
            case DELIVERED -> RedisOptions.sent(outcome, message.id());
            case NO_SUCH_AGENT -> throw RedisOptions.refused("NO_SUCH_AGENT", "agent \"" + to + "\" has no open inbox");
            case MAILBOX_FULL ->
                throw RedisOptions.refused("MAILBOX_FULL", "the inbox of \"" + to + "\" is full; retry later");
            case EXPIRED -> throw RedisOptions.refused("EXPIRED", "the message expired before delivery");
            case REJECTED -> throw RedisOptions.refused("REJECTED", "the inbox of \"" + to + "\" rejected the message");
        };
    }
}
