package dev.colony.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.LogCapture;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's ring file: the round trip, the window, and every kind of bad file ignored with one WARN. */
class SeriesFileTest {
    static final long NOW = 1_800_000_000L;

    @TempDir
    Path dir;

    @Test
    void open_afterWrites_readsEveryPointOldestFirst() {
        Path path = dir.resolve("series");
        List<Figures.Point> points = List.of(
                point(NOW - 3, 1.5), point(NOW - 1, 2.25), point(NOW - 2, 0), point(NOW, 1e9), point(NOW - 599, 7));
        try (SeriesFile file = SeriesFile.open(path, NOW - 600)) {
            assertThat(file.loaded()).isEmpty();
            points.forEach(file::write);
        }

        try (SeriesFile again = SeriesFile.open(path, NOW)) {
            assertThat(again.loaded())
                    .containsExactly(points.get(4), points.get(0), points.get(2), points.get(1), points.get(3));
        }
        assertThat(path).hasSize(SeriesFile.SIZE);
    }

    @Test
    void open_missingFile_createsAnEmptyRingOfFixedSize() throws IOException {
        Path path = dir.resolve("series");
        try (LogCapture log = LogCapture.of("dev.colony.server.dashboard");
                SeriesFile file = SeriesFile.open(path, NOW)) {
            assertThat(file.loaded()).isEmpty();
            assertThat(log.containing("dashboard history")).isEmpty();
        }
        assertThat(Files.size(path)).isEqualTo(SeriesFile.SIZE).isEqualTo(21_624);
    }

    @Test
    void open_pointsOlderThanTheWindowOrFromTheFuture_areDropped() {
        Path path = dir.resolve("series");
        try (SeriesFile file = SeriesFile.open(path, NOW)) {
            file.write(point(NOW - 600, 1)); // exactly ten minutes old: out
            file.write(point(NOW - 700, 2));
            file.write(point(NOW - 599, 3));
            file.write(point(NOW + 5, 4)); // the clock moved back since
        }
        try (SeriesFile again = SeriesFile.open(path, NOW)) {
            assertThat(again.loaded()).containsExactly(point(NOW - 599, 3));
        }
    }

    @Test
    void write_sameSlotTenMinutesLater_replacesTheOlderPoint() {
        Path path = dir.resolve("series");
        try (SeriesFile file = SeriesFile.open(path, NOW)) {
            file.write(point(NOW - 600, 1));
            file.write(point(NOW, 2));
        }
        try (SeriesFile again = SeriesFile.open(path, NOW + 1_000_000)) {
            assertThat(again.loaded()).isEmpty();
        }
        try (SeriesFile again = SeriesFile.open(path, NOW)) {
            assertThat(again.loaded()).containsExactly(point(NOW, 2));
        }
    }

    @Test
    void open_truncatedFile_isIgnoredWithOneWarnAndReplaced() throws IOException {
        Path path = written();
        byte[] bytes = Files.readAllBytes(path);
        Files.write(path, java.util.Arrays.copyOf(bytes, 1000));

        assertIgnored(path, "is 1000 bytes, expected 21624");
    }

    @Test
    void open_fileCutInsideItsHeader_isIgnoredWithOneWarn() throws IOException {
        Path path = written();
        Files.write(path, java.util.Arrays.copyOf(Files.readAllBytes(path), 10));

        assertIgnored(path, "shorter than its header");
    }

    @Test
    void open_garbageOfTheRightSize_isIgnoredAsForeign() throws IOException {
        Path path = dir.resolve("series");
        byte[] garbage = new byte[(int) SeriesFile.SIZE];
        new Random(19).nextBytes(garbage); // fixed seed
        Files.write(path, garbage);

        assertIgnored(path, "not a dashboard history file");
    }

    @Test
    void open_emptyFile_isIgnoredWithOneWarn() throws IOException {
        Path path = dir.resolve("series");
        Files.write(path, new byte[0]);

        assertIgnored(path, "shorter than its header");
    }

