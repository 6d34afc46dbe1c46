package dev.colony.cli;

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
            "Reads and writes the shared memory of a colony serve.",
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

    @Command(
            name = "get",
            mixinStandardHelpOptions = true,
            description = "Prints the value of NAMESPACE KEY (with --json: the entry with its version).")
    static final class Get implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        ServerOptions server;

        @Parameters(index = "0", paramLabel = "NAMESPACE")
        String namespace;

        @Parameters(index = "1", paramLabel = "KEY")
        String key;

        @Override
        public Integer call() {
            JsonNode entry = server.client(spec.commandLine()).get(path(namespace, key));
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
                description = "Write only if the entry still has version N (compare-and-set; exit 1 otherwise).")
        Long ifVersion;

        @Override
        public Integer call() {
            if (ifVersion != null && ifVersion < 0) {
                throw ServerOptions.usage(spec.commandLine(), "--if-version must not be negative, got " + ifVersion);
            }
            ObjectNode body = ServerClient.JSON.createObjectNode();
            body.set("value", Query.json(spec.commandLine(), "JSON", value));
            if (ttl != null) {
                body.put("ttl", ttl);
            }
            JsonNode entry = server.client(spec.commandLine())
                    .put(path(namespace, key), body, ifVersion == null ? null : "\"" + ifVersion + "\"");
            return Query.print(
                    spec,
                    server.json
                            ? ServerClient.JSON.writeValueAsString(entry)
                            : "OK version " + TextTable.cell(entry, "version"));
        }
    }

    @Command(name = "del", mixinStandardHelpOptions = true, description = "Deletes NAMESPACE KEY.")
    static final class Del implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        ServerOptions server;

        @Parameters(index = "0", paramLabel = "NAMESPACE")
        String namespace;

        @Parameters(index = "1", paramLabel = "KEY")
        String key;

        @Override
        public Integer call() {
            server.client(spec.commandLine()).delete(path(namespace, key));
            return Query.print(spec, server.json ? "{\"deleted\":true}" : "deleted " + namespace + " " + key);
        }
    }
}
