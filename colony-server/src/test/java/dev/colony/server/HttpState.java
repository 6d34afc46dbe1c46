package dev.colony.server;

import dev.colony.state.AgentRegistry;
import dev.colony.state.CoordinationState;
import dev.colony.state.LeaderElection;
import dev.colony.state.SharedMemory;
import dev.colony.state.Snapshot;
import dev.colony.state.SnapshotCodec;
import dev.colony.state.TaskQueue;

/**
 * The coordination state as an HTTP client of {@code /v1} sees it, for the contract suites: the registry,
 * the task queue, leaders and memory go through the server; {@link #sweep} is the server's own (its sweeper
 * runs it in production, the contracts drive it with a manual clock), and so are the two task operations
 * without a route ({@link HttpTasks}). Snapshots are the admin routes of a durable embedded server
 * ({@code /v1/snapshots}); any other server refuses them (409 {@code NOT_DURABLE}).
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

    /** A checkpoint ({@code POST /v1/snapshots}), downloaded ({@code GET /v1/snapshots/{name}}) and decoded. */
    @Override
    public Snapshot snapshot() {
        String name = HttpWire.expect(http.post("/v1/snapshots", null), 201)
                .path("name")
                .asString();
        return SnapshotCodec.decode(http.bytes("/v1/snapshots/" + HttpWire.segment(name)));
    }

    /**
     * Uploads the snapshot, encoded, to {@code POST /v1/snapshots/restore}: a snapshot the server refuses (400
     * {@code BAD_SNAPSHOT}, 409 {@code RESTORE_REFUSED}) is the {@link IllegalArgumentException} the Java API
     * throws, with the server's detail.
     */
    @Override
    public void restore(Snapshot snapshot) {
        Http.Res res = http.postBytes("/v1/snapshots/restore", SnapshotCodec.encode(snapshot));
        if (res.status() == 409 && res.code().equals("RESTORE_REFUSED")) {
            throw new IllegalArgumentException(res.json().path("detail").asString());
        }
        HttpWire.expect(res, 200);
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
