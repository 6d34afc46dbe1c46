package dev.colony.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.Colony;
import dev.colony.server.ColonyServer;
import dev.colony.server.auth.Guard;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An embedded colony behind a real {@code colony serve} on a free port with its real token guard (data in
 * {@code dir}), for the commands that talk to a server: its URL and the initial admin token's file.
 */
record ServedColony(Colony colony, ColonyServer server, String url, String tokenFile) implements AutoCloseable {
    static ServedColony start(Path dir) {
        Colony colony = Colony.embedded();
        ColonyServer server = ColonyServer.builder()
                .port(0)
                .colony(colony)
                .guard(Guard.open(dir, colony.bus()))
                .build()
                .start();
        return new ServedColony(
                colony,
                server,
                server.uri().toString(),
                dir.resolve("initial-admin-token").toString());
    }

    /** POSTs {@code body} (JSON) to {@code path} with the admin token; the answer's body, after asserting a 2xx. */
    String post(String path, String body) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url + path))
                                .header(
                                        "Authorization",
                                        "Bearer "
                                                + Files.readString(Path.of(tokenFile))
                                                        .strip())
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isLessThan(300);
        return response.body();
    }

    @Override
    public void close() {
        server.close();
        colony.close();
    }
}
