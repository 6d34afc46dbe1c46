package dev.colony.server;

import dev.colony.state.AgentRegistry;
import dev.colony.state.CoordinationState;
import dev.colony.state.LeaderElection;
import dev.colony.state.SharedMemory;
import dev.colony.state.Snapshot;
import dev.colony.state.TaskQueue;

/**
 * The coordination state as an HTTP client of {@code /v1} sees it, for the contract suites: leaders and
 * memory go through the server; {@link #sweep} is the server's own (its sweeper runs it in production, the
 * contracts drive it with a manual clock). The registry, the task queue and snapshots are not adapted yet
 * (ADR 0044 lists what remains) and say so when called.
 */
final class HttpState implements CoordinationState {
    private final Http http;
    private final CoordinationState server;

    HttpState(Http http, CoordinationState server) {
        this.http = http;
        this.server = server;
    }

    @Override
    public LeaderElection leaders() {
        return new HttpLeaders(http);
    }

    @Override
    public SharedMemory memory() {
        return new HttpMemory(http);
    }

    @Override
    public int sweep() {
        return server.sweep();
    }

    @Override
    public AgentRegistry registry() {
        throw new UnsupportedOperationException("the registry contract does not run over HTTP yet (ADR 0044)");
    }

    @Override
    public TaskQueue tasks() {
        throw new UnsupportedOperationException("the task queue contract does not run over HTTP yet (ADR 0044)");
    }

    @Override
    public Snapshot snapshot() {
        throw new UnsupportedOperationException("snapshots over HTTP are admin routes, not adapted (ADR 0044)");
    }

    @Override
    public void restore(Snapshot snapshot) {
        throw new UnsupportedOperationException("snapshots over HTTP are admin routes, not adapted (ADR 0044)");
    }

    @Override
    public long revision() {
        return server.revision();
    }

    @Override
    public void close() {
        // the fixture closes the server and the colony behind it
    }
}
