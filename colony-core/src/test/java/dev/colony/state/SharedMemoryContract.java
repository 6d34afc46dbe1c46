package dev.colony.state;

import static dev.colony.state.StateFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.bus.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Part of {@link StateContract}: versioned entries, time to live, compare-and-set, size and name
 * validation, watching by key pattern, and lost-update freedom under contention.
 */
public interface SharedMemoryContract extends StateFixture {
    String NS = "plan";
    Duration TTL = Duration.ofSeconds(5);

    @Test
    default void get_absentKey_empty() {
        assertThat(state().memory().get(NS, "nothing.here")).isEmpty();
    }

    @Test
    default void put_newThenOverwrite_versionsOneAndTwo() {
        SharedMemory memory = state().memory();

        MemoryEntry first = memory.put(NS, "goal", bytes("explore"));
        MemoryEntry second = memory.put(NS, "goal", bytes("exploit"));

        assertThat(first.version()).isEqualTo(1);
        assertThat(first.expiresAt()).isNull();
        assertThat(second.version()).isEqualTo(2);
        MemoryEntry got = memory.get(NS, "goal").orElseThrow();
        assertThat(got.version()).isEqualTo(2);
        assertThat(got.valueAsString()).isEqualTo("exploit");
        assertThat(got.namespace()).isEqualTo(NS);
        assertThat(got.key()).isEqualTo("goal");
    }

    @Test
    default void put_callerMutatesArrayAfterwards_entryUnchanged() {
        SharedMemory memory = state().memory();
        byte[] value = bytes("abc");
        memory.put(NS, "k", value);

        value[0] = 'z';

        assertThat(memory.get(NS, "k").orElseThrow().valueAsString()).isEqualTo("abc");
    }

    @Test
    default void put_sameKeyInOtherNamespace_independentVersions() {
        SharedMemory memory = state().memory();
        memory.put(NS, "k", bytes("a"));
        memory.put(NS, "k", bytes("b"));

        assertThat(memory.put("other", "k", bytes("c")).version()).isEqualTo(1);
        assertThat(memory.put(NS, "k.sub", bytes("d")).version()).isEqualTo(1);
    }

    @Test
    default void delete_existing_trueThenAbsentAndFalse() {
        SharedMemory memory = state().memory();
        memory.put(NS, "k", bytes("a"));

        assertThat(memory.delete(NS, "k")).isTrue();
        assertThat(memory.get(NS, "k")).isEmpty();
        assertThat(memory.delete(NS, "k")).isFalse();
        assertThat(memory.delete(NS, "never")).isFalse();
    }

    @Test
    default void put_afterDelete_versionContinuesAboveLast() {
        SharedMemory memory = state().memory();
        memory.put(NS, "k", bytes("a"));
        memory.put(NS, "k", bytes("b"));
        memory.put(NS, "k", bytes("c"));
        memory.delete(NS, "k");

        MemoryEntry recreated = memory.put(NS, "k", bytes("d"));

        assertThat(recreated.version()).isEqualTo(4);
        assertThat(memory.compareAndSet(NS, "k", 3, bytes("stale"), null, null)).isEqualTo(CasOutcome.VERSION_MISMATCH);
    }

    @Test
    default void get_afterTtl_emptyWithoutSweepAndVersionContinues() {
        SharedMemory memory = state().memory();
        MemoryEntry entry = memory.put(NS, "k", bytes("a"), TTL);
        assertThat(entry.expiresAt()).isEqualTo(clock().instant().plus(TTL));

        clock().advance(TTL.minusMillis(1));
        assertThat(memory.get(NS, "k")).isPresent();
        clock().advance(Duration.ofMillis(1));

        assertThat(memory.get(NS, "k")).isEmpty();
        assertThat(memory.compareAndSet(NS, "k", 1, bytes("b"), null, null)).isEqualTo(CasOutcome.VERSION_MISMATCH);
        assertThat(memory.delete(NS, "k")).isFalse();
        assertThat(memory.put(NS, "k", bytes("c")).version()).isEqualTo(2);
    }

    @Test
    default void sweep_afterTtl_removesAndAnnouncesExpiredOnce() {
        CoordinationState state = state();
        SharedMemory memory = state.memory();
        List<StateChange> seen = announcements("colony.memory.>");
        MemoryEntry shortLived = memory.put(NS, "short", bytes("a"), TTL);
        memory.put(NS, "long", bytes("b"), TTL.multipliedBy(2));
        memory.put(NS, "forever", bytes("c"));

        clock().advance(TTL);
        assertThat(state.sweep()).isEqualTo(1);
        assertThat(state.sweep()).isZero();

        assertThat(seen).extracting(StateChange::change).containsExactly("put", "put", "put", "expired");
        assertThat(seen.get(3).value()).isEqualTo(shortLived);
        assertThat(memory.get(NS, "long")).isPresent();
        assertThat(memory.get(NS, "forever")).isPresent();
        clock().advance(Duration.ofDays(365));
        assertThat(state.sweep()).isEqualTo(1);
        assertThat(memory.get(NS, "forever")).isPresent();
    }

