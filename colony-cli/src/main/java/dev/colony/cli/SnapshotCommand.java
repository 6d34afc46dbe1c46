package dev.colony.cli;

import dev.colony.cli.args.OutputFiles;
import dev.colony.state.CorruptSnapshotException;
import dev.colony.state.Snapshot;
import dev.colony.state.SnapshotCodec;
import dev.colony.state.SnapshotFormat;
import dev.colony.state.SnapshotInfo;
import dev.colony.validation.scenarios.SnapshotWorkload;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code colony snapshot}: tools for snapshot files. Exit codes: 0 ok, 1 a bad or unreadable file, 2 a usage
 * error.
 */
@Command(
        name = "snapshot",
        mixinStandardHelpOptions = true,
        description = {
            "Inspects, verifies, converts and creates snapshot files.",
            "",
            "Exit code 0 when the file is good, 1 when it is corrupt, truncated or unreadable, 2 on a usage error."
        },
        subcommands = {
            SnapshotCommand.Inspect.class,
            SnapshotCommand.Verify.class,
            SnapshotCommand.Export.class,
            SnapshotCommand.Sample.class
        })
public final class SnapshotCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "missing subcommand: inspect, verify, export or sample");
    }

    /** The file's bytes, or null after printing why they cannot be read. */
    private static byte[] read(Path file, PrintWriter err) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            err.printf("%s: no such file%n", file);
        } catch (IOException e) {
            err.printf("%s: cannot read: %s%n", file, reason(e));
        }
        err.flush();
        return null;
    }

    /** Why an I/O operation failed, in words (the JDK's messages for these name only the file). */
    private static String reason(IOException e) {
        return switch (e) {
            case java.nio.file.AccessDeniedException denied -> "permission denied";
            case java.nio.file.FileSystemException other when other.getReason() != null -> other.getReason();
            default -> String.valueOf(e.getMessage());
        };
    }

    private static int write(Path file, byte[] bytes, String what, PrintWriter out, PrintWriter err) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(file, bytes);
        } catch (IOException e) {
            err.printf("%s: cannot write: %s%n", file, reason(e));
            err.flush();
            return 1;
        }
        out.printf("wrote %s: %s, %,d bytes%n", file, what, bytes.length);
        out.flush();
        return 0;
    }

    @Command(
            name = "inspect",
            mixinStandardHelpOptions = true,
            description = "Prints what a snapshot file holds and whether its checksum is good (exit 1 if not).")
    static final class Inspect implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The snapshot file.")
        Path file;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            byte[] bytes = read(file, spec.commandLine().getErr());
            if (bytes == null) {
                return 1;
            }
            SnapshotInfo info = SnapshotCodec.inspect(bytes);
            String line = "%-15s %s%n";
            out.printf(line, "file", file);
            out.printf(line, "format", info.format() == null ? "unknown" : info.format());
            out.printf(line, "version", info.version() == 0 ? "unknown" : info.version());
            out.printf(line, "file bytes", info.fileBytes());
            out.printf(line, "body bytes", info.checksumOk() ? info.bodyBytes() : "unknown");
            out.printf(line, "compressed", info.compressed() ? "yes (LZ4)" : "no");
            if (info.checksumOk()) {
                out.printf(line, "revision", info.revision());
                out.printf(line, "taken at", info.takenAt());
                out.printf(line, "agents", info.agents());
                out.printf(line, "tasks", info.tasks());
                out.printf(line, "leader groups", info.leaderGroups());
                out.printf(line, "memory entries", info.memoryEntries());
                out.printf(line, "checksum", "OK");
            } else {
                out.printf(line, "checksum", "BAD: " + info.problem());
            }
            out.flush();
            return info.checksumOk() ? 0 : 1;
        }
    }

    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = "Prints OK if the file is a good snapshot, one a restore accepts (it decodes, its"
                    + " checksum matches and it passes the restore's consistency check); otherwise the reason"
                    + " on stderr, exit 1.")
    static final class Verify implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The snapshot file.")
        Path file;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            byte[] bytes = read(file, err);
            if (bytes == null) {
                return 1;
            }
            try {
                SnapshotCodec.decode(bytes);
            } catch (CorruptSnapshotException e) {
                err.printf("%s: %s%n", file, e.getMessage());
                err.flush();
                return 1;
            }
            spec.commandLine().getOut().println("OK");
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description = "Converts a good snapshot file to another format (exit 1 if it is not good).")
    static final class Export implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--json", description = "Write the JSON format.")
        boolean json;

        @Option(names = "--binary", description = "Write the binary format.")
        boolean binary;

        @Option(names = "--compress", description = "LZ4-compress the binary body.")
        boolean compress;

        @Parameters(index = "0", paramLabel = "FILE", description = "The snapshot file to read.")
        Path file;

        @Parameters(index = "1", paramLabel = "OUT", description = "The file to write.")
        Path target;

        @Override
        public Integer call() {
            if (json == binary) {
                throw new CommandLine.ParameterException(spec.commandLine(), "give exactly one of --json or --binary");
            }
            if (json && compress) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--compress applies to --binary only");
            }
            OutputFiles.check(spec, "OUT", target);
            PrintWriter err = spec.commandLine().getErr();
            byte[] bytes = read(file, err);
            if (bytes == null) {
                return 1;
            }
            Snapshot snapshot;
            try {
                snapshot = SnapshotCodec.decode(bytes);
            } catch (CorruptSnapshotException e) {
                err.printf("%s: %s%n", file, e.getMessage());
                err.flush();
                return 1;
            }
            SnapshotFormat format = json ? SnapshotFormat.JSON : SnapshotFormat.BINARY;
            return write(
                    target,
                    SnapshotCodec.encode(snapshot, format, compress),
                    describe(format, compress),
                    spec.commandLine().getOut(),
                    err);
        }
    }

    @Command(
            name = "sample",
            mixinStandardHelpOptions = true,
            description = "Writes a snapshot of the sample state of the 'snapshot' bench scenario "
                    + "(100 agents, the original report's shape).")
    static final class Sample implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--json", description = "Write the JSON format instead of the binary one.")
        boolean json;

        @Option(names = "--compress", description = "LZ4-compress the binary body.")
        boolean compress;

        @Parameters(paramLabel = "FILE", description = "The file to write.")
        Path file;

        @Override
        public Integer call() {
            if (json && compress) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--compress applies to the binary format");
            }
            OutputFiles.check(spec, "FILE", file);
            SnapshotFormat format = json ? SnapshotFormat.JSON : SnapshotFormat.BINARY;
            return write(
                    file,
                    SnapshotCodec.encode(SnapshotWorkload.sample(), format, compress),
                    describe(format, compress),
                    spec.commandLine().getOut(),
                    spec.commandLine().getErr());
        }
    }

    private static String describe(SnapshotFormat format, boolean compress) {
        return format + (compress ? " (LZ4)" : "");
    }
}
