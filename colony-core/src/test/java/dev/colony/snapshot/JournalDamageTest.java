package dev.colony.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.bus.TestSeeds;
import dev.colony.state.MemoryEntry;
import dev.colony.state.StateChange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No damage silently drops the journal (ADR 0020): every single-bit flip of the first records is either
 * refused naming the segment and offset or loses nothing; every cut of the last record is a torn tail
 * whose bytes land in a side file.
 */
class JournalDamageTest {
    private static final String SEGMENT = "journal-00000000000000000001.log";
    private static final int RECORDS = 10;

    @TempDir
    Path dir;

    static Journal.Entry put(long revision) {
        byte[] value = ("value-" + revision).getBytes(StandardCharsets.UTF_8);
        MemoryEntry entry = new MemoryEntry("ns", "k" + revision, value, revision, null);
        return new Journal.Entry("colony.memory.ns.k" + revision, new StateChange(revision, "put", entry));
    }

    static List<Journal.Entry> puts(int count) {
        return Stream.iterate(1L, r -> r + 1)
                .limit(count)
                .map(JournalDamageTest::put)
                .toList();
    }

    /** Writes {@code count} records, one per append, into a fresh segment of {@code directory}; returns its bytes. */
    static byte[] written(Path directory, int count) throws IOException {
        try (Journal journal = Journal.open(Durability.in(directory).withFsync(FsyncPolicy.OS))) {
            journal.resume(1);
            for (Journal.Entry entry : puts(count)) {
                journal.append(List.of(entry.subject()), List.of(entry.change()));
            }
        }
        return Files.readAllBytes(directory.resolve(SEGMENT));
    }

    /** The offset where each record starts, and the end of the segment last. */
    static List<Integer> recordStarts(byte[] bytes) {
        List<Integer> starts = new ArrayList<>();
        int position = JournalCodec.SEGMENT_HEADER;
        while (position < bytes.length) {
            starts.add(position);
            position += JournalCodec.HEADER + JournalCodec.getInt(bytes, position);
        }
        starts.add(bytes.length);
        return starts;
    }

    private static List<Long> revisions(List<Journal.Entry> entries) {
        return entries.stream().map(e -> e.change().revision()).toList();
    }

    private static List<Long> revisionsUpTo(int count) {
        return Stream.iterate(1L, r -> r + 1).limit(count).toList();
    }

    /** Opens {@code directory}'s journal and returns what it recovered, or the exception it threw. */
    private static Object recover(Path directory) {
        try (Journal journal = Journal.open(Durability.in(directory))) {
            return journal.recovered();
        } catch (CorruptJournalException e) {
            return e;
        }
    }