    @Test
    default void put_overLapsedUnsweptEntry_announcesExpiredBeforePut() {
        CoordinationState state = state();
        SharedMemory memory = state.memory();
        List<StateChange> seen = announcements("colony.memory." + NS + ".k");
        memory.put(NS, "k", bytes("a"), TTL);
        clock().advance(TTL);

        memory.put(NS, "k", bytes("b"));

        assertThat(seen).extracting(StateChange::change).containsExactly("put", "expired", "put");
        assertThat(seen).extracting(c -> ((MemoryEntry) c.value()).version()).containsExactly(1L, 1L, 2L);
        assertThat(seen).extracting(StateChange::revision).isSorted().doesNotHaveDuplicates();
        assertThat(state.sweep()).isZero();
    }

    @Test
    default void put_overwriteWithoutTtl_earlierTtlNoLongerApplies() {
        CoordinationState state = state();
        SharedMemory memory = state.memory();
        memory.put(NS, "k", bytes("a"), TTL);
        memory.put(NS, "k", bytes("b"));

        clock().advance(TTL.multipliedBy(2));

        assertThat(state.sweep()).isZero();
        assertThat(memory.get(NS, "k").orElseThrow().valueAsString()).isEqualTo("b");
    }

    @Test
    default void compareAndSet_expectedAbsent_okOnceThenMismatch() {
        SharedMemory memory = state().memory();

        assertThat(memory.compareAndSet(NS, "lock", 0, bytes("alice"), null, null))
                .isEqualTo(CasOutcome.OK);
        assertThat(memory.compareAndSet(NS, "lock", 0, bytes("bob"), null, null))
                .isEqualTo(CasOutcome.VERSION_MISMATCH);
        MemoryEntry entry = memory.get(NS, "lock").orElseThrow();
        assertThat(entry.valueAsString()).isEqualTo("alice");
        assertThat(entry.version()).isEqualTo(1);
    }

    @Test
    default void compareAndSet_matchingVersion_okAndVersionGrows() {
        SharedMemory memory = state().memory();
        memory.put(NS, "k", bytes("a"));

        assertThat(memory.compareAndSet(NS, "k", 1, bytes("b"), TTL, null)).isEqualTo(CasOutcome.OK);

        MemoryEntry entry = memory.get(NS, "k").orElseThrow();
        assertThat(entry.version()).isEqualTo(2);
        assertThat(entry.valueAsString()).isEqualTo("b");
        assertThat(entry.expiresAt()).isEqualTo(clock().instant().plus(TTL));
    }

    @Test
    default void compareAndSet_wrongVersionOrAbsent_mismatchAndNothingWritten() {
        CoordinationState state = state();
        SharedMemory memory = state.memory();
        memory.put(NS, "k", bytes("a"));
        long revision = state.revision();

        assertThat(memory.compareAndSet(NS, "k", 2, bytes("b"), null, null)).isEqualTo(CasOutcome.VERSION_MISMATCH);
        assertThat(memory.compareAndSet(NS, "absent", 1, bytes("b"), null, null))
                .isEqualTo(CasOutcome.VERSION_MISMATCH);

        assertThat(memory.get(NS, "k").orElseThrow().valueAsString()).isEqualTo("a");
        assertThat(memory.get(NS, "absent")).isEmpty();
        assertThat(state.revision()).isEqualTo(revision);
    }

