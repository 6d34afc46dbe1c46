package dev.colony.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code colony plugin deploy FILE --name N}: sends a module to a running {@code colony serve} as
 * {@code PUT /v1/admin/plugins/{name}?sha256=...}, with the checksum computed here so the server refuses bytes
 * damaged on the way. Needs an admin token.
 */
@Command(
        name = "deploy",
        mixinStandardHelpOptions = true,
        description = {
            "Deploys a WebAssembly module into a running colony serve (admin token), replacing the",
            "plugin's current version atomically; a refused module leaves the current version running.",
            "Exit code 0 deployed, 1 when the server refuses or cannot be reached, 2 on a usage error."
        })
final class PluginDeploy implements Callable<Integer> {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,47}");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ServerOptions server;

    @Parameters(paramLabel = "FILE", description = "The .wasm module.")
    Path file;

    @Option(
            names = "--name",
            required = true,
            paramLabel = "NAME",
            description = "The plugin's name: [a-z][a-z0-9_]{0,47}.")
    String name;

    @Option(names = "--mode", paramLabel = "MODE", description = "compiled (default) or interpreted.")
    String mode = "compiled";

    @Override
    public Integer call() throws IOException {
        if (!NAME.matcher(name).matches()) {
            throw ServerOptions.usage(
                    spec.commandLine(),
                    "--name must be 1 to 48 characters of [a-z0-9_] starting with a letter, got \"" + name + "\"");
        }
        String modeName = mode.toLowerCase(Locale.ROOT);
        if (!modeName.equals("compiled") && !modeName.equals("interpreted")) {
            throw ServerOptions.usage(
                    spec.commandLine(), "--mode must be compiled or interpreted, got \"" + mode + "\"");
        }
        if (!Files.isRegularFile(file)) {
            throw ServerOptions.usage(
                    spec.commandLine(), "FILE must be a .wasm file, got '" + file + "' (no such file)");
        }
        ServerClient client = server.client(spec.commandLine());
        byte[] bytes = Files.readAllBytes(file);
        String sha = sha256(bytes);
        JsonNode deployed = client.putBytes(
                "/v1/admin/plugins/" + ServerClient.encode(name) + "?sha256=" + sha + "&mode=" + modeName,
                bytes,
                "application/wasm");
        if (server.json) {
            return Query.print(spec, ServerClient.JSON.writeValueAsString(deployed));
        }
        return Query.print(
                spec,
                "deployed " + name + " " + deployed.path("version").asString() + " (" + bytes.length + " bytes, "
                        + String.join(", ", kinds(deployed)).toLowerCase(Locale.ROOT) + ", sha256 " + sha + ")");
    }

    private static List<String> kinds(JsonNode deployed) {
        List<String> out = new ArrayList<>();
        deployed.path("kinds").forEach(k -> out.add(k.asString()));
        return out;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
