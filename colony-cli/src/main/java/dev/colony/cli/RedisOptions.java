package dev.colony.cli;

import dev.colony.Colony;
import dev.colony.cli.args.RedisUri;
import dev.colony.cli.args.Secrets;
import dev.colony.state.AgentRecord;
import dev.colony.state.Leadership;
import dev.colony.state.Task;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import tools.jackson.databind.node.ObjectNode;

/**
 * The options of the operator commands that can read a swarm in Redis directly, without a server:
 * {@code --redis URI --swarm NAME}, the password from {@code --password-file} or the environment as for
 * {@code colony swarm drop}. The records read are turned into the JSON shapes of the {@code /v1} API, so a
 * table or {@code --json} output looks the same either way (names are the swarm's own: no account prefix).
 */
final class RedisOptions {
    @Option(
            names = "--redis",
            paramLabel = "URI",
            description = "Read the swarm in this Redis instead of a server: redis://[user@]host[:port][/db].")
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

    boolean given() {
        return redis != null;
    }

    /** A colony client of the swarm; usage errors for a bad URI or swarm, or a password in the URI. */
    Colony connect(CommandLine.Model.CommandSpec spec) {
        RedisUri.check(spec, "--redis", redis);
        RedisUri.checkSwarm(spec, "--swarm", swarm);
        if (redis.substring(redis.indexOf("://") + 3).matches("[^/@]*:[^/@]*@.*")) {
            throw ServerOptions.usage(
                    spec.commandLine(),
                    "--redis must not hold a password (it would be visible to other users): use --password-file or $"
                            + RedisUri.PASSWORD_ENV + ", got '" + Secrets.maskUri(redis) + "'");
        }
        String uri = RedisUri.withPassword(spec, redis, passwordFile, System.getenv());
        return Colony.builder().redis(uri).swarm(swarm).build();
    }

    static ObjectNode agent(AgentRecord a) {
        ObjectNode n = ServerClient.JSON.createObjectNode();
        n.put("id", a.id().value());
        n.put("role", a.role());
        a.capabilities().stream().sorted().forEach(n.putArray("capabilities")::add);
        ObjectNode metadata = n.putObject("metadata");
        a.metadata().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> metadata.put(e.getKey(), e.getValue()));
        n.put("status", a.status().name());
        n.put("registeredAt", a.registeredAt().toString());
        n.put("lastHeartbeat", String.valueOf(a.lastHeartbeat()));
        return n;
    }

    static ObjectNode task(Task t) {
        ObjectNode n = ServerClient.JSON.createObjectNode();
        n.put("id", t.spec().id());
        n.put("type", t.spec().type());
        n.put("status", t.status().name());
        n.put("priority", t.spec().priority());
        n.put("maxAttempts", t.spec().maxAttempts());
        n.put("attempts", t.attempts());
        t.spec().requiredCapabilities().stream().sorted().forEach(n.putArray("requiredCapabilities")::add);
        if (t.holder() != null) {
            n.put("holder", t.holder().value());
        }
        n.put("submittedAt", t.submittedAt().toString());
        return n;
    }

    static ObjectNode leader(String group, Leadership l) {
        ObjectNode n = ServerClient.JSON.createObjectNode();
        n.put("group", group);
        if (l != null) {
            n.put("leader", l.leader().value());
            n.put("term", l.term());
            n.put("expiresAt", l.expiresAt().toString());
        }
        return n;
    }
}
