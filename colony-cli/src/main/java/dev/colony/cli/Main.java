package dev.colony.cli;

import dev.colony.Colony;
import dev.colony.cli.args.Secrets;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code colony} command.
 *
 * <p>Exit codes: 0 ok, 1 a runtime failure, 2 a usage error. A usage error prints exactly two lines on
 * standard error, {@code colony <cmd>: <what is wrong>} and {@code see `colony <cmd> --help`}; a runtime
 * failure prints one line, {@code colony <cmd>: <what failed>}. Neither prints a stack trace, and every
 * line goes through {@link Secrets#mask} first, so no password of a URI is ever printed. {@code colony}
 * without a command is a usage error that points at {@code colony demo}.
 */
@Command(
        name = "colony",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Colony: a coordination kernel for agent swarms on the JVM.")
public final class Main implements Runnable {
    /**
     * Every command, in the order of {@code colony --help}. Only the one a command line names is built: picocli
     * reads every option of every command it is given, which took 1.3 s for all of them against 0.2-0.4 s for
     * {@code mcp} alone on the loaded test machine (ADR 0051); {@code colony mcp} starts once per coding agent.
     */
    static final List<Class<?>> COMMANDS = List.of(
            AgentsCommand.class,
            BenchCommand.class,
            DemoCommand.class,
            HookCommand.class,
            JournalCommand.class,
            LeadersCommand.class,
            McpCommand.class,
            MemoryCommand.class,
            MetricsCommand.class,
            PluginCommand.class,
            PubCommand.class,
            SendCommand.class,
            ServeCommand.class,
            SnapshotCommand.class,
            SwarmCommand.class,
            TailCommand.class,
            TasksCommand.class,
            TokenCommand.class,
            CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            System.err.println("colony: thread " + thread.getName() + " failed: " + oneLine(e));
            System.err.flush();
        });
        int code = run(args);
        System.out.flush();
        System.err.flush();
        if (Watchdog.fired()) {
            Runtime.getRuntime().halt(code); // a stuck run may hold threads or hooks that would block exit
        }
        System.exit(code);
    }

    /** Runs the command line and returns its exit code (for tests and embedding). */
    public static int run(String... args) {
        CommandLine commandLine = new CommandLine(new Main());
        Class<?> named = args.length == 0 ? null : command(args[0]);
        if (named != null && named != CommandLine.HelpCommand.class) {
            commandLine.addSubcommand(named);
        } else {
            COMMANDS.forEach(commandLine::addSubcommand); // help, usage errors and suggestions see them all
        }
        // after the subcommands: these settings reach only the subcommands already added
        commandLine
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(Main::usageError)
                .setExecutionExceptionHandler((e, failed, parsed) -> failure(failed, e));
        try {
            return commandLine.execute(args);
        } catch (OutOfMemoryError | StackOverflowError e) {
            return failure(commandLine, e);
        }
    }

    /** The command named {@code name}, or null. */
    private static Class<?> command(String name) {
        for (Class<?> c : COMMANDS) {
            if (c.getAnnotation(Command.class).name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine failed = e.getCommandLine();
        String name = failed.getCommandSpec().qualifiedName();
        PrintWriter err = failed.getErr();
        err.println(name + ": " + Secrets.mask(oneLine(e.getMessage())));
        err.println("see `" + name + " --help`");
        err.flush();
        return 2;
    }

    private static int failure(CommandLine failed, Throwable e) {
        PrintWriter err = failed.getErr();
        err.println(failed.getCommandSpec().qualifiedName() + ": " + oneLine(e));
        err.flush();
        return 1;
    }

    /** What {@code e} says, on one line, masked; its class name only when it says nothing. */
    static String oneLine(Throwable e) {
        String message = e.getMessage();
        if (e instanceof OutOfMemoryError) {
            message = "out of memory (" + message + "): lower the sizes or raise -Xmx";
        } else if (e instanceof java.io.IOException) {
            message = "I/O error: " + (message == null ? e.getClass().getSimpleName() : message);
        }
        return Secrets.mask(oneLine(message == null ? e.getClass().getSimpleName() : message));
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "no command given; try `colony demo` (a swarm in this JVM) or `colony --help` (every command)");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "colony " + Colony.version(),
                "JDK " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")",
            };
        }
    }
}
