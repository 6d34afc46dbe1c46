package dev.colony.cli;

import dev.colony.Colony;
import dev.colony.state.Names;
import dev.colony.state.TaskStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/** {@code colony tasks}: a server's tasks by status, or one task by id, as a table or JSON. */
@Command(
        name = "tasks",
        mixinStandardHelpOptions = true,
        description = {
            "Lists the tasks of a colony serve or, with --redis, of a swarm in Redis (or shows one: colony tasks ID).",
            "",
            "Exit code 0 ok, 1 when the server refuses or cannot be reached, 2 on a usage error."
        })
final class TasksCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ServerOptions server;

    @CommandLine.Mixin
    RedisOptions redis;

    @Parameters(arity = "0..1", paramLabel = "ID", description = "Show this task only.")
    String id;

    @Option(
            names = "--status",
            paramLabel = "STATUS",
            description = "Tasks in this status: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    TaskStatus status = TaskStatus.QUEUED;

    @Option(names = "--limit", paramLabel = "N", description = "At most N tasks (default: ${DEFAULT-VALUE}).")
    int limit = 1000;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw ServerOptions.usage(spec.commandLine(), "--limit must be a positive number, got " + limit);
        }
        JsonNode tasks = redis.given() ? fromRedis() : fromServer();
        if (tasks.isEmpty() && id != null) {
            throw RedisOptions.refused("NO_SUCH_TASK", "no task \"" + id + "\" in swarm " + redis.swarm);
        }
        if (server.json) {
            return Query.print(spec, ServerClient.JSON.writeValueAsString(id != null ? tasks.get(0) : tasks));
        }
        TextTable table = new TextTable("ID", "TYPE", "STATUS", "ATTEMPTS", "HOLDER", "PRIORITY", "SUBMITTED");
        tasks.forEach(t -> table.row(
                TextTable.cell(t, "id"),
                TextTable.cell(t, "type"),
                TextTable.cell(t, "status"),
                TextTable.cell(t, "attempts") + "/" + TextTable.cell(t, "maxAttempts"),
                TextTable.cell(t, "holder"),
                TextTable.cell(t, "priority"),
                TextTable.cell(t, "submittedAt")));
        return Query.print(spec, table.render("no " + status + " tasks").stripTrailing());
    }

    private JsonNode fromServer() {
        ServerClient client = server.client(spec.commandLine());
        return id != null
                ? ServerClient.JSON.createArrayNode().add(client.get("/v1/tasks/" + ServerClient.encode(id)))
                : client.get("/v1/tasks" + Query.of("status", status.name(), "limit", Integer.toString(limit)))
                        .path("tasks");
    }

    private JsonNode fromRedis() {
        if (id != null) {
            RedisOptions.valid(spec, () -> Names.token(id, "task id"));
        }
        ArrayNode tasks = ServerClient.JSON.createArrayNode();
        try (Colony colony = redis.connect(spec)) {
            if (id != null) {
                colony.tasks().get(id).ifPresent(t -> tasks.add(RedisOptions.task(t)));
            } else {
                colony.tasks().byStatus(status).stream().limit(limit).forEach(t -> tasks.add(RedisOptions.task(t)));
            }
        }
        return tasks;
    }
}
