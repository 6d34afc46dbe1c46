package dev.colony.state;

import static dev.colony.bus.BusTesting.awaitLatch;
import static dev.colony.bus.BusTesting.join;
import static dev.colony.state.StateFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.messaging.AgentId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Part of {@link StateContract}: snapshots are consistent cuts, and restore replaces the whole state so
 * that a snapshot taken right after gives the same bytes, and the state carries on where it was.
 */
public interface StateSnapshotContract extends StateFixture {

    /** A state with something of everything: agents in several statuses, tasks in every status, leaders, memory. */
    private static void populate(CoordinationState state, ManualClock clock) {
        AgentRegistry registry = state.registry();
        registry.register(ALICE, "worker", Set.of("gpu", "cpu"), Map.of("zone", "eu"));
        registry.register(BOB, "worker", Set.of("cpu"), Map.of());
        registry.register(CAROL, "boss", Set.of(), Map.of());
        registry.transition(ALICE, AgentStatus.IDLE);
        registry.transition(BOB, AgentStatus.IDLE);
        registry.transition(BOB, AgentStatus.BUSY);
        TaskQueue tasks = state.tasks();
        for (int i = 0; i < 6; i++) {
            tasks.submit(TaskSpec.of("t-" + i, "work", bytes("payload " + i))
                    .withPriority(i % 10)
                    .withMaxAttempts(2));
        }
        Lease done = tasks.claim(ALICE, Set.of("cpu"), LEASE).orElseThrow();
        tasks.complete(done, bytes("result"));
        Lease failed = tasks.claim(BOB, Set.of("cpu"), LEASE).orElseThrow();
        tasks.fail(failed, "flaky", true); // queued with a backoff
        tasks.claim(ALICE, Set.of("cpu"), LEASE).orElseThrow(); // stays claimed
        tasks.cancel("t-0");
        Lease dead = tasks.claim(BOB, Set.of("cpu"), LEASE).orElseThrow();
        tasks.fail(dead, "hopeless", false);
        state.leaders().campaign("planner", CAROL, Duration.ofSeconds(10));
        state.leaders().campaign("other", ALICE, Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(2));
        state.sweep(); // "other" lapses: term kept, no leader
        SharedMemory memory = state.memory();
        memory.put("config", "a.b", bytes("one"));
        memory.put("config", "a.b", bytes("two"));
        memory.put("config", "ttl", bytes("short"), Duration.ofMinutes(5));
        memory.put("config", "gone", bytes("x"));
        memory.delete("config", "gone");
    }

    @Test
    default void restore_intoAFreshState_snapshotAgainGivesTheSameBytesInEveryFormat() {
        CoordinationState original = state();
        populate(original, clock());
        Snapshot taken = original.snapshot();
        byte[] canonical = SnapshotCodec.encode(taken);

        for (SnapshotFormat format : SnapshotFormat.values()) {
            byte[] file = SnapshotCodec.encode(taken, format, true);
            CoordinationState restored = state();
            restored.restore(SnapshotCodec.decode(file));
            clock().advance(Duration.between(clock().instant(), taken.takenAt())); // same instant as the original

            assertThat(SnapshotCodec.encode(restored.snapshot()))
                    .as(format.name())
                    .isEqualTo(canonical);
            assertThat(restored.revision()).isEqualTo(original.revision());
        }
    }

    @Test
    default void restore_stateCarriesOn_tokensVersionsAndTermsKeepGrowing() {
        CoordinationState original = state();
        populate(original, clock());
        Snapshot taken = original.snapshot();
        Lease held = original.tasks().leasesOf(ALICE).getFirst();
        long termBefore = original.leaders().currentTerm("other");

        CoordinationState restored = state();
        restored.restore(taken);

        assertThat(restored.tasks().complete(held, bytes("after restore"))).isEqualTo(LeaseOutcome.OK);
        restored.tasks().submit(TaskSpec.of("fresh", "work", bytes("p")));
        Lease next = restored.tasks().claim(CAROL, Set.of("cpu"), LEASE).orElseThrow();
        assertThat(next.token()).isGreaterThan(taken.lastLeaseToken());
        assertThat(restored.memory().put("config", "gone", bytes("back")).version())
                .isEqualTo(2);
        assertThat(restored.memory().get("config", "a.b").orElseThrow().version())
                .isEqualTo(2);
        assertThat(restored.leaders()
                        .campaign("other", BOB, LEASE)
                        .orElseThrow()
                        .term())
                .isEqualTo(termBefore + 1);
        assertThat(restored.leaders().leader("planner").orElseThrow().leader()).isEqualTo(CAROL);
        assertThat(restored.registry().get(BOB).orElseThrow().status()).isEqualTo(AgentStatus.BUSY);
    }

