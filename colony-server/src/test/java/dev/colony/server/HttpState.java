package dev.colony.server;

import dev.colony.state.AgentRegistry;
import dev.colony.state.CoordinationState;
import dev.colony.state.LeaderElection;
import dev.colony.state.SharedMemory;
import dev.colony.state.Snapshot;
import dev.colony.state.TaskQueue;

/**
 * The coordination state as an HTTP client of {@code /v1} sees it, for the contract suites: the registry,
 * the task queue, leaders and memory go through the server; {@link #sweep} is the server's own (its sweeper
 * runs it in production, the contracts drive it with a manual clock), and so are the two task operations
 * without a route ({@link HttpTasks}). Snapshots are admin routes, not adapted (ADR 0044), and say so.
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
        return new HttpAgents(http);
    }

    @Override
    public TaskQueue tasks() {
        return new HttpTasks(http, server.tasks());
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
