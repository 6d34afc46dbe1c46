package dev.colony.cli;

import dev.colony.snapshot.Journal;
import dev.colony.snapshot.JournalDamage;
import dev.colony.snapshot.JournalRepair;
import dev.colony.snapshot.JournalSegment;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code colony journal}: tools for the journal of a durable state's directory (ADR 0020). Exit codes: 0
 * ok, 1 a damaged or unreadable journal (or a repair refused), 2 a usage error.
 */
@Command(
        name = "journal",
        mixinStandardHelpOptions = true,
        description = {
            "Verifies, inspects and repairs the journal of a durable state's directory.",
            "",
            "A torn tail (a bad last record with nothing valid after it, in the newest segment: a crash"
                    + " mid-append) is set aside on open; any other damage stops recovery with an error naming the"
                    + " segment and the byte offset. Nothing is ever cut before the cut bytes are written to a side"
                    + " file <segment>.torn-<offset>. Run these on the directory of a state that is not open.",
            "",
            "Exit code 0 when the journal recovers cleanly, 1 when it is damaged or unreadable (or a repair is"
                    + " refused), 2 on a usage error."
        },
        subcommands = {JournalCommand.Verify.class, JournalCommand.Inspect.class, JournalCommand.Repair.class})
public final class JournalCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: verify, inspect or repair");
    }

    /** The directory's segments, or null after printing one line on why they cannot be read. */
    private static List<JournalSegment> segments(Path directory, PrintWriter err) {
        if (!Files.isDirectory(directory)) {
            err.printf("%s: no such directory%n", directory);
            err.flush();
            return null;
        }
        try {
            return Journal.inspect(directory);
        } catch (UncheckedIOException e) {
            err.printf("%s: %s: %s%n", directory, e.getMessage(), e.getCause());
            err.flush();
            return null;
        }
    }

    private static String revisions(long first, long last) {
        return first < 0 ? "none" : first + " to " + last;
    }

    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = "Prints OK if the journal recovers cleanly (a torn tail is noted); otherwise one line"
                    + " naming the segment, the offset and the damage on stderr, exit 1.")
    static final class Verify implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "DIR", description = "The durable state's directory.")
        Path directory;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            List<JournalSegment> segments = segments(directory, err);
            if (segments == null) {
                return 1;
            }
            String torn = "";
            for (JournalSegment segment : segments) {
                Optional<JournalDamage> damage = segment.damage();
                if (damage.isPresent() && !damage.get().tornTail()) {
                    err.printf(
                            "%s: damaged at %s%n", segment.file(), damage.get().describe());
                    err.flush();
                    return 1;
                }
                if (damage.isPresent()) {
                    torn = "; torn tail at offset %d of %s (%d bytes), set aside on the next open"
                            .formatted(
                                    damage.get().offset(),
                                    segment.file().getFileName(),
                                    segment.bytes() - damage.get().offset());
                }
            }
            int records = segments.stream().mapToInt(JournalSegment::records).sum();
            long first = segments.stream()
                    .filter(s -> s.records() > 0)
                    .mapToLong(JournalSegment::firstRevision)
                    .findFirst()
                    .orElse(-1);
            long last = segments.stream()
                    .filter(s -> s.records() > 0)
                    .mapToLong(JournalSegment::lastRevision)
                    .reduce((a, b) -> b)
                    .orElse(-1);
            PrintWriter out = spec.commandLine().getOut();
            out.printf(
                    "OK: %d segments, %d records, revisions %s%s%n",
                    segments.size(), records, revisions(first, last), torn);
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "inspect",
            mixinStandardHelpOptions = true,
            description = "Prints, per segment, its format version, size, records, first and last revision, and"
                    + " any damage or torn tail (exit 1 if damaged).")
    static final class Inspect implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "DIR", description = "The durable state's directory.")
        Path directory;

        @Override
        public Integer call() {
            List<JournalSegment> segments =
                    segments(directory, spec.commandLine().getErr());
            if (segments == null) {
                return 1;
            }
            PrintWriter out = spec.commandLine().getOut();
            String line = "%-15s %s%n";
            if (segments.isEmpty()) {
                out.printf("%s: no journal segments%n", directory);
            }
            for (JournalSegment segment : segments) {
                out.printf(line, "segment", segment.file());
                out.printf(line, "version", segment.version());
                out.printf(line, "bytes", segment.bytes());
                out.printf(line, "records", segment.records());
                out.printf(line, "revisions", revisions(segment.firstRevision(), segment.lastRevision()));
                out.printf(line, "state", state(segment));
                out.println();
            }
            out.flush();
            return segments.stream().allMatch(JournalSegment::recoverable) ? 0 : 1;
        }

        private static String state(JournalSegment segment) {
            if (segment.damage().isEmpty()) {
                return "OK";
            }
            JournalDamage damage = segment.damage().get();
            return damage.tornTail()
                    ? "TORN TAIL at " + damage.describe() + " (set aside on the next open)"
                    : "DAMAGED at " + damage.describe();
        }
    }

    @Command(
            name = "repair",
            mixinStandardHelpOptions = true,
            description = {
                "Cuts the first damaged segment at its first bad record, keeping the cut bytes in a side file.",
                "",
                "The cut bytes are written to <segment>.torn-<offset> first; later segments are renamed to"
                        + " <segment>.set-aside (replay cannot skip the hole). Prints what it set aside and how many"
                        + " records are lost. Refuses (exit 1) when valid records follow the damage, unless --force:"
                        + " they are acknowledged operations, and the repair drops them."
            })
    static final class Repair implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(
                names = "--force",
                description = "Repair even when valid records (acknowledged operations) follow the damage.")
        boolean force;

        @Parameters(paramLabel = "DIR", description = "The durable state's directory (the state must not be open).")
        Path directory;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            if (segments(directory, err) == null) {
                return 1;
            }
            Optional<JournalRepair> repair;
            try {
                repair = Journal.repair(directory, force);
            } catch (IllegalStateException e) {
                err.printf("%s%s%n", e.getMessage(), force ? "" : " (pass --force to drop them)");
                err.flush();
                return 1;
            } catch (UncheckedIOException e) {
                err.printf("%s: %s%n", e.getMessage(), e.getCause());
                err.flush();
                return 1;
            }
            PrintWriter out = spec.commandLine().getOut();
            if (repair.isEmpty()) {
                out.printf("OK: no damaged segment in %s, nothing changed%n", directory);
            } else {
                print(repair.get(), out);
            }
            out.flush();
            return 0;
        }

        private static void print(JournalRepair repair, PrintWriter out) {
            out.printf(
                    "cut %s at offset %d; the cut bytes are in %s%n",
                    repair.segment(), repair.offset(), repair.sideFile());
            for (Path moved : repair.setAsideSegments()) {
                out.printf("set aside %s%n", moved);
            }
            out.printf(
                    "lost: %d records%s%n",
                    repair.recordsLost(),
                    repair.recordsLost() == 0
                            ? " (a torn tail)"
                            : " (revisions " + revisions(repair.firstRevisionLost(), repair.lastRevisionLost()) + ")");
        }
    }
}
