package dev.colony.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.bus.EventBus;
import dev.colony.state.CoordinationState;
import dev.colony.state.DurableState;
import dev.colony.state.StateOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SnapshotStore#findLatest()} past damaged newest files, and a durable state opening from the fallback. */
class SnapshotStoreFallbackTest {
    @TempDir
    Path dir;

    private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    private final Logger jul = Logger.getLogger("dev.colony.snapshot");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record);
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void captureLog() {
        jul.addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        jul.removeHandler(capture);
    }

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

    @Test
    void findLatest_newestTwoDamaged_fallsBackAndReportsEachSkippedFile() throws IOException {
        SnapshotStore store = SnapshotStore.open(dir);
        store.save(at(10), SnapshotFormat.BINARY, false, null);
        Path twenty = store.save(at(20), SnapshotFormat.JSON, false, null);
        Path thirty = store.save(at(30), SnapshotFormat.BINARY, true, null);
        byte[] bytes = Files.readAllBytes(thirty);
        bytes[bytes.length - 3] ^= 0x10;
        Files.write(thirty, bytes);
        Files.writeString(
                twenty,
                Files.readString(twenty).replace("\"priority\" : 7", "\"priority\" : \"seven\""),
                StandardCharsets.UTF_8);

        SnapshotStore.Latest latest = store.findLatest();

        assertThat(latest.entry().revision()).isEqualTo(10);
        assertThat(latest.snapshot()).get().extracting(Snapshot::revision).isEqualTo(10L);
        assertThat(latest.skipped()).extracting(s -> s.entry().revision()).containsExactly(30L, 20L);
        assertThat(latest.skipped().get(0).reason()).contains("checksum mismatch");
        assertThat(latest.skipped().get(1).reason()).contains("\"priority\" is not a 32-bit integer");
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(0).getLevel()).isEqualTo(Level.WARNING);
        assertThat(store.latest()).get().extracting(Snapshot::revision).isEqualTo(10L);
    }

    @Test
    void findLatest_everyFileDamaged_emptyWithEverySkippedFile() throws IOException {
        SnapshotStore store = SnapshotStore.open(dir);
        Path only = store.save(at(5), SnapshotFormat.BINARY, false, null);
        byte[] bytes = Files.readAllBytes(only);
        Files.write(only, Arrays.copyOf(bytes, bytes.length - 1));

        SnapshotStore.Latest latest = store.findLatest();

        assertThat(latest.snapshot()).isEmpty();
        assertThat(latest.entry()).isNull();
        assertThat(latest.skipped())
                .singleElement()
                .satisfies(s -> assertThat(s.reason()).contains("truncated"));
    }

    @Test
    void open_newestSnapshotDamaged_durableStateOpensFromTheFallback() throws IOException {
        StateOptions options = StateOptions.defaults().withSweepInterval(Duration.ZERO);
        long revision;
        byte[] before;
        Path checkpoint;
        try (EventBus bus = EventBus.create();
                DurableState state = CoordinationState.open(bus, options, Durability.in(dir))) {
            state.memory().put("config", "a", "1".getBytes(StandardCharsets.UTF_8));
            checkpoint = state.checkpoint();
            state.memory().put("config", "b", "2".getBytes(StandardCharsets.UTF_8));
            revision = state.revision();
            before = SnapshotCodec.encode(state.snapshot());
        }
        // a newer snapshot file that does not load (damaged, or left by a broken tool)
        Path damaged = dir.resolve("snapshot-%020d.snap".formatted(revision + 100));
        byte[] bytes = Files.readAllBytes(checkpoint);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(damaged, bytes);

        try (EventBus bus = EventBus.create();
                DurableState state = CoordinationState.open(bus, options, Durability.in(dir))) {
            assertThat(state.revision()).isEqualTo(revision);
            assertThat(state.memory().get("config", "b")).isPresent();
            Snapshot now = state.snapshot();
            assertThat(SnapshotCodec.encode(new Snapshot(
                            now.revision(),
                            SnapshotCodec.decode(before).takenAt(),
                            now.agents(),
                            now.tasks(),
                            now.leaders(),
                            now.memory(),
                            now.retiredKeys(),
                            now.lastLeaseToken(),
                            now.memoryVersionFloor())))
                    .isEqualTo(before);
        }
        assertThat(warnings)
                .singleElement()
                .satisfies(w -> assertThat(w.getParameters()).contains(damaged.getFileName()));
    }
}
