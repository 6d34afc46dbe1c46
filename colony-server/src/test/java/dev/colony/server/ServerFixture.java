package dev.colony.server;

import dev.colony.Colony;
import java.net.http.HttpClient;

/**
 * A colony in memory behind a server on a free loopback port, with the {@link TestGuard}, and an HTTP client of its
 * own; {@link #close()} closes the client, then the server, then the colony.
 */
final class ServerFixture implements AutoCloseable {
    final Colony colony;
    final TestGuard guard = new TestGuard();
    final ColonyServer server;
    final HttpClient client = Http.newClient();
    final Http admin;

    ServerFixture() {
        this(Colony.embedded(), ServerLimits.defaults());
    }

    ServerFixture(Colony colony, ServerLimits limits) {
        this.colony = colony;
        this.server = ColonyServer.builder()
                .port(0)
                .colony(colony)
                .guard(guard)
                .limits(limits)
                .endpoint(dev.colony.server.mcp.McpEndpoint::create)
                .build()
                .start();
        this.admin = new Http(client, server.uri(), "admin");
    }

    @Override
    public void close() {
        Http.close(client);
        server.close();
        colony.close();
    }
}
