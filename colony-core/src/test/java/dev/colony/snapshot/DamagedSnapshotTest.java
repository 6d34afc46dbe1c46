package dev.colony.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.bus.EventBus;
import dev.colony.bus.TestSeeds;
import dev.colony.state.CoordinationState;
import dev.colony.state.SnapshotCheck;
import dev.colony.state.StateOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Damaged and wrong-typed snapshot files: each is refused with a one-line {@link CorruptSnapshotException}
 * (never another exception), or decodes to a snapshot that passes the check and that a restore accepts; the
 * store's load and the codec agree on every file.
 */
class DamagedSnapshotTest {
    @TempDir
    Path dir;

    /** The hand-made files in {@code snapshots/damaged/}, with a fragment of the message each must give. */
    static final Map<String, String> HAND_MADE = Map.of(
            "wrong-type-priority-is-a-string.json", "\"priority\" is not a 32-bit integer",
            "wrong-type-agents-is-an-object.json", "\"agents\" is not an array",
            "missing-taken-at.json", "lacks \"taken_at\"",
            "bad-enum-task-status.json", "\"status\" is not one of",
            "out-of-range-revision.json", "\"revision\" is not a 64-bit integer",
            "out-of-range-priority.json", "priority must be between 0 and 9",
            "truncated-binary.snap", "truncated",
            "bit-flip-binary.snap", "checksum mismatch",
            "inconsistent-agent-twice.snap", "inconsistent snapshot: agent \"alice\" appears twice",
            "inconsistent-lease-token-above-last.json", "inconsistent snapshot: claimed task \"t-2\"");

    static List<String> handMade() {
        return HAND_MADE.keySet().stream().sorted().toList();
    }

    @Test
    void decode_damagedCorpus_refusedInOneLineOrRestores() {
        long seed = TestSeeds.seed("DamagedSnapshotTest.decode_damagedCorpus", 20261207L);
        List<DamagedSnapshots.Damaged> corpus = DamagedSnapshots.corpus(seed);
        List<String> problems = new ArrayList<>();
        int refused = 0;
        int restored = 0;
        for (DamagedSnapshots.Damaged file : corpus) {
            try {
                Snapshot snapshot = SnapshotCodec.decode(file.bytes());
                SnapshotCheck.check(snapshot);
                restore(snapshot);
                restored++;
            } catch (CorruptSnapshotException e) {
                if (e.getMessage().isBlank()
                        || e.getMessage().contains("\n")
                        || e.getMessage().contains("\r")) {
                    problems.add(file.name() + ": not one line: " + e.getMessage());
                }
                refused++;
            } catch (RuntimeException e) {
                problems.add(file.name() + ": " + e);
            }
        }
        System.out.printf(
                "[corpus] seed=%d: %d files, %d refused, %d restored%n", seed, corpus.size(), refused, restored);

        assertThat(problems).isEmpty();
        assertThat(refused + restored).isEqualTo(corpus.size());
        assertThat(corpus).hasSizeGreaterThan(1_500);
    }

    @Test
    void decode_inconsistentReferences_refusedByTheCheckUnlessRestoreAcceptsThem() {
        for (DamagedSnapshots.Damaged file : DamagedSnapshots.corpus(1)) {
            if (!file.name().startsWith("inconsistent")) {
                continue;
            }
            if (file.name().endsWith("task claimed by an unknown agent")) {
                // a holder need not be registered (a claim names any agent id): the state restores it
                restore(SnapshotCodec.decode(file.bytes()));
            } else {
                assertThatThrownBy(() -> SnapshotCodec.decode(file.bytes()))
                        .as(file.name())
                        .isInstanceOf(CorruptSnapshotException.class)
                        .message()
                        .matches("inconsistent snapshot: .*|invalid group \".*");
            }
        }
    }

    @Test
    void load_everyCorpusFile_agreesWithDecode() throws IOException {
        SnapshotStore store = SnapshotStore.open(dir);
        List<DamagedSnapshots.Damaged> corpus = DamagedSnapshots.corpus(7);
        for (int i = 0; i < corpus.size(); i += 5) {
            DamagedSnapshots.Damaged file = corpus.get(i);
            Path path = dir.resolve("snapshot-%020d.snap".formatted(i));
            Files.write(path, file.bytes());
            String byCodec = outcome(() -> SnapshotCodec.decode(file.bytes()));
            String byStore = outcome(() -> store.load(path));
            assertThat(byStore).as(file.name()).isEqualTo(byCodec);
        }
    }

    @ParameterizedTest
    @MethodSource("handMade")
    void decode_handMadeDamagedFile_refusedSayingWhatIsWrong(String name) throws IOException {
        byte[] bytes;
        try (InputStream in = getClass().getResourceAsStream("/snapshots/damaged/" + name)) {
            assertThat(in).as(name).isNotNull();
            bytes = in.readAllBytes();
        }

        assertThatThrownBy(() -> SnapshotCodec.decode(bytes))
                .isInstanceOf(CorruptSnapshotException.class)
                .hasMessageContaining(HAND_MADE.get(name))
                .message()
                .doesNotContain("\n");
    }

    private static String outcome(java.util.function.Supplier<Snapshot> decode) {
        try {
            return "ok " + SnapshotCodec.encode(decode.get()).length;
        } catch (CorruptSnapshotException e) {
            return "refused: " + e.getMessage();
        }
    }

    private static void restore(Snapshot snapshot) {
        try (EventBus bus = EventBus.create();
                CoordinationState state =
                        CoordinationState.create(bus, StateOptions.defaults().withSweepInterval(Duration.ZERO))) {
            state.restore(snapshot);
            assertThat(state.revision()).isEqualTo(snapshot.revision());
        }
    }
}
