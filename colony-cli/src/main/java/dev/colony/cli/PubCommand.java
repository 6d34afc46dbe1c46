package dev.colony.cli;

import dev.colony.Colony;
import dev.colony.bus.Event;
import dev.colony.bus.Subject;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code colony pub SUBJECT JSON}: publishes one event through a server, like {@code nats pub}, or with
 * {@code --redis} on the swarm's bus in Redis (the counts are then those of the CLI's own node: pub/sub does
 * not tell a publisher who received an event elsewhere; {@code dropped} 1 says the event did not leave).
 */
@Command(
        name = "pub",
        mixinStandardHelpOptions = true,
        description = {
            "Publishes a JSON payload on a subject of a colony serve (or, with --redis, of a swarm in Redis).",
            "",
            "Example: colony pub orders.new '{\"id\":42}'",
            "Exit code 0 ok, 1 when the server refuses or cannot be reached, 2 on a usage error."
        })
final class PubCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ServerOptions server;

    @CommandLine.Mixin
    RedisOptions redis;

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
        JsonNode result;
        if (redis.given()) {
            Event event = RedisOptions.valid(
                    spec,
                    () -> new Event(Subject.of(subject), body, priority == null ? Event.NORMAL_PRIORITY : priority));
            try (Colony colony = redis.connect(spec)) {
                result = RedisOptions.published(colony.bus().publish(event));
            }
        } else {
            result = server.client(spec.commandLine())
                    .post(
                            "/v1/events/" + ServerClient.encode(subject)
                                    + Query.of("priority", priority == null ? null : priority.toString()),
                            body);
        }
        return Query.print(
                spec,
                server.json
                        ? ServerClient.JSON.writeValueAsString(result)
                        : "published on " + subject + ": matched " + TextTable.cell(result, "matched") + ", accepted "
                                + TextTable.cell(result, "accepted") + ", dropped "
                                + TextTable.cell(result, "dropped"));
    }
}
