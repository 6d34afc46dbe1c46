package dev.colony.cli;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Checks an output file option ({@code --json}, {@code --out}, {@code --markdown}, {@code --html}, …) before
 * a run starts, so a run never ends in a file that cannot be written: the file, when it exists, is a
 * writable regular file; otherwise its nearest existing ancestor is a writable directory (missing parent
 * directories are created when the file is written).
 */
public final class OutputFiles {
    private OutputFiles() {}

    /**
     * Checks {@code file}, the value of {@code option}; nothing when it is null.
     *
     * @throws CommandLine.ParameterException naming the option, the file and what is wrong
     */
    public static void check(CommandLine.Model.CommandSpec spec, String option, Path file) {
        if (file == null) {
            return;
        }
        String problem = problem(file);
        if (problem != null) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), option + " '" + file + "' cannot be written: " + problem);
        }
    }

    static String problem(Path file) {
        Path absolute;
        try {
            absolute = file.toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            return "not a valid path";
        }
        if (Files.isDirectory(absolute)) {
            return "it is a directory";
        }
        if (Files.exists(absolute)) {
            return Files.isRegularFile(absolute) && Files.isWritable(absolute) ? null : "it is not a writable file";
        }
        Path ancestor = absolute.getParent();
        while (ancestor != null && !Files.exists(ancestor)) {
            ancestor = ancestor.getParent();
        }
        if (ancestor == null) {
            return "no parent directory exists";
        }
        if (!Files.isDirectory(ancestor)) {
            return "'" + ancestor + "' is not a directory";
        }
        return Files.isWritable(ancestor) ? null : "directory '" + ancestor + "' is not writable";
    }
}
