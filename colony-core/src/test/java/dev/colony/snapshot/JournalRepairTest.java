package dev.colony.snapshot;

import static dev.colony.snapshot.JournalDamageTest.put;
import static dev.colony.snapshot.JournalDamageTest.recordStarts;
import static dev.colony.snapshot.JournalDamageTest.written;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalRepairTest {
    private static final String FIRST = "journal-00000000000000000001.log";

    @TempDir
    Path dir;

    private byte[] damagedFirstRecord(int records) throws IOException {
        byte[] bytes = written(dir, records);
        bytes[JournalCodec.SEGMENT_HEADER + JournalCodec.HEADER + 2] ^= 0x04; // the first record's body
        Files.write(dir.resolve(FIRST), bytes);
        return bytes;
    }

    @Test
    void inspect_cleanAndDamagedSegments_reportsVersionCountsRevisionsAndDamage() throws IOException {
        byte[] bytes = damagedFirstRecord(5);

        List<JournalSegment> segments = Journal.inspect(dir);

        assertThat(segments).singleElement().satisfies(segment -> {
            assertThat(segment.version()).isEqualTo(2);
            assertThat(segment.bytes()).isEqualTo(bytes.length);
            assertThat(segment.records()).isZero();
            assertThat(segment.recoverable()).isFalse();
            JournalDamage damage = segment.damage().orElseThrow();
            assertThat(damage.offset()).isEqualTo(JournalCodec.SEGMENT_HEADER);
            assertThat(damage.tornTail()).isFalse();
            assertThat(damage.recordsAfter()).isEqualTo(4);
            assertThat(damage.firstRevisionAfter()).isEqualTo(2);
            assertThat(damage.lastRevisionAfter()).isEqualTo(5);
            assertThat(damage.nextValidOffset())
                    .isEqualTo((long) recordStarts(bytes).get(1));
        });
        assertThat(Files.readAllBytes(dir.resolve(FIRST))).isEqualTo(bytes); // inspect changes nothing
    }

    @Test
    void repair_validRecordsAfterTheDamage_withoutForce_refusesAndChangesNothing() throws IOException {
        byte[] bytes = damagedFirstRecord(5);

        assertThatThrownBy(() -> Journal.repair(dir, false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("repair would drop 4 valid records (revisions 2 to 5)");
        assertThat(Files.readAllBytes(dir.resolve(FIRST))).isEqualTo(bytes);
        try (var files = Files.list(dir)) {
            assertThat(files).hasSize(1);
        }
    }

    @Test
    void repair_withForce_cutsAtTheDamageAfterSettingTheRestAsideAndRecoveryOpens() throws IOException {
        byte[] bytes = damagedFirstRecord(3);
        assertThatThrownBy(() -> Journal.open(Durability.in(dir))).isInstanceOf(CorruptJournalException.class);
        Path later = dir.resolve("journal-00000000000000000004.log");
        Files.write(later, JournalCodec.segmentHeader());

        JournalRepair repair = Journal.repair(dir, true).orElseThrow();

        int offset = JournalCodec.SEGMENT_HEADER;
        assertThat(repair.segment()).isEqualTo(dir.resolve(FIRST));
        assertThat(repair.offset()).isEqualTo(offset);
        assertThat(repair.sideFile()).isEqualTo(dir.resolve(FIRST + ".torn-" + offset));
        assertThat(Files.readAllBytes(repair.sideFile())).isEqualTo(Arrays.copyOfRange(bytes, offset, bytes.length));
        assertThat(Files.size(dir.resolve(FIRST))).isEqualTo(offset);
        assertThat(repair.setAsideSegments()).containsExactly(dir.resolve(later.getFileName() + ".set-aside"));
        assertThat(later).doesNotExist();
        assertThat(repair.recordsLost()).isEqualTo(2);
        assertThat(repair.firstRevisionLost()).isEqualTo(2);
        assertThat(repair.lastRevisionLost()).isEqualTo(3);
        try (Journal journal = Journal.open(Durability.in(dir))) {
            assertThat(journal.recovered()).isEmpty();
            journal.resume(1);
            journal.append(List.of(put(1).subject()), List.of(put(1).change()));
        }
        assertThat(Journal.inspect(dir))
                .singleElement()
                .satisfies(s -> assertThat(s.records()).isEqualTo(1));
    }

    @Test
    void repair_tornTailOnly_needsNoForce_andACleanJournalNeedsNoRepair() throws IOException {
        byte[] bytes = written(dir, 3);
        assertThat(Journal.repair(dir, false)).isEmpty();
        Files.write(dir.resolve(FIRST), Arrays.copyOf(bytes, bytes.length - 5));

        JournalRepair repair = Journal.repair(dir, false).orElseThrow();

        assertThat(repair.recordsLost()).isZero();
        assertThat(repair.offset()).isEqualTo((long) recordStarts(bytes).get(2));
        assertThat(Journal.inspect(dir)).singleElement().satisfies(s -> {
            assertThat(s.records()).isEqualTo(2);
            assertThat(s.damage()).isEmpty();
        });
    }

    @Test
    void repair_damagedSegmentHeader_withForce_setsTheWholeSegmentAsideAndTheJournalCarriesOn() throws IOException {
        byte[] bytes = written(dir, 3);
        bytes[2] ^= 0x08; // the magic
        Files.write(dir.resolve(FIRST), bytes);
        assertThat(Journal.inspect(dir).getFirst().damage().orElseThrow().problem())
                .isEqualTo("damaged segment header (its magic differs from COLONYJL in 1 bits)");
        assertThatThrownBy(() -> Journal.repair(dir, false)).hasMessageContaining("repair would drop 3 valid records");

        JournalRepair repair = Journal.repair(dir, true).orElseThrow();

        assertThat(repair.offset()).isZero();
        assertThat(Files.readAllBytes(repair.sideFile())).isEqualTo(bytes);
        try (Journal journal = Journal.open(Durability.in(dir))) {
            assertThat(journal.recovered()).isEmpty();
            journal.resume(1);
            journal.append(List.of(put(1).subject()), List.of(put(1).change()));
        }
        assertThat(Journal.inspect(dir)).singleElement().satisfies(s -> {
            assertThat(s.version()).isEqualTo(2);
            assertThat(s.records()).isEqualTo(1);
        });
    }

    @Test
    void repair_unknownFormatVersion_isRefusedEvenWithForce() throws IOException {
        byte[] bytes = written(dir, 2);
        bytes[JournalCodec.MAGIC.length + 3] = 9;
        Files.write(dir.resolve(FIRST), bytes);

        assertThatThrownBy(() -> Journal.repair(dir, true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("format version 9, which this build does not read");
        assertThat(Files.readAllBytes(dir.resolve(FIRST))).isEqualTo(bytes);
    }
}
