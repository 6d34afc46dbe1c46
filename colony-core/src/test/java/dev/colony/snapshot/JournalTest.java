package dev.colony.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.state.StateChange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JournalTest {
    @TempDir
    Path dir;

    /** One change of every entity kind: agents, tasks, leaderships, memory entries, a whole snapshot. */
    private static List<Journal.Entry> sampleEntries() {
        Snapshot sample = SnapshotCodecTest.sample();
        List<Journal.Entry> entries = new ArrayList<>();
        long revision = 0;
        for (var agent : sample.agents()) {
            entries.add(entry("colony.agent." + agent.id().value() + ".registered", ++revision, "registered", agent));
        }
        for (var task : sample.tasks()) {
            entries.add(entry("colony.task." + task.id() + ".submitted", ++revision, "submitted", task));
        }
        for (var group : sample.leaders()) {
            if (group.current() != null) {
                entries.add(
                        entry("colony.leader." + group.group() + ".elected", ++revision, "elected", group.current()));
            }
        }
        for (var memoryEntry : sample.memory()) {
            entries.add(entry(
                    "colony.memory." + memoryEntry.namespace() + "." + memoryEntry.key(),
                    ++revision,
                    "put",
                    memoryEntry));
        }
        entries.add(entry("colony.state.restored", sample.revision(), "restored", sample));
        return entries;
    }

    private static Journal.Entry entry(String subject, long revision, String change, Object value) {
        return new Journal.Entry(subject, new StateChange(revision, change, value));
    }

    private static long append(Journal journal, List<Journal.Entry> entries) {
        long position = 0;
        for (Journal.Entry entry : entries) {
            position = journal.append(List.of(entry.subject()), List.of(entry.change()));
        }
        return position;
    }

    private Path onlySegment() throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("journal-"))
                    .findFirst()
                    .orElseThrow();
        }
    }

    @ParameterizedTest
    @EnumSource(FsyncPolicy.class)
    void append_everyEntityKind_roundTripsInOrder(FsyncPolicy policy) {
        List<Journal.Entry> written = sampleEntries();
        try (Journal journal = Journal.open(Durability.in(dir).withFsync(policy))) {
            journal.resume(1);
            journal.awaitDurable(append(journal, written));
        }
        try (Journal journal = Journal.open(Durability.in(dir))) {
            assertThat(journal.recovered())
                    .usingRecursiveFieldByFieldElementComparator()
                    .isEqualTo(written);
        }
    }

    @Test
    void append_oneOperation_isOneWriteOfAllItsRecords() throws IOException {
        List<Journal.Entry> written = sampleEntries().subList(0, 3);
        try (Journal journal = Journal.open(Durability.in(dir))) {
            journal.resume(1);
            long position = journal.append(
                    written.stream().map(Journal.Entry::subject).toList(),
                    written.stream().map(Journal.Entry::change).toList());
            assertThat(position).isEqualTo(1);
        }
        try (Journal journal = Journal.open(Durability.in(dir))) {
            assertThat(journal.recovered()).hasSize(3);
        }
        assertThat(onlySegment().getFileName()).hasToString("journal-00000000000000000001.log");
    }

    @Test
    void open_partialLastRecord_isCutAway() throws IOException {
        List<Journal.Entry> written = sampleEntries();
        try (Journal journal = Journal.open(Durability.in(dir))) {
            journal.resume(1);
            append(journal, written);
        }
        Path segment = onlySegment();
        long whole = Files.size(segment);
        byte[] bytes = Files.readAllBytes(segment);
        // a crash in the middle of a second copy of the first record: its header promises more than is there
        int first = JournalCodec.SEGMENT_HEADER;
        Files.write(segment, java.util.Arrays.copyOfRange(bytes, first, first + 20), StandardOpenOption.APPEND);

        try (Journal journal = Journal.open(Durability.in(dir))) {
            assertThat(journal.recovered()).hasSize(written.size());
        }
        assertThat(Files.size(segment)).isEqualTo(whole);
        assertThat(Files.readAllBytes(dir.resolve(segment.getFileName() + ".torn-" + whole)))
                .isEqualTo(java.util.Arrays.copyOfRange(bytes, first, first + 20));
    }

    @Test
    void open_lastRecordWithBadChecksum_isCutAway() throws IOException {
        List<Journal.Entry> written = sampleEntries();
        try (Journal journal = Journal.open(Durability.in(dir))) {
            journal.resume(1);
            append(journal, written);
        }
        Path segment = onlySegment();
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length - 3] ^= 0x5A; // inside the last record's body
        Files.write(segment, bytes);

        try (Journal journal = Journal.open(Durability.in(dir))) {
            assertThat(journal.recovered())
                    .usingRecursiveFieldByFieldElementComparator()
                    .isEqualTo(written.subList(0, written.size() - 1));
        }
        assertThat(Files.size(segment)).isLessThan(bytes.length);
    }

    @Test
    void open_garbageAndZerosAtTheEnd_areCutAway() throws IOException {
        try (Journal journal = Journal.open(Durability.in(dir))) {
            journal.resume(1);
            append(journal, sampleEntries());
        }
        Path segment = onlySegment();
        long whole = Files.size(segment);
        Files.write(segment, new byte[] {0x7F, 0x11, 0x22}, StandardOpenOption.APPEND);
        try (Journal journal = Journal.open(Durability.in(dir))) {
            assertThat(journal.recovered()).hasSize(sampleEntries().size());
        }
        assertThat(Files.size(segment)).isEqualTo(whole);
        Path garbage = dir.resolve(segment.getFileName() + ".torn-" + whole);
        assertThat(Files.readAllBytes(garbage)).containsExactly(0x7F, 0x11, 0x22);

        Files.write(segment, new byte[4096], StandardOpenOption.APPEND); // extended, never written
        try (Journal journal = Journal.open(Durability.in(dir))) {
            assertThat(journal.recovered()).hasSize(sampleEntries().size());
        }
        assertThat(Files.size(segment)).isEqualTo(whole);
        // the earlier side file at the same offset stays; the new one takes the next free name
        assertThat(Files.readAllBytes(garbage)).containsExactly(0x7F, 0x11, 0x22);
        assertThat(Files.readAllBytes(dir.resolve(garbage.getFileName() + "-1")))
                .isEqualTo(new byte[4096]);
    }

    @Test
    void open_damageBeforeTheLastRecord_isCorruptionNamingTheOffset() throws IOException {
        try (Journal journal = Journal.open(Durability.in(dir))) {
            journal.resume(1);
            append(journal, sampleEntries());
        }
        Path segment = onlySegment();
        byte[] bytes = Files.readAllBytes(segment);
        int first = JournalCodec.SEGMENT_HEADER;
        bytes[first + JournalCodec.HEADER + 4] ^= 0x01; // inside the first record's body
        Files.write(segment, bytes);

        assertThatThrownBy(() -> Journal.open(Durability.in(dir)))
                .isInstanceOf(CorruptJournalException.class)
                .hasMessageContaining("damaged at offset " + first + ": record body checksum mismatch")
                .hasMessageContaining(segment.getFileName().toString());
        assertThat(Files.readAllBytes(segment)).isEqualTo(bytes); // nothing cut
    }

    @Test
    void open_damagedOlderSegment_isCorruption() throws IOException {
        try (Journal journal = Journal.open(Durability.in(dir))) {
            journal.resume(1);
            append(journal, sampleEntries().subList(0, 2));
            journal.roll(3);
            append(journal, sampleEntries().subList(2, 4));
        }
        Path first = dir.resolve("journal-00000000000000000001.log");
        byte[] bytes = Files.readAllBytes(first);
        Files.write(first, java.util.Arrays.copyOf(bytes, bytes.length - 1)); // torn, but not the newest

        assertThatThrownBy(() -> Journal.open(Durability.in(dir)))
                .isInstanceOf(CorruptJournalException.class)
                .hasMessageContaining("journal-00000000000000000001.log");
    }

    @Test
    void roll_startsASegment_andDeleteOldSegmentsKeepsOnlyIt() throws IOException {
        try (Journal journal = Journal.open(Durability.in(dir))) {
            journal.resume(1);
            append(journal, sampleEntries().subList(0, 2));
            journal.roll(3);
            append(journal, sampleEntries().subList(2, 4));
            assertThat(Journal.segments(dir)).containsOnlyKeys(1L, 3L);
            assertThat(journal.deleteOldSegments()).isEqualTo(1);
            assertThat(Journal.segments(dir)).containsOnlyKeys(3L);
        }
        try (Journal journal = Journal.open(Durability.in(dir))) {
            assertThat(journal.recovered())
                    .usingRecursiveFieldByFieldElementComparator()
                    .isEqualTo(sampleEntries().subList(2, 4));
        }
    }

    @Test
    void durability_badBatchWindow_isRefusedNamingIt() {
        assertThatThrownBy(() -> Durability.in(dir).withBatchWindow(java.time.Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batchWindow")
                .hasMessageContaining("PT5S");
    }
}