    private List<Path> sideFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().contains(".torn-"))
                    .toList();
        }
    }

    private void reset(byte[] segment) throws IOException {
        for (Path side : sideFiles()) {
            Files.delete(side);
        }
        Files.write(dir.resolve(SEGMENT), segment);
    }

    @Test
    void open_everySingleBitFlipOfTheHeaderAndFirstThreeRecords_isRefusedNamingSegmentAndOffset() throws IOException {
        byte[] good = written(dir, RECORDS);
        List<Integer> starts = recordStarts(good);
        int refused = 0;
        for (int bit = 0; bit < starts.get(3) * 8; bit++) {
            byte[] flipped = good.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            reset(flipped);
            int record = 0;
            while (record < 3 && starts.get(record + 1) <= bit / 8) {
                record++;
            }
            int expectedOffset = bit / 8 < JournalCodec.SEGMENT_HEADER ? 0 : starts.get(record);

            Object outcome = recover(dir);

            if (outcome instanceof CorruptJournalException e) {
                assertThat(e.getMessage())
                        .as("bit %d", bit)
                        .contains(dir.resolve(SEGMENT).toString())
                        .contains("damaged at offset " + expectedOffset + ":")
                        .doesNotContain("\n");
                assertThat(Files.readAllBytes(dir.resolve(SEGMENT)))
                        .as("nothing cut, bit %d", bit)
                        .isEqualTo(flipped);
                assertThat(sideFiles()).as("bit %d", bit).isEmpty();
                refused++;
            } else {
                @SuppressWarnings("unchecked")
                List<Journal.Entry> recovered = (List<Journal.Entry>) outcome;
                assertThat(revisions(recovered)).as("bit %d", bit).isEqualTo(revisionsUpTo(RECORDS));
            }
        }
        // CRC32C catches every single-bit error, and valid records follow each of these: all refused
        assertThat(refused).isEqualTo(starts.get(3) * 8);
    }

    @Test
    void open_flippedBitInTheFirstRecordsLength_with300ValidRecordsAfter_isRefusedNotCut() throws IOException {
        byte[] good = written(dir, 301);
        byte[] flipped = good.clone();
        flipped[JournalCodec.SEGMENT_HEADER + 2] ^= 0x10; // the length now points past the end of the segment
        reset(flipped);

        assertThatThrownBy(() -> Journal.open(Durability.in(dir)))
                .isInstanceOf(CorruptJournalException.class)
                .hasMessageContaining(SEGMENT)
                .hasMessageContaining("damaged at offset 12: record header checksum mismatch")
                .hasMessageContaining("300 valid records, revisions 2 to 301");
        assertThat(Files.readAllBytes(dir.resolve(SEGMENT))).isEqualTo(flipped);
        assertThat(sideFiles()).isEmpty();
    }

    @Test
    void open_lastRecordCutAtEveryOffset_isATornTailSetAsideInASideFile() throws IOException {
        byte[] good = written(dir, RECORDS);
        List<Integer> starts = recordStarts(good);
        int last = starts.get(RECORDS - 1);
        for (int cut = last + 1; cut < good.length; cut++) {
            reset(Arrays.copyOf(good, cut));

            Object outcome = recover(dir);

            assertThat(outcome).as("cut at %d", cut).isInstanceOf(List.class);
            @SuppressWarnings("unchecked")
            List<Journal.Entry> recovered = (List<Journal.Entry>) outcome;
            assertThat(revisions(recovered)).as("cut at %d", cut).isEqualTo(revisionsUpTo(RECORDS - 1));
            assertThat(Files.size(dir.resolve(SEGMENT))).isEqualTo(last);
            Path side = dir.resolve(SEGMENT + ".torn-" + last);
            assertThat(sideFiles()).containsExactly(side);
            assertThat(Files.readAllBytes(side)).isEqualTo(Arrays.copyOfRange(good, last, cut));
        }
    }

    @Test
    void open_randomSingleBitFlipsAnywhere_neverLoseARecordSilently() throws IOException {
        long seed = TestSeeds.seed("JournalDamageTest.randomFlips", 0xF11B_0014L);
        Random random = new Random(seed);
        byte[] good = written(dir, RECORDS);
        int last = recordStarts(good).get(RECORDS - 1);
        for (int i = 0; i < 200; i++) {
            int bit = random.nextInt(good.length * 8);
            byte[] flipped = good.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            reset(flipped);

            Object outcome = recover(dir);

            if (outcome instanceof List<?> recovered && bit / 8 >= last) {
                // the last record: indistinguishable from a torn write, so cut, but only into a side file
                assertThat(recovered).as("bit %d", bit).hasSize(RECORDS - 1);
                Path side = dir.resolve(SEGMENT + ".torn-" + last);
                assertThat(Files.readAllBytes(side)).isEqualTo(Arrays.copyOfRange(flipped, last, flipped.length));
            } else {
                assertThat(outcome).as("bit %d", bit).isInstanceOf(CorruptJournalException.class);
            }
        }
    }

    @Test
    void open_versionOneSegment_isReadAndAppendingStartsAVersionTwoSegment() throws IOException {
        byte[] v2 = written(dir, 3);
        Files.write(dir.resolve(SEGMENT), versionOne(v2));

        try (Journal journal = Journal.open(Durability.in(dir))) {
            assertThat(journal.recovered())
                    .usingRecursiveFieldByFieldElementComparator()
                    .isEqualTo(puts(3));
            journal.resume(4);
            journal.append(List.of(put(4).subject()), List.of(put(4).change()));
        }

        assertThat(Journal.inspect(dir))
                .extracting(JournalSegment::version, JournalSegment::records, JournalSegment::lastRevision)
                .containsExactly(Tuple.tuple(1, 3, 3L), Tuple.tuple(2, 1, 4L));
        try (Journal journal = Journal.open(Durability.in(dir))) {
            assertThat(revisions(journal.recovered())).containsExactly(1L, 2L, 3L, 4L);
        }
    }

    @Test
    void open_versionOneSegmentDamagedInTheMiddle_isRefused() throws IOException {
        byte[] v1 = versionOne(written(dir, 3));
        v1[JournalCodec.V1_HEADER + 3] ^= 0x01; // the first record's body
        Files.write(dir.resolve(SEGMENT), v1);

        assertThatThrownBy(() -> Journal.open(Durability.in(dir)))
                .isInstanceOf(CorruptJournalException.class)
                .hasMessageContaining("damaged at offset 0: record body checksum mismatch");
    }

    @Test
    void open_unknownFormatVersion_isRefusedNamingTheVersion() throws IOException {
        byte[] bytes = written(dir, 3);
        bytes[JournalCodec.MAGIC.length + 3] = 7;
        Files.write(dir.resolve(SEGMENT), bytes);

        assertThatThrownBy(() -> Journal.open(Durability.in(dir)))
                .isInstanceOf(CorruptJournalException.class)
                .hasMessageContaining(SEGMENT)
                .hasMessageContaining("damaged at offset 0: unknown journal format version 7");
    }

    /** The same records in format version 1: no segment header, no header checksum. */
    static byte[] versionOne(byte[] v2) {
        var out = new java.io.ByteArrayOutputStream();
        List<Integer> starts = recordStarts(v2);
        for (int i = 0; i + 1 < starts.size(); i++) {
            int start = starts.get(i);
            out.write(v2, start, 8); // length, body CRC
            out.write(v2, start + JournalCodec.HEADER, starts.get(i + 1) - start - JournalCodec.HEADER);
        }
        return out.toByteArray();
    }
}
