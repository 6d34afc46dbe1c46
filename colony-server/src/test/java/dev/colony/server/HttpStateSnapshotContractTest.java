package dev.colony.server;

import static dev.colony.state.StateFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.Colony;
import dev.colony.state.CoordinationState;
import dev.colony.state.Durability;
import dev.colony.state.FsyncPolicy;
import dev.colony.state.Snapshot;
import dev.colony.state.SnapshotCodec;
import dev.colony.state.StateChange;
import dev.colony.state.StateSnapshotContract;
import dev.colony.state.TaskSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snapshot contract through {@code /v1/snapshots} of a server over a durable embedded colony (each state in
 * a data directory of its own): {@code snapshot()} is a checkpoint ({@code POST /v1/snapshots}) downloaded with
 * {@code GET /v1/snapshots/{name}}, {@code restore(s)} uploads {@code s} to {@code POST /v1/snapshots/restore}
 * (400 {@code BAD_SNAPSHOT} and 409 {@code RESTORE_REFUSED} are the Java API's
 * {@link IllegalArgumentException}). The snapshots hold the stored names ({@code acme_alice}, ADR 0030), as the
 * files of the data directory do.
 *
 * <p>One contract test cannot hold over HTTP and has its counterpart: {@code
 * restore_announcedWithTheSnapshotsRevision}, whose announcement carries the snapshot the server decoded from
 * the upload, equal to the one restored but not the same object. Every other test runs as written, the
 * concurrent cut included (every snapshot a checkpoint and a download while eight writers put over HTTP).
 *
 * <p>A server over a colony in Redis has no snapshot routes to offer: {@link SnapshotRoutesRedisTest}.
 */
class HttpStateSnapshotContractTest extends HttpStateFixture implements StateSnapshotContract {
    @TempDir
    Path data;

    private final AtomicInteger states = new AtomicInteger();

    @Override
    Colony.Builder colony() {
        Path directory = data.resolve("state-" + states.incrementAndGet());
        return Colony.builder().durability(Durability.in(directory).withFsync(FsyncPolicy.OS));
    }

    /**
     * The contract's announcement, whose value is the snapshot the server decoded from the upload: the same
     * content (the same bytes encoded), another object.
     */
    @Test
    @Override
    public void restore_announcedWithTheSnapshotsRevision() {
        CoordinationState original = state();
        original.registry().register(ALICE, "worker", Set.of("cpu"), Map.of("zone", "eu"));
        original.tasks().submit(TaskSpec.of("t-1", "work", bytes("payload")));
        original.tasks().claim(ALICE, Set.of("cpu"), LEASE).orElseThrow();
        original.leaders().campaign("planner", CAROL, Duration.ofSeconds(10));
        original.memory().put("config", "a.b", bytes("one"));
        Snapshot taken = original.snapshot();
        CoordinationState restored = state();
        List<StateChange> seen = announcements("colony.state.>");

        restored.restore(taken);

        assertThat(seen).singleElement().satisfies(change -> {
            assertThat(change.change()).isEqualTo("restored");
            assertThat(change.revision()).isEqualTo(taken.revision());
            assertThat(change.value())
                    .isInstanceOfSatisfying(
                            Snapshot.class,
                            s -> assertThat(SnapshotCodec.encode(s)).isEqualTo(SnapshotCodec.encode(taken)));
        });
    }
}
