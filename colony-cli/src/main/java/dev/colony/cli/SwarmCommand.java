package dev.colony.cli;

import dev.colony.Colony;
import dev.colony.cli.args.RedisUri;
import dev.colony.cli.args.Secrets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code colony swarm}: tools for a swarm kept in a backend. {@code colony swarm drop --redis URI --swarm NAME}
 * deletes every key of the swarm through the Java client (SCAN and UNLINK; no redis-cli needed). The
 * password never has to be on the command line: {@code --password-file}, or the environment variable
 * {@value RedisUri#PASSWORD_ENV} (or redis-cli's {@value RedisUri#REDISCLI_AUTH}). Exit codes: 0 dropped, 1
 * a runtime failure (Redis unreachable, live nodes without {@code --force}), 2 a usage error.
 */
@Command(
        name = "swarm",
        mixinStandardHelpOptions = true,
        description = {"Tools for a swarm kept in Redis.", "", "Exit code 0 ok, 1 on a failure, 2 on a usage error."},
        subcommands = {SwarmCommand.Drop.class})
public final class SwarmCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: drop");
    }

    @Command(
            name = "drop",
            mixinStandardHelpOptions = true,
            description = {
                "Deletes every key of a swarm (colony:{NAME}:*) from Redis.",
                "Refused while nodes of the swarm are alive, unless --force.",
                "The password comes from --password-file, or $" + RedisUri.PASSWORD_ENV + " or $"
                        + RedisUri.REDISCLI_AUTH + ", never from the command line."
            })
    static final class Drop implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(
                names = "--redis",
                required = true,
                paramLabel = "URI",
                description = "The server: redis://[user@]host[:port][/database], rediss://..., redis-sentinel://...")
        String redis;

        @Option(names = "--swarm", required = true, paramLabel = "NAME", description = "The swarm to drop.")
        String swarm;

        @Option(
                names = "--password-file",
                paramLabel = "FILE",
                description = "Read the password from the first line of FILE.")
        Path passwordFile;

        @Option(names = "--force", description = "Drop even while nodes of the swarm are alive.")
        boolean force;

        @Override
        public Integer call() {
            String uri = RedisUri.resolve(spec, redis, swarm, passwordFile, System.getenv());
            long deleted = Colony.builder().redis(uri).swarm(swarm).drop(force);
            spec.commandLine()
                    .getOut()
                    .printf("dropped swarm %s at %s: %,d keys deleted%n", swarm, Secrets.maskUri(redis), deleted);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