    @Test
    default void restore_announcedWithTheSnapshotsRevision() {
        CoordinationState original = state();
        populate(original, clock());
        Snapshot taken = original.snapshot();
        CoordinationState restored = state();
        List<StateChange> seen = announcements("colony.state.>");

        restored.restore(taken);

        assertThat(seen).singleElement().satisfies(change -> {
            assertThat(change.change()).isEqualTo("restored");
            assertThat(change.revision()).isEqualTo(taken.revision());
            assertThat(change.value()).isSameAs(taken);
        });
    }

    @Test
    default void restore_inconsistentSnapshot_refusedAndNothingChanged() {
        CoordinationState state = state();
        populate(state, clock());
        byte[] before = SnapshotCodec.encode(state.snapshot());
        Snapshot good = state.snapshot();
        Snapshot twice = new Snapshot(
                good.revision(),
                good.takenAt(),
                List.of(good.agents().getFirst(), good.agents().getFirst()),
                good.tasks(),
                good.leaders(),
                good.memory(),
                good.retiredKeys(),
                good.lastLeaseToken(),
                good.memoryVersionFloor());
        Snapshot lowToken = new Snapshot(
                good.revision(),
                good.takenAt(),
                good.agents(),
                good.tasks(),
                good.leaders(),
                good.memory(),
                good.retiredKeys(),
                0,
                good.memoryVersionFloor());

        assertThatThrownBy(() -> state.restore(twice))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("alice");
        assertThatThrownBy(() -> state.restore(lowToken))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lease token");
        assertThat(SnapshotCodec.encode(state.snapshot())).isEqualTo(before);
    }

    @Test
    default void snapshot_whileWritersRun_everyCutIsAStateThatExisted() throws Exception {
        CoordinationState state = state();
        int writers = 8;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger snapshots = new AtomicInteger();
        CountDownLatch cutTaken = new CountDownLatch(1);
        List<String> torn = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            String key = "k" + w;
            AgentId agent = AgentId.of("w" + w);
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 2_000; i++) {
                    if (i == 1_000) {
                        // half-way, wait for a cut: at least one snapshot is taken while the writes are under
                        // way, however the scheduler orders the threads on a loaded machine
                        try {
                            awaitLatch(cutTaken);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                    state.memory().put("cut", key, bytes(Integer.toString(i)));
                    if (i % 100 == 0) {
                        state.registry().heartbeat(agent); // not registered: no change, no revision
                    }
                }
            }));
        }
        Thread snapshotter = Thread.ofVirtual().start(() -> {
            while (!stop.get()) {
                Snapshot cut = state.snapshot();
                long versions =
                        cut.memory().stream().mapToLong(e -> e.version()).sum();
                if (versions != cut.revision()) {
                    torn.add("revision " + cut.revision() + " but versions sum to " + versions);
                }
                for (var entry : cut.memory()) {
                    if (!entry.valueAsString().equals(Long.toString(entry.version() - 1))) {
                        torn.add(entry.key() + " v" + entry.version() + " holds " + entry.valueAsString());
                    }
                }
                snapshots.incrementAndGet();
                cutTaken.countDown();
            }
        });
        for (Thread thread : threads) {
            join(thread);
        }
        stop.set(true);
        join(snapshotter);

        assertThat(torn).isEmpty();
        assertThat(snapshots.get()).isPositive();
        assertThat(state.revision()).isEqualTo(writers * 2_000L);
    }
}
