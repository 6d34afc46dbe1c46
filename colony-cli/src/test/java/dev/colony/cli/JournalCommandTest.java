package dev.colony.cli;

import static dev.colony.cli.Captured.capture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.bus.EventBus;
import dev.colony.snapshot.Durability;
import dev.colony.snapshot.FsyncPolicy;
import dev.colony.state.CoordinationState;
import dev.colony.state.DurableState;
import dev.colony.state.StateOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalCommandTest {
    private static final String SEGMENT = "journal-00000000000000000001.log";
    /** The segment header, then each record's 12-byte header (ADR 0020). */
    private static final int FIRST_RECORD = 12;

    @TempDir
    Path dir;

    private Path segment() {
        return dir.resolve(SEGMENT);
    }

    private byte[] journal(int puts) throws IOException {
        try (EventBus bus = EventBus.create();
                DurableState state = CoordinationState.open(
                        bus,
                        StateOptions.defaults().withSweepInterval(Duration.ZERO),
                        Durability.in(dir).withFsync(FsyncPolicy.OS))) {
            for (int i = 1; i <= puts; i++) {
                state.memory().put("ns", "k" + i, ("v" + i).getBytes(StandardCharsets.UTF_8));
            }
        }
        return Files.readAllBytes(segment());
    }

    /** A journal of 10 operations whose first record has a flipped bit in its body. */
    private byte[] damaged() throws IOException {
        byte[] bytes = journal(10);
        bytes[FIRST_RECORD + 12 + 3] ^= 0x20;
        Files.write(segment(), bytes);
        return bytes;
    }

    private static void assertOneLineNoTrace(String text) {
        assertThat(text.strip())
                .doesNotContain("\n")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
    }

    @Test
    void verify_cleanJournal_printsOkWithCounts_exit0() throws IOException {
        journal(10);

        Captured result = capture("journal", "verify", dir.toString());

        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out().strip()).isEqualTo("OK: 1 segments, 10 records, revisions 1 to 10");
    }

    @Test
    void verify_tornTail_isOkAndSaysSo_exit0() throws IOException {
        byte[] bytes = journal(3);
        Files.write(segment(), Arrays.copyOf(bytes, bytes.length - 4));

        Captured result = capture("journal", "verify", dir.toString());

        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out())
                .contains("OK: 1 segments, 2 records, revisions 1 to 2; torn tail at offset")
                .contains("set aside on the next open");
        assertThat(Files.size(segment())).isEqualTo(bytes.length - 4); // verify changes nothing
    }

    @Test
    void verify_damagedJournal_oneLineNamingSegmentOffsetAndProblem_exit1() throws IOException {
        damaged();

        Captured result = capture("journal", "verify", dir.toString());

        assertThat(result.code()).isEqualTo(1);
        assertOneLineNoTrace(result.err());
        assertThat(result.err())
                .contains(segment().toString())
                .contains("damaged at offset 12: record body checksum mismatch")
                .contains("9 valid records, revisions 2 to 10");
    }

    @Test
    void inspect_printsPerSegmentVersionBytesRecordsRevisionsAndState() throws IOException {
        byte[] bytes = damaged();

        Captured result = capture("journal", "inspect", dir.toString());

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.out())
                .containsPattern("segment +" + Pattern.quote(segment().toString()))
                .containsPattern("version +2")
                .containsPattern("bytes +" + bytes.length)
                .containsPattern("records +0")
                .containsPattern("revisions +none")
                .containsPattern("state +DAMAGED at offset 12: record body checksum mismatch");
    }

    @Test
    void inspect_cleanJournal_exit0() throws IOException {
        journal(4);

        Captured result = capture("journal", "inspect", dir.toString());

        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out())
                .containsPattern("records +4")
                .containsPattern("revisions +1 to 4")
                .containsPattern("state +OK");
    }

    @Test
    void repair_validRecordsAfterTheDamage_refusesWithoutForce_exit1() throws IOException {
        byte[] bytes = damaged();

        Captured result = capture("journal", "repair", dir.toString());

        assertThat(result.code()).isEqualTo(1);
        assertOneLineNoTrace(result.err());
        assertThat(result.err())
                .contains("repair would drop 9 valid records (revisions 2 to 10)")
                .contains("pass --force");
        assertThat(Files.readAllBytes(segment())).isEqualTo(bytes);
    }

    @Test
    void repair_withForce_printsWhatItSetAsideAndWhatIsLost_thenVerifyIsOk() throws IOException {
        byte[] bytes = damaged();

        Captured result = capture("journal", "repair", "--force", dir.toString());

        assertThat(result.code()).as(result.err()).isZero();
        Path side = dir.resolve(SEGMENT + ".torn-" + FIRST_RECORD);
        assertThat(result.out())
                .contains("cut " + segment() + " at offset 12; the cut bytes are in " + side)
                .contains("lost: 9 records (revisions 2 to 10)");
        assertThat(Files.readAllBytes(side)).isEqualTo(Arrays.copyOfRange(bytes, FIRST_RECORD, bytes.length));
        assertThat(capture("journal", "verify", dir.toString()).out()).startsWith("OK: 1 segments, 0 records");
    }

    @Test
    void repair_cleanJournal_changesNothing_exit0() throws IOException {
        byte[] bytes = journal(3);

        Captured result = capture("journal", "repair", dir.toString());

        assertThat(result.code()).isZero();
        assertThat(result.out()).contains("nothing changed");
        assertThat(Files.readAllBytes(segment())).isEqualTo(bytes);
    }

    @Test
    void missingDirectory_oneLine_exit1() {
        Path missing = dir.resolve("nope");
        for (String command : new String[] {"verify", "inspect", "repair"}) {
            Captured result = capture("journal", command, missing.toString());
            assertThat(result.code()).as(command).isEqualTo(1);
            assertThat(result.err().strip()).isEqualTo(missing + ": no such directory");
        }
    }

    @Test
    void badUsage_exit2_withAMessageNamingTheProblem_andNoStackTrace() {
        Captured unknown = capture("journal", "repair", "--frce", dir.toString());
        Captured missingDir = capture("journal", "verify");
        Captured noSubcommand = capture("journal");

        for (Captured result : new Captured[] {unknown, missingDir, noSubcommand}) {
            assertThat(result.code()).as(result.err()).isEqualTo(2);
            assertThat(result.err()).doesNotContain("Exception").doesNotContain("\tat ");
        }
        assertThat(unknown.err().lines().findFirst().orElseThrow()).contains("--frce");
        assertThat(missingDir.err().lines().findFirst().orElseThrow()).contains("DIR");
        assertThat(noSubcommand.err().lines().findFirst().orElseThrow())
                .contains("missing subcommand: verify, inspect or repair");
    }

    @Test
    void help_describesTheToolsAndTheExitCodes() {
        Captured result = capture("journal", "--help");

        assertThat(result.code()).isZero();
        assertThat(result.out())
                .contains("verify")
                .contains("inspect")
                .contains("repair")
                .contains("torn tail")
                .contains("<segment>.torn-<offset>")
                .contains("Exit code 0");
    }
}
