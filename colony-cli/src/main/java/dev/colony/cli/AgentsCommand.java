package dev.colony.cli;

import dev.colony.Colony;
import dev.colony.state.AgentStatus;
import java.util.Comparator;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/** {@code colony agents}: the agents registered with a server, as a table or JSON. */
@Command(
        name = "agents",
        mixinStandardHelpOptions = true,
        description = {
            "Lists the agents registered with a colony serve (or, with --redis, in a swarm in Redis).",
            "",
            "Exit code 0 ok, 1 when the server refuses or cannot be reached, 2 on a usage error."
        })
final class AgentsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ServerOptions server;

    @CommandLine.Mixin
    RedisOptions redis;

    @Option(names = "--role", paramLabel = "ROLE", description = "Only agents of this role.")
    String role;

    @Option(
            names = "--status",
            paramLabel = "STATUS",
            description = "Only agents in this status: ${COMPLETION-CANDIDATES}.")
    AgentStatus status;

    @Override
    public Integer call() {
        JsonNode agents;
        if (redis.given()) {
            ArrayNode array = ServerClient.JSON.createArrayNode();
            try (Colony colony = redis.connect(spec)) {
                colony
                        .registry()
                        .select(a ->
                                (role == null || a.role().equals(role)) && (status == null || a.status() == status))
                        .stream()
                        .sorted(Comparator.comparing(a -> a.id().value()))
                        .forEach(a -> array.add(RedisOptions.agent(a)));
            }
            agents = array;
        } else {
            String query = Query.of("role", role, "status", status == null ? null : status.name());
            agents = server.client(spec.commandLine()).get("/v1/agents" + query).path("agents");
        }
        if (server.json) {
            return Query.print(spec, ServerClient.JSON.writeValueAsString(agents));
        }
        TextTable table = new TextTable("ID", "ROLE", "STATUS", "CAPABILITIES", "LAST-HEARTBEAT");
        agents.forEach(a -> table.row(
                TextTable.cell(a, "id"),
                TextTable.cell(a, "role"),
                TextTable.cell(a, "status"),
                TextTable.cell(a, "capabilities"),
                TextTable.cell(a, "lastHeartbeat")));
        return Query.print(spec, table.render("no agents").stripTrailing());
    }
}
