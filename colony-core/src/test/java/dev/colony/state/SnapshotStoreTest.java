package dev.colony.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.colony.bus.EventBus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotStoreTest {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    @TempDir
    Path dir;

    private static Snapshot at(long revision) {
        Snapshot s = SnapshotCodecTest.sample();
        return new Snapshot(
                revision,
                s.takenAt(),
                s.agents(),
                s.tasks(),
                s.leaders(),
                s.memory(),
                s.retiredKeys(),
                s.lastLeaseToken(),
                s.memoryVersionFloor());
    }

    /** Saves a snapshot whose file looks {@code age} old at {@link #NOW}. */
    private static Path save(SnapshotStore store, long revision, String label, Duration age) throws IOException {
        Path file = store.save(at(revision), SnapshotFormat.BINARY, false, label);
        Files.setLastModifiedTime(file, FileTime.from(NOW.minus(age)));
        return file;
    }

    private static List<Long> revisions(SnapshotStore store) {
        return store.list().stream().map(SnapshotStore.Entry::revision).toList();
    }

    @Test
    void save_namesByZeroPaddedRevisionAndLabel_leavesNoTemporaryFile() throws IOException {
        SnapshotStore store = SnapshotStore.open(dir.resolve("nested/snaps"));

        Path plain = store.save(at(42), SnapshotFormat.BINARY, true, null);
        Path labelled = store.save(at(42), SnapshotFormat.JSON, false, "before-upgrade_1");

        assertThat(plain.getFileName()).hasToString("snapshot-00000000000000000042.snap");
        assertThat(labelled.getFileName()).hasToString("snapshot-00000000000000000042-before-upgrade_1.snap");
        try (Stream<Path> files = Files.list(store.directory())) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
        assertThat(store.load(plain).revision()).isEqualTo(42);
        assertThat(store.load(labelled).revision()).isEqualTo(42);
    }

    @Test
    void find_byFileName_onlyTheStoresOwnFiles() throws IOException {
        SnapshotStore store = SnapshotStore.open(dir.resolve("snaps"));
        Path labelled = store.save(at(7), SnapshotFormat.BINARY, false, "keep");
        Files.writeString(dir.resolve("secret.snap"), "not ours");
        Files.writeString(store.directory().resolve("snapshot-x.snap"), "not ours");

        SnapshotStore.Entry found =
                store.find(labelled.getFileName().toString()).orElseThrow();

        assertThat(found.file()).isEqualTo(labelled);
        assertThat(found.revision()).isEqualTo(7);
        assertThat(found.label()).isEqualTo("keep");
        assertThat(found.bytes()).isEqualTo(Files.size(labelled));
        assertThat(store.find("snapshot-00000000000000000008.snap"))
                .as("no such file")
                .isEmpty();
        assertThat(store.find("snapshot-x.snap")).as("not a snapshot name").isEmpty();
        assertThat(store.find("../secret.snap")).as("a path").isEmpty();
        assertThat(store.find("../snaps/" + labelled.getFileName()))
                .as("a path")
                .isEmpty();
        assertThat(store.find("")).isEmpty();
    }

    @Test
    void list_ordersByRevisionNumerically_unlabelledFirst_ignoresOtherFiles() throws IOException {
        SnapshotStore store = SnapshotStore.open(dir);
        store.save(at(100), SnapshotFormat.BINARY, false, null);
        store.save(at(9), SnapshotFormat.BINARY, false, "b");
        store.save(at(9), SnapshotFormat.BINARY, false, null);
        store.save(at(9), SnapshotFormat.BINARY, false, "a");
        Files.writeString(dir.resolve("snapshot-x.snap"), "not ours");
        Files.writeString(dir.resolve("notes.txt"), "not ours");

        List<SnapshotStore.Entry> entries = store.list();

        assertThat(entries).extracting(SnapshotStore.Entry::revision).containsExactly(9L, 9L, 9L, 100L);
        assertThat(entries).extracting(SnapshotStore.Entry::label).containsExactly(null, "a", "b", null);
        assertThat(entries.getFirst().bytes())
                .isEqualTo(Files.size(entries.getFirst().file()));
    }

    @Test
    void latest_corruptedOrTruncatedNewest_fallsBackToTheNewestGood() throws IOException {
        SnapshotStore store = SnapshotStore.open(dir);
        store.save(at(1), SnapshotFormat.BINARY, false, null);
        store.save(at(2), SnapshotFormat.BINARY, true, null);
        Path three = store.save(at(3), SnapshotFormat.BINARY, false, null);
        Path four = store.save(at(4), SnapshotFormat.BINARY, false, null);
        byte[] bytes = Files.readAllBytes(four);
        bytes[bytes.length - 1] ^= 1;
        Files.write(four, bytes);
        byte[] whole = Files.readAllBytes(three);
        Files.write(three, java.util.Arrays.copyOf(whole, whole.length / 2));

        assertThat(store.latest()).get().extracting(Snapshot::revision).isEqualTo(2L);
        assertThatThrownBy(() -> store.load(four)).isInstanceOf(CorruptSnapshotException.class);
    }

    @Test
    void latest_emptyOrAllCorrupt_isEmpty() throws IOException {
        SnapshotStore store = SnapshotStore.open(dir);
        assertThat(store.latest()).isEmpty();
        Files.writeString(dir.resolve("snapshot-00000000000000000001.snap"), "garbage");
        assertThat(store.latest()).isEmpty();
    }

    @Test
    void save_invalidLabel_failsNamingTheLabelAndTheRule() {
        SnapshotStore store = SnapshotStore.open(dir);
        for (String label : List.of("", "has space", "../escape", "x".repeat(65), "dot.ted")) {
            assertThatThrownBy(() -> store.save(at(1), SnapshotFormat.BINARY, false, label))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("\"" + label + "\"")
                    .hasMessageContaining("[A-Za-z0-9_-]");
        }
        assertThat(store.list()).isEmpty();
    }

    @Test
    void prune_deletesUnlabelledBeyondNewestNThatAreAlsoOld_keepsCheckpoints() throws IOException {
        SnapshotStore store = SnapshotStore.open(dir);
        save(store, 1, null, Duration.ofHours(5));
        save(store, 2, "release-1", Duration.ofHours(5));
        save(store, 3, null, Duration.ofHours(4));
        save(store, 4, null, Duration.ofMinutes(30)); // beyond the newest 2 but young: kept
        save(store, 5, null, Duration.ofHours(3)); // among the newest 2: kept although old
        save(store, 6, null, Duration.ofMinutes(1));

        List<SnapshotStore.Entry> deleted = store.prune(2, Duration.ofHours(1), NOW);

        assertThat(deleted).extracting(SnapshotStore.Entry::revision).containsExactly(1L, 3L);
        assertThat(revisions(store)).containsExactly(2L, 4L, 5L, 6L);
        assertThat(store.prune(2, Duration.ofHours(1), NOW)).isEmpty();
    }

    @Test
    void prune_keepNothing_stillKeepsTheNewestGoodSnapshot() throws IOException {
        SnapshotStore store = SnapshotStore.open(dir);
        save(store, 1, null, Duration.ofDays(3));
        save(store, 2, null, Duration.ofDays(2));
        Path corrupt = save(store, 3, null, Duration.ofDays(1));
        Files.writeString(corrupt, "damaged", StandardCharsets.UTF_8);
        Files.setLastModifiedTime(corrupt, FileTime.from(NOW.minus(Duration.ofDays(1))));

        store.prune(0, Duration.ZERO, NOW);

        assertThat(revisions(store)).containsExactly(2L);
        assertThat(store.latest()).get().extracting(Snapshot::revision).isEqualTo(2L);
    }

    @Test
    void prune_invalidSettings_failNamingTheParameter() {
        SnapshotStore store = SnapshotStore.open(dir);
        assertThatThrownBy(() -> store.prune(-1, Duration.ZERO, NOW)).hasMessageContaining("keepNewest");
        assertThatThrownBy(() -> store.prune(1, Duration.ofSeconds(-1), NOW)).hasMessageContaining("maxAge");
    }

    @Test
    void delete_removesACheckpointExplicitly() throws IOException {
        SnapshotStore store = SnapshotStore.open(dir);
        save(store, 1, "keep-me", Duration.ofDays(30));
        save(store, 2, null, Duration.ZERO);
        assertThat(store.prune(0, Duration.ZERO, NOW)).isEmpty();

        SnapshotStore.Entry checkpoint = store.list().getFirst();
        assertThat(store.delete(checkpoint)).isTrue();
        assertThat(store.delete(checkpoint)).isFalse();
        assertThat(revisions(store)).containsExactly(2L);
    }

    @Test
    void schedule_savesPeriodicallyWhenTheStateChanges_checkpointsOnDemand_closeStopsIt() {
        SnapshotStore store = SnapshotStore.open(dir);
        List<RuntimeException> errors = new CopyOnWriteArrayList<>();
        try (EventBus bus = EventBus.create();
                CoordinationState state = CoordinationState.create(bus, StateOptions.defaults())) {
            state.memory().put("config", "a", "1".getBytes(StandardCharsets.UTF_8));
            SnapshotSchedule schedule = SnapshotSchedule.builder(state, store)
                    .interval(Duration.ofMillis(10))
                    .format(SnapshotFormat.BINARY, true)
                    .retain(3, Duration.ZERO)
                    .onError(errors::add)
                    .start();
            try (schedule) {
                await().until(() -> revisions(store).contains(state.revision()));
                long first = state.revision();
                state.memory().put("config", "a", "2".getBytes(StandardCharsets.UTF_8));
                await().until(() -> revisions(store).contains(state.revision()));
                assertThat(state.revision()).isGreaterThan(first);

                Path checkpoint = schedule.checkpoint("manual");
                assertThat(checkpoint.getFileName().toString()).endsWith("-manual.snap");
                assertThat(store.load(checkpoint).revision()).isEqualTo(state.revision());
                assertThatThrownBy(() -> schedule.checkpoint("no good"))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("no good");
            }
            long saved = schedule.saved();
            List<Long> before = revisions(store);
            for (int i = 0; i < 5; i++) {
                state.memory().put("config", "a", ("x" + i).getBytes(StandardCharsets.UTF_8));
            }
            assertThat(revisions(store)).isEqualTo(before);
            assertThat(schedule.saved()).isEqualTo(saved).isGreaterThanOrEqualTo(2);
            assertThatThrownBy(() -> schedule.checkpoint("late")).isInstanceOf(IllegalStateException.class);
            schedule.close(); // idempotent
        }
        assertThat(errors).isEmpty();
        assertThat(store.latest()).isPresent();
    }

    @Test
    void schedule_retention_keepsTheNewestAndTheCheckpoints() {
        SnapshotStore store = SnapshotStore.open(dir);
        try (EventBus bus = EventBus.create();
                CoordinationState state = CoordinationState.create(bus, StateOptions.defaults());
                SnapshotSchedule schedule = SnapshotSchedule.builder(state, store)
                        .interval(Duration.ofMillis(5))
                        .retain(2, Duration.ZERO)
                        .start()) {
            schedule.checkpoint("first");
            for (int i = 0; i < 4; i++) {
                state.memory().put("n", "k", new byte[] {(byte) i});
                long revision = state.revision();
                await().until(() -> revisions(store).contains(revision));
            }
            await().until(() ->
                    store.list().stream().filter(e -> e.label() == null).count() == 2);
            assertThat(store.list()).anyMatch(e -> "first".equals(e.label()));
            assertThat(schedule.failures()).isZero();
        }
    }

    @Test
    void schedule_invalidSettings_failAtOnce() {
        try (EventBus bus = EventBus.create();
                CoordinationState state = CoordinationState.create(bus, StateOptions.defaults())) {
            SnapshotSchedule.Builder builder = SnapshotSchedule.builder(state, SnapshotStore.open(dir));
            assertThatThrownBy(() -> builder.interval(Duration.ZERO)).hasMessageContaining("interval");
            assertThatThrownBy(() -> builder.retain(-1, Duration.ZERO)).hasMessageContaining("keepNewest");
        }
    }
}
