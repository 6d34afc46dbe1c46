package dev.colony.server;

import dev.colony.Colony;
import dev.colony.server.auth.Guard;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A start-up probe for the AOT cache measurement (docs/benchmarks/serve.md): starts an embedded colony and a
 * server with the production guard, answers one {@code GET /health/ready}, prints the status and the
 * milliseconds since {@code main} began, and stops. Run it with and without {@code -XX:AOTCache}.
 */
public final class StartupProbe {
    private StartupProbe() {}

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        Path dir = Files.createTempDirectory("colony-startup-probe");
        try (Colony colony = Colony.embedded();
                ColonyServer server = ColonyServer.builder()
                        .port(0)
                        .colony(colony)
                        .guard(Guard.open(dir, colony.bus()))
                        .build()
                        .start();
                HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> res = client.send(
                    HttpRequest.newBuilder(server.uri().resolve("/health/ready"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            System.out.println(
                    "status " + res.statusCode() + " in-process ms " + (System.nanoTime() - start) / 1_000_000);
        }
    }
}
