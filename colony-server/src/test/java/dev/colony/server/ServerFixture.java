package dev.colony.server;

import dev.colony.Colony;

/** A colony in memory behind a server on a free loopback port, with the {@link TestGuard}; close both. */
final class ServerFixture implements AutoCloseable {
    final Colony colony;
    final TestGuard guard = new TestGuard();
    final ColonyServer server;
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
        this.admin = new Http(server.uri(), "admin");
    }

    @Override
    public void close() {
        server.close();
        colony.close();
    }
}
