package dev.colony.cli;

import dev.colony.Colony;
import dev.colony.state.Names;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/** {@code colony leaders GROUP...}: who leads each leader group (or holds each named lock), and its term. */
@Command(
        name = "leaders",
        mixinStandardHelpOptions = true,
        description = {
            "Shows the leader and term of each named leader group (or named lock) of a colony serve (or, with"
                    + " --redis, of a swarm in Redis).",
            "",
            "Exit code 0 ok, 1 when the server refuses or cannot be reached, 2 on a usage error."
        })
final class LeadersCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ServerOptions server;

    @CommandLine.Mixin
    RedisOptions redis;

    @Parameters(arity = "1..*", paramLabel = "GROUP", description = "The groups to show.")
    List<String> groups;

    @Override
    public Integer call() {
        ArrayNode leaders = ServerClient.JSON.createArrayNode();
        if (redis.given()) {
            RedisOptions.valid(
                    spec,
                    () -> groups.stream()
                            .map(group -> Names.token(group, "group"))
                            .toList());
            try (Colony colony = redis.connect(spec)) {
                for (String group : groups) {
                    leaders.add(RedisOptions.leader(
                            group,
                            colony.leaders().leader(group).orElse(null),
                            colony.leaders().currentTerm(group)));
                }
            }
        } else {
            ServerClient client = server.client(spec.commandLine());
            for (String group : groups) {
                leaders.add(client.get("/v1/leaders/" + ServerClient.encode(group)));
            }
        }
        if (server.json) {
            return Query.print(spec, ServerClient.JSON.writeValueAsString(leaders));
        }
        TextTable table = new TextTable("GROUP", "LEADER", "TERM", "EXPIRES");
        for (JsonNode l : leaders) {
            table.row(
                    TextTable.cell(l, "group"),
                    l.has("leader") ? TextTable.cell(l, "leader") : "(none)",
                    TextTable.cell(l, "term"),
                    TextTable.cell(l, "expiresAt"));
        }
        return Query.print(spec, table.render("no groups").stripTrailing());
    }
}
