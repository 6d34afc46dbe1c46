package dev.colony.cli;

import dev.colony.Colony;
import dev.colony.state.Names;
import dev.colony.state.SharedMemory;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code colony memory get|put|del}: a server's shared memory, like {@code redis-cli get/set/del}. */
@Command(
        name = "memory",
        mixinStandardHelpOptions = true,
        description = {
            "Reads and writes the shared memory of a colony serve (or, with --redis, of a swarm in Redis).",
            "",
            "Exit code 0 ok, 1 when the server refuses (no such key, a version conflict) or cannot be reached,"
                    + " 2 on a usage error."
        },
        subcommands = {MemoryCommand.Get.class, MemoryCommand.Put.class, MemoryCommand.Del.class})
final class MemoryCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw ServerOptions.usage(spec.commandLine(), "missing subcommand: get, put or del");
    }

    static String path(String namespace, String key) {
        return "/v1/memory/" + ServerClient.encode(namespace) + "/" + ServerClient.encode(key);
    }

    /** The swarm of {@code redis} after checking the names (usage errors before anything connects). */
    static Colony connect(CommandLine.Model.CommandSpec spec, RedisOptions redis, String namespace, String key) {
        RedisOptions.valid(spec, () -> {
            Names.token(namespace, "namespace");
            return Names.key(key);
        });
        return redis.connect(spec);
    }

    static ServerClient.ServerException noSuchKey(String namespace, String key) {
        return RedisOptions.refused("NO_SUCH_KEY", "no entry \"" + key + "\" in namespace \"" + namespace + "\"");
    }

    @Command(
            name = "get",
            mixinStandardHelpOptions = true,
            description = "Prints the value of NAMESPACE KEY (with --json: the entry with its version).")
    static final class Get implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        ServerOptions server;

        @CommandLine.Mixin
        RedisOptions redis;

        @Parameters(index = "0", paramLabel = "NAMESPACE")
        String namespace;

        @Parameters(index = "1", paramLabel = "KEY")
        String key;

        @Override
        public Integer call() {
            JsonNode entry;
            if (redis.given()) {
                try (Colony colony = connect(spec, redis, namespace, key)) {
                    entry = RedisOptions.entry(
                            colony.memory().get(namespace, key).orElseThrow(() -> noSuchKey(namespace, key)));
                }
            } else {
                entry = server.client(spec.commandLine()).get(path(namespace, key));
            }
            return Query.print(spec, ServerClient.JSON.writeValueAsString(server.json ? entry : entry.path("value")));
        }
    }

    @Command(
            name = "put",
            mixinStandardHelpOptions = true,
            description = {
                "Writes a JSON value to NAMESPACE KEY and prints its new version.",
                "",
                "Example: colony memory put cfg model '\"gpt\"' --ttl 1h --if-version 3"
            })
    static final class Put implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        ServerOptions server;

        @CommandLine.Mixin
        RedisOptions redis;

        @Parameters(index = "0", paramLabel = "NAMESPACE")
        String namespace;

        @Parameters(index = "1", paramLabel = "KEY")
        String key;

        @Parameters(index = "2", paramLabel = "JSON", description = "The value, as JSON.")
        String value;

        @Option(names = "--ttl", paramLabel = "DURATION", description = "Expire after 30s, 5m, 1h or PT1H.")
        String ttl;

        @Option(
                names = "--if-version",
                paramLabel = "N",
                description =
                        "Write only if the entry still has version N, or for 0 does not exist yet (compare-and-set;"
                                + " exit 1 otherwise).")
        Long ifVersion;

        @Override
        public Integer call() {
            if (ifVersion != null && ifVersion < 0) {
                throw ServerOptions.usage(spec.commandLine(), "--if-version must not be negative, got " + ifVersion);
            }
            JsonNode json = Query.json(spec.commandLine(), "JSON", value);
            JsonNode entry;
            if (redis.given()) {
                entry = putInRedis(json);
            } else {
                ObjectNode body = ServerClient.JSON.createObjectNode();
                body.set("value", json);
                if (ttl != null) {
                    body.put("ttl", ttl);
                }
                entry = server.client(spec.commandLine()).put(path(namespace, key), body, ifVersion);
            }
            return Query.print(
                    spec,
                    server.json
                            ? ServerClient.JSON.writeValueAsString(entry)
                            : "OK version " + TextTable.cell(entry, "version"));
        }

        /** A put, or with {@code --if-version} a compare-and-set (0: only if absent), as the server does it. */
        private JsonNode putInRedis(JsonNode json) {
            Duration expiry = ttl == null ? null : TokenCommand.lifetime(spec.commandLine(), "--ttl", ttl);
            byte[] bytes = ServerClient.JSON.writeValueAsBytes(json);
            try (Colony colony = connect(spec, redis, namespace, key)) {
                SharedMemory memory = colony.memory();
                if (ifVersion == null) {
                    return RedisOptions.entry(memory.put(namespace, key, bytes, expiry));
                }
                switch (memory.compareAndSet(namespace, key, ifVersion, bytes, expiry, null)) {
                    case OK -> {}
                    case VERSION_MISMATCH, STALE_TERM ->
                        throw RedisOptions.refused(
                                "CAS_CONFLICT",
                                "entry \"" + key + "\" in namespace \"" + namespace + "\" is not at version "
                                        + ifVersion
                                        + memory.get(namespace, key)
                                                .map(e -> " (it is at " + e.version() + ")")
                                                .orElse(" (it does not exist)"));
                }
                return RedisOptions.entry(memory.get(namespace, key).orElseThrow(() -> noSuchKey(namespace, key)));
            }
        }
    }

    @Command(name = "del", mixinStandardHelpOptions = true, description = "Deletes NAMESPACE KEY.")
    static final class Del implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        ServerOptions server;

        @CommandLine.Mixin
        RedisOptions redis;

        @Parameters(index = "0", paramLabel = "NAMESPACE")
        String namespace;

        @Parameters(index = "1", paramLabel = "KEY")
        String key;

        @Override
        public Integer call() {
            if (redis.given()) {
                try (Colony colony = connect(spec, redis, namespace, key)) {
                    if (!colony.memory().delete(namespace, key)) {
                        throw noSuchKey(namespace, key);
                    }
                }
            } else {
                server.client(spec.commandLine()).delete(path(namespace, key));
            }
            return Query.print(spec, server.json ? "{\"deleted\":true}" : "deleted " + namespace + " " + key);
        }
    }
}
