package dev.colony.cli;

import dev.colony.Colony;
import dev.colony.server.ColonyServer;
import dev.colony.server.auth.Guard;
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

    @Override
    public void close() {
        server.close();
        colony.close();
    }
}
