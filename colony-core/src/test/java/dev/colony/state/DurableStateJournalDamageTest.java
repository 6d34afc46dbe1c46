package dev.colony.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.bus.EventBus;
import dev.colony.snapshot.CorruptJournalException;
import dev.colony.snapshot.Durability;
import dev.colony.snapshot.FsyncPolicy;
import dev.colony.snapshot.Journal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14, part 2: damage in the journal stops recovery instead of silently cutting acknowledged writes. */
class DurableStateJournalDamageTest {
    private static final String SEGMENT = "journal-00000000000000000001.log";
    private static final int SEGMENT_HEADER = 12;

    @TempDir
    Path dir;

    private static StateOptions options() {
        return StateOptions.defaults().withSweepInterval(Duration.ZERO);
    }

    private void write(int puts) {
        try (EventBus bus = EventBus.create();
                DurableState state = CoordinationState.open(
                        bus, options(), Durability.in(dir).withFsync(FsyncPolicy.OS))) {
            for (int i = 1; i <= puts; i++) {
                state.memory().put("ns", "k" + i, ("v" + i).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void open_flippedBitInTheFirstRecordsLength_with300AcknowledgedAfter_failsNamingSegmentAndOffset()
            throws IOException {
        write(301);
        Path segment = dir.resolve(SEGMENT);
        byte[] bytes = Files.readAllBytes(segment);
        bytes[SEGMENT_HEADER + 1] ^= 0x01; // the length now runs past the end: once taken for a torn tail

        Files.write(segment, bytes);

        try (EventBus bus = EventBus.create()) {
            assertThatThrownBy(() -> CoordinationState.open(bus, options(), Durability.in(dir)))
                    .isInstanceOf(CorruptJournalException.class)
                    .hasMessageContaining(segment.toString())
                    .hasMessageContaining("is damaged at offset " + SEGMENT_HEADER)
                    .hasMessageContaining("300 valid records, revisions 2 to 301")
                    .hasMessageNotContaining("\n");
        }
        assertThat(Files.readAllBytes(segment)).isEqualTo(bytes); // nothing cut
    }

    @Test
    void open_tornLastOperation_recoversEveryEarlierOneAndKeepsTheTailInASideFile() throws IOException {
        write(5);
        Path segment = dir.resolve(SEGMENT);
        byte[] bytes = Files.readAllBytes(segment);
        assertThat(Journal.inspect(dir).getFirst().records()).isEqualTo(5);
        int lastStart = lastRecordStart(bytes);
        Files.write(segment, Arrays.copyOf(bytes, bytes.length - 3));

        try (EventBus bus = EventBus.create();
                DurableState state = CoordinationState.open(bus, options(), Durability.in(dir))) {
            assertThat(state.memory().get("ns", "k4")).isPresent();
            assertThat(state.memory().get("ns", "k5")).isEmpty();
            assertThat(state.snapshot().revision()).isEqualTo(4);
        }
        assertThat(Files.readAllBytes(dir.resolve(SEGMENT + ".torn-" + lastStart)))
                .isEqualTo(Arrays.copyOfRange(bytes, lastStart, bytes.length - 3));
    }

    /** The offset of the last record: after the header, each record is a 12-byte header and its body. */
    private static int lastRecordStart(byte[] bytes) {
        int position = SEGMENT_HEADER;
        int last = position;
        while (position < bytes.length) {
            last = position;
            int length = ((bytes[position] & 0xFF) << 24)
                    | ((bytes[position + 1] & 0xFF) << 16)
                    | ((bytes[position + 2] & 0xFF) << 8)
                    | (bytes[position + 3] & 0xFF);
            position += 12 + length;
        }
        return last;
    }
}
