package dev.colony.cli;

import static dev.colony.cli.Captured.capture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.snapshot.CorruptSnapshotException;
import dev.colony.snapshot.Snapshot;
import dev.colony.snapshot.SnapshotCodec;
import dev.colony.snapshot.SnapshotStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged-snapshot corpus ({@link VerifyCorpus}; colony-core's DamagedSnapshotTest runs a larger one through
 * the codec and the store) through {@code colony snapshot verify}: a file verify accepts is one a restore
 * accepts and the other way round; a refusal is one line on stderr, exit 1, never a stack trace.
 */
class SnapshotVerifyCorpusTest {
    @TempDir
    Path dir;

    @Test
    void verify_damagedCorpus_agreesWithRestoreAndFailsInOneLine() throws IOException {
        long seed = Long.getLong("colony.seed", 20261207L);
        System.out.printf("[seed] SnapshotVerifyCorpusTest: seed=%d (replay with -Dcolony.seed=%d)%n", seed, seed);
        List<VerifyCorpus.Damaged> corpus = VerifyCorpus.of(seed);
        SnapshotStore store = SnapshotStore.open(dir);
        List<String> problems = new ArrayList<>();
        int accepted = 0;
        for (int i = 0; i < corpus.size(); i++) {
            VerifyCorpus.Damaged damaged = corpus.get(i);
            Path file = dir.resolve("snapshot-%020d.snap".formatted(i));
            Files.write(file, damaged.bytes());
            boolean restores = restores(store, file);

            Captured result = capture("snapshot", "verify", file.toString());

            String all = result.out() + result.err();
            if (result.code() != (restores ? 0 : 1)) {
                problems.add(damaged.name() + ": verify exit " + result.code() + ", restore " + restores);
            } else if (!restores && result.err().lines().count() != 1) {
                problems.add(damaged.name() + ": not one line: " + result.err());
            } else if (all.contains("\tat ") || all.contains("Exception")) {
                problems.add(damaged.name() + ": " + all);
            }
            accepted += restores ? 1 : 0;
            Files.delete(file);
        }
        System.out.printf("[corpus] seed=%d: %d files through verify, %d accepted%n", seed, corpus.size(), accepted);

        assertThat(problems).isEmpty();
    }

    private static boolean restores(SnapshotStore store, Path file) {
        Snapshot snapshot;
        try {
            snapshot = store.load(file);
        } catch (CorruptSnapshotException e) {
            return false;
        }
        try (var bus = dev.colony.bus.EventBus.create();
                var state = dev.colony.state.CoordinationState.create(bus, dev.colony.state.StateOptions.defaults())) {
            state.restore(snapshot);
            return SnapshotCodec.encode(state.snapshot()).length > 0;
        }
    }
}
