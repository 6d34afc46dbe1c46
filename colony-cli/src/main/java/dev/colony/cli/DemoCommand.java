package dev.colony.cli;

import dev.colony.Colony;
import dev.colony.alert.AlertRule;
import dev.colony.cli.args.HeapBudget;
import dev.colony.cli.args.OutputFiles;
import dev.colony.cli.args.RedisUri;
import dev.colony.cli.args.Secrets;
import dev.colony.cli.demo.Demo;
import dev.colony.cli.demo.DemoSettings;
import dev.colony.cli.demo.Story;
import dev.colony.cli.demo.Summary;
import dev.colony.cli.demo.Timings;
import dev.colony.state.StateOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code colony demo}: a swarm on the embedded colony. Worker agents claim, work and complete tasks under
 * short leases (some attempts fail and are retried); coordinator candidates campaign for the
 * {@code coordinator} group, and the elected one submits the tasks under its fence. Part-way through, one
 * worker dies holding a task (its lease expires by the clock and another worker completes the task) and the
 * leader dies (another candidate is elected in a higher term; the old leader's late fenced write is
 * refused). Snapshots are taken as it runs (timed into {@code colony.snapshot.duration}), and the default
 * alert rules ({@link AlertRule#defaults()}) are evaluated every second; the alerts that fired, if any, are
 * printed (they do not change the exit code). Exit 0 if every invariant holds, 1 otherwise, 2 on a usage
 * error. The command checks the options and builds the colony; the run itself is {@link Demo}, the human
 * output {@link Story}. {@code --timeout} bounds the whole run, spawning and closing included.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a swarm on the embedded colony: workers, an elected coordinator and retries.",
            "Part-way, a worker dies holding a task and the leader dies (its late fenced write must be refused).",
            "Snapshots are taken as it runs; at the end the invariants are checked.",
            "",
            "Exit code 0 when every invariant holds, 1 otherwise (or on timeout), 2 on a usage error."
        })
public final class DemoCommand implements Callable<Integer> {
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--agents", paramLabel = "N", description = "Worker agents (default: ${DEFAULT-VALUE}).")
    int agents = 100;

    @Option(names = "--tasks", paramLabel = "N", description = "Tasks to run (default: ${DEFAULT-VALUE}).")
    int tasks = 2_000;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            description =
                    "Give up (exit 1, one line) after this long, spawning and closing included (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds = 60;

    @Option(
            names = "--json",
            paramLabel = "FILE",
            description = "Also write the summary as JSON to FILE (not on a timeout).")
    Path json;

    @Option(
            names = {"-q", "--quiet"},
            description = "No live progress line on stderr.")
    boolean quiet;

    @Option(
            names = "--redis",
            paramLabel = "URI",
            description = "Run the colony in Redis instead of in this JVM: redis://[user@]host[:port][/database]"
                    + " (rediss:// for TLS); the password, if not in the URI, from $" + RedisUri.PASSWORD_ENV
                    + ". The swarm (--swarm) must be empty; it is dropped afterwards unless --keep.")
    String redis;

    @Option(
            names = "--swarm",
            paramLabel = "NAME",
            description = "The swarm to run in with --redis (default: ${DEFAULT-VALUE}).")
    String swarm = "colony";

    @Option(names = "--keep", description = "With --redis: keep the swarm's keys afterwards (they have no TTL).")
    boolean keep;

    @Option(
            names = "--test-stall",
            hidden = true,
            description = "Hang after the checks (tests the --timeout watchdog).")
    boolean stall;

    /**
     * The heap a worker keeps for the run: two agents' worth ({@link HeapBudget#AGENT_BYTES}, for the agent
     * and its claim loop). The latencies go to one shared recorder, not a histogram per worker.
     */
    static final long BYTES_PER_AGENT = 2 * HeapBudget.AGENT_BYTES;

    /**
     * The heap a task keeps for the run: its spec and payload, the queue's record and indexes, its result,
     * the demo's completion maps, and its share of the encoded snapshots; about 1 KiB measured, doubled.
     */
    static final long BYTES_PER_TASK = 2 * 1024;

    @Override
    public Integer call() throws Exception {
        positive(agents, "--agents");
        positive(tasks, "--tasks");
        positive(timeoutSeconds, "--timeout");
        HeapBudget.check(
                spec,
                new HeapBudget.Need("--agents", agents, BYTES_PER_AGENT, "agent"),
                new HeapBudget.Need("--tasks", tasks, BYTES_PER_TASK, "task"));
        OutputFiles.check(spec, "--json", json);
        if (redis != null) {
            RedisUri.check(spec, "--redis", redis);
            RedisUri.checkSwarm(spec, "--swarm", swarm);
        }
        return Watchdog.run(
                "demo", Duration.ofSeconds(timeoutSeconds), spec.commandLine().getErr(), this::demo);
    }

    private Integer demo() throws Exception {
        if (stall) {
            new java.util.concurrent.CountDownLatch(1).await(); // until the watchdog interrupts it
        }
        DemoSettings settings = new DemoSettings(
                agents,
                tasks,
                seed,
                Duration.ofSeconds(timeoutSeconds),
                quiet,
                redis == null ? "the embedded colony" : "Redis at " + Secrets.maskUri(redis) + " swarm " + swarm,
                redis == null ? Timings.embedded() : Timings.redis());
        Demo.Outcome outcome = Demo.run(
                emptyColony(settings.timings()), settings, spec.commandLine().getErr());
        return switch (outcome) {
            case Demo.Outcome.TimedOut(String line) -> {
                spec.commandLine().getErr().println("colony demo: " + line);
                spec.commandLine().getErr().flush();
                yield 1;
            }
            case Demo.Outcome.Finished(Summary summary) -> {
                dropSwarm();
                Story.print(summary, settings.backend(), spec.commandLine().getOut());
                writeJson(summary);
                yield summary.ok() ? 0 : 1;
            }
        };
    }

    /** The colony to run in, which must hold no state yet (a Redis swarm used before is refused). */
    private Colony emptyColony(Timings timings) {
        StateOptions options = StateOptions.defaults()
                .withHeartbeatTimeout(timings.heartbeatTimeout())
                .withRetryBackoff(Duration.ofMillis(5), Duration.ofMillis(50))
                .withSweepInterval(Duration.ofMillis(20));
        Colony.Builder builder = Colony.builder().state(options);
        if (redis != null) {
            builder.redis(RedisUri.withPassword(spec, redis, null, System.getenv()))
                    .swarm(swarm);
        }
        Colony colony = builder.build();
        long revision = colony.state().revision();
        if (revision != 0) {
            colony.close();
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "the swarm " + swarm + " at " + Secrets.maskUri(redis) + " already holds state (revision "
                            + revision + "); the demo needs an empty swarm: name a new one with --swarm");
        }
        return colony;
    }

    /** Deletes the demo's swarm (which it found empty) so that no key without a TTL is left behind. */
    private void dropSwarm() {
        if (redis != null && !keep) {
            Colony.builder()
                    .redis(RedisUri.withPassword(spec, redis, null, System.getenv()))
                    .swarm(swarm)
                    .drop(true);
        }
    }

    private void writeJson(Summary summary) throws java.io.IOException {
        if (json == null) {
            return;
        }
        Path parent = json.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(json, JSON.writeValueAsString(summary.fields()) + System.lineSeparator());
    }

    private void positive(int value, String option) {
        if (value < 1) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), option + " must be a positive number, got " + value);
        }
    }
}
