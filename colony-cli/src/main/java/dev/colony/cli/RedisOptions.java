package dev.colony.cli;

import dev.colony.Colony;
import dev.colony.bus.PublishResult;
import dev.colony.cli.args.RedisUri;
import dev.colony.messaging.SendOutcome;
import dev.colony.state.AgentRecord;
import dev.colony.state.Leadership;
import dev.colony.state.MemoryEntry;
import dev.colony.state.Task;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * The options of the commands that can use a swarm in Redis directly (the operator commands without a
 * server, and {@code colony serve}):
 * {@code --redis URI --swarm NAME}, the password from {@code --password-file} or the environment as for
 * {@code colony swarm drop}; {@code --url} and {@code --redis} exclude each other. The records read are turned
 * into the JSON shapes of the {@code /v1} API, so a table or {@code --json} output looks the same either way
 * (names are the swarm's own: no account prefix), and a refusal of the swarm is one line with the API's code.
 */
final class RedisOptions {
    /** The prefix of the capability by which {@code colony serve} marks a task type an agent takes. */
    static final String TYPE_MARK = "_t-";

    @Option(
            names = "--redis",
            paramLabel = "URI",
            description = "The swarm in this Redis (redis://[user@]host[:port][/db]) instead of a server (for serve:"
                    + " instead of an embedded colony).")
    String redis;

    @Option(
            names = "--swarm",
            paramLabel = "NAME",
            description = "With --redis: the swarm (default: ${DEFAULT-VALUE}).")
    String swarm = "default";

    @Option(
            names = "--password-file",
            paramLabel = "FILE",
            description =
                    "With --redis: the password, from the first line of FILE (or $" + RedisUri.PASSWORD_ENV + ").")
    Path passwordFile;

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;

    /**
     * Whether {@code --redis} was given; a usage error for {@code --swarm} or {@code --password-file} without
     * it (they would be silently ignored, and the command would talk to a server instead).
     */
    boolean given() {
        if (redis == null && mixee != null) {
            for (String option : List.of("--swarm", "--password-file")) {
                if (mixee.commandLine().getParseResult().hasMatchedOption(option)) {
                    throw ServerOptions.usage(mixee.commandLine(), option + " goes with --redis");
                }
            }
        }
        return redis != null;
    }

    /**
     * A colony client of the swarm; usage errors for {@code --url} given too, a bad URI or swarm, a password in
     * the URI or an unreadable password file, all before anything connects.
     */
    Colony connect(CommandLine.Model.CommandSpec spec) {
        if (spec.commandLine().getParseResult().hasMatchedOption("--url")) {
            throw ServerOptions.usage(
                    spec.commandLine(),
                    "--url and --redis exclude each other: --url talks to a colony serve, --redis to the swarm"
                            + " in Redis; give one");
        }
        return Colony.builder().redis(resolve(spec)).swarm(swarm).build();
    }

    /** The URI to connect with, password added ({@link RedisUri#resolve}). */
    String resolve(CommandLine.Model.CommandSpec spec) {
        return RedisUri.resolve(spec, redis, swarm, passwordFile, System.getenv());
    }

    /**
     * What {@code check} returns (a name or value validated before anything connects); its refusal, an
     * {@link IllegalArgumentException}, is a usage error.
     */
    static <T> T valid(CommandLine.Model.CommandSpec spec, Supplier<T> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            throw ServerOptions.usage(spec.commandLine(), e.getMessage());
        }
    }

    /** A refusal of the swarm, as the CLI prints it: {@code CODE: detail}, exit code 1. */
    static ServerClient.ServerException refused(String code, String detail) {
        return new ServerClient.ServerException(code + ": " + detail);
    }

    /** A memory entry as {@code GET /v1/memory/{ns}/{key}} answers it. */
    static ObjectNode entry(MemoryEntry e) {
        ObjectNode n = ServerClient.JSON.createObjectNode();
        n.put("namespace", e.namespace());
        n.put("key", e.key());
        n.set("value", stored(e.value()));
        n.put("version", e.version());
        if (e.expiresAt() != null) {
            n.put("expiresAt", e.expiresAt().toString());
        }
        return n;
    }

    /** A publish's counts as {@code POST /v1/events/{subject}} answers them (over Redis: this node's only). */
    static ObjectNode published(PublishResult r) {
        ObjectNode n = ServerClient.JSON.createObjectNode();
        n.put("matched", r.matched());
        n.put("accepted", r.accepted());
        n.put("dropped", r.dropped());
        n.put("rejected", r.rejected());
        n.put("failed", r.failed());
        return n;
    }

    /** A delivered message as {@code POST /v1/messages} answers it. */
    static ObjectNode sent(SendOutcome outcome, String id) {
        ObjectNode n = ServerClient.JSON.createObjectNode();
        n.put("outcome", outcome.name());
        n.put("id", id);
        return n;
    }

    /**
     * An event's payload as JSON: a tree from the Redis bus (maps, lists, strings, numbers) as it is, bytes
     * parsed as JSON, any other value by Jackson's data binding, else its text.
     */
    static JsonNode payload(Object payload) {
        if (payload instanceof byte[] bytes) {
            return stored(bytes);
        }
        try {
            return ServerClient.JSON.valueToTree(payload);
        } catch (JacksonException e) {
            return StringNode.valueOf(String.valueOf(payload));
        }
    }

    /** Stored bytes (a memory value) as JSON: parsed if they are JSON, else a string, as the server shows them. */
    static JsonNode stored(byte[] bytes) {
        try {
            JsonNode node = ServerClient.JSON.readTree(bytes);
            return node == null || node.isMissingNode() ? StringNode.valueOf("") : node;
        } catch (JacksonException e) {
            return StringNode.valueOf(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    /**
     * An agent as {@code GET /v1/agents} lists it: the capabilities that mark a task type a server's agent
     * takes ({@value #TYPE_MARK}{@code <type>}) are its {@code types}.
     */
    static ObjectNode agent(AgentRecord a) {
        ObjectNode n = ServerClient.JSON.createObjectNode();
        n.put("id", a.id().value());
        n.put("role", a.role());
        List<String> capabilities = a.capabilities().stream().sorted().toList();
        capabilities.stream().filter(c -> !c.startsWith(TYPE_MARK)).forEach(n.putArray("capabilities")::add);
        capabilities.stream()
                .filter(c -> c.startsWith(TYPE_MARK))
                .map(c -> c.substring(TYPE_MARK.length()))
                .forEach(n.putArray("types")::add);
        ObjectNode metadata = n.putObject("metadata");
        a.metadata().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> metadata.put(e.getKey(), e.getValue()));
        n.put("status", a.status().name());
        n.put("registeredAt", a.registeredAt().toString());
        n.put("lastHeartbeat", a.lastHeartbeat().toString());
        return n;
    }

    /** A task as {@code GET /v1/tasks/{id}} answers it; members without a value are left out, as there. */
    static ObjectNode task(Task t) {
        ObjectNode n = ServerClient.JSON.createObjectNode();
        n.put("id", t.spec().id());
        n.put("type", t.spec().type());
        n.put("status", t.status().name());
        n.put("priority", t.spec().priority());
        n.put("maxAttempts", t.spec().maxAttempts());
        n.put("attempts", t.attempts());
        t.spec().requiredCapabilities().stream()
                .filter(c -> !c.startsWith(TYPE_MARK))
                .sorted()
                .forEach(n.putArray("requiredCapabilities")::add);
        n.set("payload", stored(t.spec().payload()));
        putIfPresent(n, "holder", t.holder() == null ? null : t.holder().value());
        putIfPresent(n, "leaseExpiresAt", t.leaseExpiresAt());
        putIfPresent(n, "notBefore", t.notBefore());
        if (t.result() != null && t.result().length > 0) {
            n.set("result", stored(t.result()));
        }
        putIfPresent(n, "lastError", t.lastError());
        n.put("submittedAt", t.submittedAt().toString());
        return n;
    }

    /** A leader group as {@code GET /v1/leaders/{group}} answers it: without a leader, its current term only. */
    static ObjectNode leader(String group, Leadership l, long currentTerm) {
        ObjectNode n = ServerClient.JSON.createObjectNode();
        n.put("group", group);
        if (l == null) {
            n.put("term", currentTerm);
        } else {
            n.put("leader", l.leader().value());
            n.put("term", l.term());
            n.put("expiresAt", l.expiresAt().toString());
        }
        return n;
    }

    private static void putIfPresent(ObjectNode n, String name, Object value) {
        if (value != null) {
            n.put(name, value.toString());
        }
    }
}
