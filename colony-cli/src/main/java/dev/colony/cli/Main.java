package dev.colony.cli;

import dev.colony.cli.bench.BenchCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code colony} command. Exit codes: 0 ok, 1 failure, 2 usage error. */
@Command(
        name = "colony",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Colony: a coordination kernel for agent swarms on the JVM.",
        subcommands = {
            BenchCommand.class,
            DemoCommand.class,
            JournalCommand.class,
            MetricsCommand.class,
            SnapshotCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests and embedding). */
    public static int run(String... args) {
        return new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, commandLine, parsed) -> {
                    if (!(e instanceof IllegalStateException)) {
                        throw e;
                    }
                    // a run that cannot proceed (Redis unreachable, say): one clear line, exit 1
                    commandLine.getErr().println("colony " + commandLine.getCommandName() + ": " + e.getMessage());
                    return 1;
                })
                .execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: try 'colony bench'");
    }

    /** The Colony version (from the build) and the JDK running it. */
    public static String version() {
        Properties properties = new Properties();
        try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version", "unknown");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "colony " + version(), "JDK " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")",
            };
        }
    }
}