    @Test
    default void put_oversizeValue_rejectedNamingBothSizesAndNothingWritten() {
        CoordinationState state =
                state(StateOptions.defaults().withMaxValueBytes(8).withSweepInterval(Duration.ZERO));
        SharedMemory memory = state.memory();
        memory.put(NS, "k", bytes("12345678"));

        assertThatThrownBy(() -> memory.put(NS, "k", bytes("123456789")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("9 bytes")
                .hasMessageContaining("8");
        assertThatThrownBy(() -> memory.compareAndSet(NS, "k", 1, new byte[100], null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("100 bytes");

        MemoryEntry entry = memory.get(NS, "k").orElseThrow();
        assertThat(entry.version()).isEqualTo(1);
        assertThat(entry.valueAsString()).isEqualTo("12345678");
        assertThat(state.revision()).isEqualTo(1);
    }

    @Test
    default void put_invalidNames_rejectedQuotingTheInput() {
        SharedMemory memory = state().memory();

        assertThatThrownBy(() -> memory.put("a.b", "k", bytes("x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"a.b\"");
        assertThatThrownBy(() -> memory.put(NS, "k..j", bytes("x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"k..j\"");
        assertThatThrownBy(() -> memory.get(NS, "k*"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"k*\"");
        assertThatThrownBy(() -> memory.put(NS, "k", bytes("x"), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ttl");
        assertThatThrownBy(() -> memory.compareAndSet(NS, "k", -1, bytes("x"), null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    default void watch_invalidPattern_rejectedQuotingIt() {
        SharedMemory memory = state().memory();

        for (String bad : List.of("", "a..b", ">.a", "a b", "a.>x", "a.")) {
            assertThatThrownBy(() -> memory.watch(NS, bad, e -> {}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("\"" + bad + "\"");
        }
        assertThatThrownBy(() -> memory.watch("bad ns", "a", e -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"bad ns\"");
    }

    @Test
    default void watch_pattern_receivesMatchingPutsAndDeletesOnly() {
        CoordinationState state = state();
        SharedMemory memory = state.memory();
        List<String> seen = new CopyOnWriteArrayList<>();
        Subscription watching = memory.watch(NS, "agents.*", e -> {
            StateChange change = (StateChange) e.payload();
            MemoryEntry entry = (MemoryEntry) change.value();
            seen.add(change.change() + " " + entry.key() + " v" + entry.version() + " " + e.subject());
        });

        memory.put(NS, "agents.a", bytes("1"));
        memory.put(NS, "agents.a.deep", bytes("2"));
        memory.put(NS, "agents", bytes("3"));
        memory.put("other", "agents.a", bytes("4"));
        memory.put(NS, "agents.b", bytes("5"), TTL);
        memory.delete(NS, "agents.a");
        clock().advance(TTL);
        state.sweep();
        watching.close();
        memory.put(NS, "agents.c", bytes("6"));

        assertThat(seen)
                .containsExactly(
                        "put agents.a v1 colony.memory.plan.agents.a",
                        "put agents.b v1 colony.memory.plan.agents.b",
                        "deleted agents.a v1 colony.memory.plan.agents.a",
                        "expired agents.b v1 colony.memory.plan.agents.b");
    }

    @Test
    default void watch_trailingWildcard_receivesEveryKeyBelow() {
        SharedMemory memory = state().memory();
        List<String> keys = new CopyOnWriteArrayList<>();
        memory.watch(NS, "jobs.>", e -> keys.add(((MemoryEntry) ((StateChange) e.payload()).value()).key()));

        memory.put(NS, "jobs.1", bytes("a"));
        memory.put(NS, "jobs.1.progress", bytes("b"));
        memory.put(NS, "jobs", bytes("c"));

        assertThat(keys).containsExactly("jobs.1", "jobs.1.progress");
    }

    /**
     * 1,000 virtual threads each increment one counter 20 times by read, compare-and-set, retry on
     * mismatch: no update is lost, so the value and the version are both 20,000.
     */
    @Test
    default void compareAndSet_concurrentIncrements_noLostUpdate() throws Exception {
        SharedMemory memory = state().memory();
        int threads = casContenders();
        int increments = 20;
        List<Future<Integer>> mismatches = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < threads; t++) {
                mismatches.add(pool.submit(() -> increment(memory, increments)));
            }
            for (Future<Integer> f : mismatches) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isNotNegative();
            }
        }

        MemoryEntry counter = memory.get(NS, "counter").orElseThrow();
        assertThat(counter.valueAsString()).isEqualTo(String.valueOf(threads * increments));
        assertThat(counter.version()).isEqualTo(threads * increments);
    }

    /** Increments the counter {@code times} times; returns how many CAS attempts mismatched. */
    private static int increment(SharedMemory memory, int times) {
        int mismatches = 0;
        for (int i = 0; i < times; i++) {
            while (true) {
                Optional<MemoryEntry> current = memory.get(NS, "counter");
                long version = current.map(MemoryEntry::version).orElse(0L);
                long value = current.map(e -> Long.parseLong(e.valueAsString())).orElse(0L);
                CasOutcome outcome =
                        memory.compareAndSet(NS, "counter", version, bytes(Long.toString(value + 1)), null, null);
                if (outcome == CasOutcome.OK) {
                    break;
                }
                mismatches++;
            }
        }
        return mismatches;
    }

    @Test
    default void put_concurrentDistinctKeys_allPresentAtVersionOne() throws Exception {
        CoordinationState state = state();
        SharedMemory memory = state.memory();
        int threads = 1_000;
        int keys = 20;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int k = 0; k < keys; k++) {
                        memory.put(NS, "t" + thread + ".k" + k, bytes(thread + ":" + k));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        }

        for (int t = 0; t < threads; t++) {
            for (int k = 0; k < keys; k++) {
                MemoryEntry entry = memory.get(NS, "t" + t + ".k" + k).orElseThrow();
                assertThat(entry.version()).isEqualTo(1);
                assertThat(entry.valueAsString()).isEqualTo(t + ":" + k);
            }
        }
        assertThat(state.revision()).isEqualTo((long) threads * keys);
    }
}
