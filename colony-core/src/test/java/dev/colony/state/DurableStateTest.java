package dev.colony.state;

import static dev.colony.state.StateFixture.ALICE;
import static dev.colony.state.StateFixture.BOB;
import static dev.colony.state.StateFixture.CAROL;
import static dev.colony.state.StateFixture.LEASE;
import static dev.colony.state.StateFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.bus.EventBus;
import dev.colony.bus.SubjectPattern;
import dev.colony.bus.SubscribeOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Recovery is exact: after reopening, the state encodes to the same snapshot bytes as it did after its
 * last operation (same manual clock), under every fsync policy, with or without checkpoints.
 */
class DurableStateTest {
    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
    }

    private DurableState open(FsyncPolicy policy) {
        return open(policy, new CopyOnWriteArrayList<>());
    }

    /** Opens the directory with a bus whose every announcement goes to {@code announced}. */
    private DurableState open(FsyncPolicy policy, List<Object> announced) {
        EventBus bus = EventBus.create();
        resources.add(bus);
        bus.subscribe(SubjectPattern.of(">"), e -> announced.add(e.payload()), SubscribeOptions.direct());
        StateOptions options = StateOptions.defaults()
                .withClock(clock)
                .withSweepInterval(Duration.ZERO)
                .withRetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(8));
        DurableState state = CoordinationState.open(
                bus, options, Durability.in(dir).withFsync(policy).withBatchWindow(Duration.ofMillis(1)));
        resources.add(state);
        return state;
    }

    private static byte[] bytesOf(CoordinationState state) {
        return SnapshotCodec.encode(state.snapshot());
    }

    /** Something of everything, including silent changes (leadership renewals) and multi-change operations. */
    private void workload(CoordinationState state, String round) {
        AgentRegistry registry = state.registry();
        var a = dev.colony.messaging.AgentId.of("a-" + round);
        registry.register(a, "worker", Set.of("cpu"), Map.of("round", round));
        registry.transition(a, AgentStatus.IDLE);
        TaskQueue tasks = state.tasks();
        for (int i = 0; i < 5; i++) {
            tasks.submit(TaskSpec.of(round + "-t" + i, "work", bytes("p" + i))
                    .withPriority(i)
                    .withMaxAttempts(2));
        }
        Lease done = tasks.claim(a, Set.of("cpu"), LEASE).orElseThrow();
        tasks.complete(done, bytes("ok"));
        Lease retried = tasks.claim(a, Set.of("cpu"), LEASE).orElseThrow();
        tasks.fail(retried, "flaky", true);
        Lease renewed = tasks.claim(a, Set.of("cpu"), LEASE).orElseThrow();
        tasks.renew(renewed, Duration.ofMinutes(2));
        tasks.claim(a, Set.of("cpu"), LEASE).orElseThrow();
        tasks.cancel(round + "-t0");
        Leadership planner = state.leaders()
                .campaign("planner-" + round, a, Duration.ofSeconds(10))
                .orElseThrow();
        clock.advance(Duration.ofSeconds(1));
        state.leaders().renew(planner, Duration.ofSeconds(20)); // silent: no revision, no announcement
        state.leaders().campaign("planner-" + round, a, Duration.ofSeconds(30)); // silent renewal too
        Leadership other = state.leaders()
                .campaign("other-" + round, a, Duration.ofSeconds(1))
                .orElseThrow();
        state.leaders().resign(other);
        state.leaders().campaign("other-" + round, a, Duration.ofSeconds(1));
        SharedMemory memory = state.memory();
        memory.put("cfg", round + ".x", bytes("one"));
        memory.compareAndSet("cfg", round + ".x", 1, bytes("two"), null, null);
        memory.put("cfg", round + ".ttl", bytes("short"), Duration.ofSeconds(1));
        memory.put("cfg", round + ".gone", bytes("g"));
        memory.delete("cfg", round + ".gone");
        clock.advance(Duration.ofSeconds(5));
        state.sweep(); // leadership and TTL expire
        clock.advance(Duration.ofSeconds(20));
        state.sweep(); // heartbeat timeout: the agent fails and its leases are released in the same operation
        state.memory().put("cfg", round + ".gone", bytes("back")); // above its retired version
    }

    @ParameterizedTest
    @EnumSource(FsyncPolicy.class)
    void reopen_afterOperations_givesTheSameSnapshotBytes(FsyncPolicy policy) {
        DurableState state = open(policy);
        workload(state, "r1");
        byte[] before = bytesOf(state);
        long revision = state.revision();
        state.close();

        DurableState reopened = open(policy);
        assertThat(bytesOf(reopened)).isEqualTo(before);
        assertThat(reopened.revision()).isEqualTo(revision);
    }

    @ParameterizedTest
    @EnumSource(FsyncPolicy.class)
    void reopen_snapshotPlusJournal_isExactAndCarriesOn(FsyncPolicy policy) {
        DurableState state = open(policy);
        workload(state, "r1");
        state.checkpoint();
        workload(state, "r2"); // journal after the snapshot
        byte[] before = bytesOf(state);
        state.close();

        DurableState reopened = open(policy);
        assertThat(bytesOf(reopened)).isEqualTo(before);
        workload(reopened, "r3"); // tokens, terms, versions and revisions continue
        byte[] after = bytesOf(reopened);
        reopened.close();

        assertThat(bytesOf(open(policy))).isEqualTo(after);
    }

    @Test
    void checkpoint_deletesCoveredSegments_andRecoveryIsStillExact() throws IOException {
        DurableState state = open(FsyncPolicy.EVERY_OPERATION);
        workload(state, "r1");
        Path first = state.checkpoint();
        workload(state, "r2");
        Path second = state.checkpoint();
        long revision = state.revision();
        Leadership again =
                state.leaders().campaign("late", CAROL, Duration.ofSeconds(10)).orElseThrow();
        state.checkpoint();
        state.leaders().renew(again, Duration.ofMinutes(10)); // silent, at the checkpoint's revision
        byte[] before = bytesOf(state);
        state.close();

        assertThat(first).exists();
        assertThat(second.getFileName().toString()).contains(String.format("%020d", revision));
        assertThat(journalSegments())
                .singleElement()
                .satisfies(segment -> assertThat(segment.getFileName().toString())
                        .isEqualTo(String.format("journal-%020d.log", revision + 2)));

        DurableState reopened = open(FsyncPolicy.EVERY_OPERATION);
        assertThat(bytesOf(reopened)).isEqualTo(before);
        assertThat(reopened.leaders().leader("late").orElseThrow().expiresAt())
                .isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
    }

    @Test
    void checkpoint_withoutNewChanges_keepsTheSegmentAndStaysExact() {
        DurableState state = open(FsyncPolicy.OS);
        workload(state, "r1");
        state.checkpoint();
        state.checkpoint();
        byte[] before = bytesOf(state);
        state.close();
        assertThat(bytesOf(open(FsyncPolicy.OS))).isEqualTo(before);
    }

    @Test
    void reopen_replaysWithoutAnnouncing() {
        DurableState state = open(FsyncPolicy.EVERY_OPERATION);
        workload(state, "r1");
        state.close();

        List<Object> announced = new CopyOnWriteArrayList<>();
        DurableState reopened = open(FsyncPolicy.EVERY_OPERATION, announced);
        assertThat(reopened.revision()).isPositive();
        assertThat(announced).isEmpty();
        reopened.tasks().submit(TaskSpec.of("after", "work", bytes("p")));
        assertThat(announced).singleElement().isInstanceOf(StateChange.class);
    }

    @Test
    void reopen_emptyDirectory_givesAnEmptyState() {
        DurableState state = open(FsyncPolicy.BATCHED);
        assertThat(state.revision()).isZero();
        assertThat(state.registry().all()).isEmpty();
    }

    @Test
    void restore_journaled_andRecovered() {
        DurableState source = open(FsyncPolicy.EVERY_OPERATION);
        workload(source, "r1");
        Snapshot taken = source.snapshot();
        source.close();
        Path sourceDir = dir;

        dir = sourceDir.resolveSibling(sourceDir.getFileName() + "-target");
        DurableState target = open(FsyncPolicy.EVERY_OPERATION);
        target.restore(taken);
        target.tasks().submit(TaskSpec.of("after-restore", "work", bytes("p")));
        byte[] before = bytesOf(target);
        target.close();

        assertThat(bytesOf(open(FsyncPolicy.EVERY_OPERATION))).isEqualTo(before);
    }

    @Test
    void restore_olderThanTheState_isRefusedAndNothingChanges() {
        DurableState state = open(FsyncPolicy.OS);
        workload(state, "r1");
        Snapshot older = state.snapshot();
        workload(state, "r2");
        byte[] before = bytesOf(state);

        assertThatThrownBy(() -> state.restore(older))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("never goes back")
                .hasMessageContaining("revision " + older.revision());
        assertThat(bytesOf(state)).isEqualTo(before);
    }

    @Test
    void reopen_missingSegment_isCorruptionNotASilentGap() throws IOException {
        DurableState state = open(FsyncPolicy.OS);
        workload(state, "r1");
        state.checkpoint();
        workload(state, "r2");
        state.checkpoint();
        workload(state, "r3");
        state.close();
        // the newest snapshot is damaged: recovery falls back to the older one, whose journal is gone
        List<SnapshotStore.Entry> snapshots = SnapshotStore.open(dir).list();
        Files.write(snapshots.getLast().file(), new byte[] {1, 2, 3});

        assertThatThrownBy(() -> open(FsyncPolicy.OS))
                .isInstanceOf(CorruptJournalException.class)
                .hasMessageContaining("misses revisions");
    }

    @Test
    void operationsAfterClose_areRefused() {
        DurableState state = open(FsyncPolicy.BATCHED);
        state.close();
        state.close(); // idempotent
        assertThatThrownBy(() -> state.registry().register(ALICE, "w", Set.of(), Map.of()))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(state::checkpoint).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void batched_concurrentWriters_allAcknowledgedAndRecovered() throws Exception {
        DurableState state = open(FsyncPolicy.BATCHED);
        int writers = 8;
        int each = 50;
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int id = w;
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < each; i++) {
                    state.memory().put("load", "w" + id + ".k" + i, bytes("v" + i));
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        byte[] before = bytesOf(state);
        state.close();

        DurableState reopened = open(FsyncPolicy.BATCHED);
        assertThat(reopened.revision()).isEqualTo((long) writers * each);
        assertThat(bytesOf(reopened)).isEqualTo(before);
        assertThat(reopened.registry().get(BOB)).isEmpty();
    }

    @Test
    void schedule_onADurableState_checkpointsSoTheJournalStaysShortAndRecoveryIsExact() throws Exception {
        DurableState state = open(FsyncPolicy.EVERY_OPERATION);
        SnapshotStore store = SnapshotStore.open(dir);
        try (SnapshotSchedule schedule = SnapshotSchedule.builder(state, store)
                .interval(Duration.ofMillis(20))
                .retain(2, Duration.ZERO)
                .start()) {
            for (int round = 0; round < 3; round++) {
                workload(state, "s" + round);
                long saved = schedule.saved();
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> schedule.saved() > saved);
            }
            assertThat(schedule.failures()).isZero();
        }
        byte[] before = bytesOf(state);
        long revision = state.revision();
        state.close();

        assertThat(journalSegments())
                .singleElement()
                .satisfies(segment -> assertThat(segment.getFileName().toString())
                        .isEqualTo(String.format("journal-%020d.log", revision + 1)));
        assertThat(store.list()).hasSizeLessThanOrEqualTo(2);
        assertThat(bytesOf(open(FsyncPolicy.EVERY_OPERATION))).isEqualTo(before);
    }

    private List<Path> journalSegments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("journal-"))
                    .sorted()
                    .toList();
        }
    }
}