    @Test
    void open_otherVersion_isIgnoredNamingTheVersion() throws IOException {
        Path path = written();
        byte[] bytes = Files.readAllBytes(path);
        ByteBuffer.wrap(bytes).putInt(8, 2);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, 20);
        ByteBuffer.wrap(bytes).putInt(20, (int) crc.getValue());
        Files.write(path, bytes);

        assertIgnored(path, "it is version 2, this server reads version 1");
    }

    @Test
    void open_damagedHeader_isIgnoredWithOneWarn() throws IOException {
        Path path = written();
        byte[] bytes = Files.readAllBytes(path);
        bytes[17] ^= 1; // the capacity, without fixing the checksum
        Files.write(path, bytes);

        assertIgnored(path, "its header is damaged");
    }

    @Test
    void open_oneTornRecord_skipsItKeepsTheOthersAndWarnsOnce() throws IOException {
        Path path = written();
        byte[] bytes = Files.readAllBytes(path);
        int slot = (int) Math.floorMod(NOW - 1, (long) SeriesFile.CAPACITY);
        bytes[SeriesFile.HEADER + slot * SeriesFile.RECORD + 9] ^= 0x40; // inside events/s of NOW - 1
        Files.write(path, bytes);

        try (LogCapture log = LogCapture.of("dev.colony.server.dashboard");
                SeriesFile file = SeriesFile.open(path, NOW)) {
            assertThat(file.loaded()).containsExactly(point(NOW - 2, 2), point(NOW, 4));
            assertThat(log.containing("dashboard history"))
                    .singleElement()
                    .satisfies(line -> assertThat(line.message())
                            .isEqualTo("skipped 1 damaged record(s) of the dashboard history " + path));
        }
    }

    @Test
    void open_unopenablePath_keepsTheSeriesInMemoryWithOneWarn() {
        Path path = dir.resolve("no-such-dir").resolve("series");
        try (LogCapture log = LogCapture.of("dev.colony.server.dashboard");
                SeriesFile file = SeriesFile.open(path, NOW)) {
            file.write(point(NOW, 1)); // nothing to write to, and no second line
            assertThat(file.loaded()).isEmpty();
            assertThat(log.containing("dashboard history"))
                    .singleElement()
                    .satisfies(
                            line -> assertThat(line.message()).startsWith("no dashboard history: cannot open " + path));
        }
        assertThat(path).doesNotExist();
    }

    @Test
    void none_writesNothingAndStartsEmpty() {
        SeriesFile none = SeriesFile.none();
        none.write(point(NOW, 1));
        assertThat(none.loaded()).isEmpty();
        none.close();
        none.close();
        assertThat(dir).isEmptyDirectory();
    }

    /** The file is ignored with one WARN naming it and the reason, and replaced by a ring that works again. */
    private void assertIgnored(Path path, String reason) throws IOException {
        try (LogCapture log = LogCapture.of("dev.colony.server.dashboard");
                SeriesFile file = SeriesFile.open(path, NOW)) {
            assertThat(file.loaded()).isEmpty();
            assertThat(log.containing("dashboard history")).singleElement().satisfies(line -> {
                assertThat(line.level()).isEqualTo(java.util.logging.Level.WARNING);
                assertThat(line.message())
                        .startsWith("ignoring the dashboard history " + path + ": ")
                        .contains(reason)
                        .endsWith("; starting an empty one");
            });
            file.write(point(NOW, 9));
        }
        assertThat(Files.size(path)).isEqualTo(SeriesFile.SIZE);
        try (SeriesFile again = SeriesFile.open(path, NOW)) {
            assertThat(again.loaded()).containsExactly(point(NOW, 9));
        }
    }

    /** A ring with points at NOW - 2, NOW - 1 and NOW. */
    private Path written() {
        Path path = dir.resolve("series");
        try (SeriesFile file = SeriesFile.open(path, NOW)) {
            file.write(point(NOW - 2, 2));
            file.write(point(NOW - 1, 3));
            file.write(point(NOW, 4));
        }
        return path;
    }

    private static Figures.Point point(long second, double events) {
        return new Figures.Point(second, events, events / 2, events / 4);
    }
}
