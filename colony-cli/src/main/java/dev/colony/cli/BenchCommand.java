package dev.colony.cli;

import dev.colony.cli.args.HeapBudget;
import dev.colony.cli.args.OutputFiles;
import dev.colony.cli.args.RedisUri;
import dev.colony.validation.BenchReport;
import dev.colony.validation.Harness;
import dev.colony.validation.Outcome;
import dev.colony.validation.Progress;
import dev.colony.validation.Scenario;
import dev.colony.validation.report.Comparison;
import dev.colony.validation.report.HtmlReport;
import dev.colony.validation.report.MarkdownReport;
import dev.colony.validation.report.TerminalTable;
import dev.colony.validation.scenarios.LoadScenario;
import dev.colony.validation.scenarios.RedisBench;
import dev.colony.validation.scenarios.RedisFixture;
import dev.colony.validation.scenarios.RedisNodes;
import dev.colony.validation.scenarios.Scenarios;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code colony bench}: the command over the validation harness of colony-validation (ADR 0028): runs the
 * scenarios of docs/workloads.md, prints Colony's goals and a table,
 * and optionally writes the JSON, Markdown and HTML reports. Exits 1 when work was lost, duplicated or wrong
 * (verified counts differ); a missed target or goal exits 1 only with {@code --fail-on-goals} (ADR 0027).
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the validation workloads and reports what they verified and measured.",
            "",
            "Every unit of work is checked, latency comes from histograms, and each figure is the median over "
                    + "the measured iterations, with its spread. Colony's own goals are judged first, the original "
                    + "report's 10k/s-style targets beside them.",
            "",
            "Exit code: 1 when a unit of work was lost, duplicated or wrong (expected != observed), always; "
                    + "1 when a target or goal was missed only with --fail-on-goals; 0 otherwise; 2 on a usage error."
        })
public final class BenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = {"-s", "--scenario"},
            split = ",",
            paramLabel = "NAME",
            description = "Scenario(s) to run (repeatable or comma-separated). Default: all. See --list.")
    List<String> scenarios = new ArrayList<>();

    @Option(
            names = "--warmup",
            paramLabel = "N",
            description = "Warm-up iterations (default: per scenario, 200 for the bus).")
    Integer warmup;

    @Option(
            names = "--iterations",
            paramLabel = "N",
            description = "Measured iterations (default: per scenario, 50 for the bus).")
    Integer iterations;

    @Option(
            names = "--agents",
            paramLabel = "N",
            description = "Agents for the load scenario, 1 to 100,000 (default 100); used only by load.")
    Integer agents;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON to FILE.")
    Path json;

    @Option(
            names = "--markdown",
            paramLabel = "FILE",
            description = "Also write the report as Markdown to FILE: summary, findings, the original claims,"
                    + " baselines, one section per scenario, methodology, environment.")
    Path markdown;

    @Option(
            names = "--html",
            paramLabel = "FILE",
            description = "Also write the report as one self-contained HTML page with charts to FILE.")
    Path html;

    @Option(
            names = "--compare",
            paramLabel = "OLD.json",
            description = "Compare with an earlier JSON report: the change of each figure, REGRESSION when the new"
                    + " median is worse by more than (IQR old + IQR new) / 2.")
    Path compare;

    @Option(
            names = "--from",
            paramLabel = "FILE.json",
            description = "Run nothing: read this JSON report and print, write or compare it instead.")
    Path from;

    @Option(
            names = "--quick",
            description = "Small defaults for a smoke run: 1 warm-up and 3 measured iterations per scenario (figures"
                    + " from a cold JVM; for checking, not for quoting). --warmup and --iterations override it.")
    boolean quick;

    @Option(
            names = "--redis",
            paramLabel = "URI",
            description = "Run the Redis scenarios instead (redis-bus, redis-messenger, redis-tasks,"
                    + " redis-tasks-batched): two colony nodes"
                    + " (node B in a child JVM, see --redis-nodes) on a fresh swarm <swarm>-bench-<millis>-<scenario>"
                    + " of redis://host:port/swarm, with"
                    + " redis-benchmark for the same commands as the same-run baseline when it is on the PATH. The"
                    + " fresh swarm's keys are deleted afterwards with redis-cli when it is on the PATH.")
    String redis;

    @Option(
            names = "--redis-nodes",
            paramLabel = "one-jvm|two-jvms",
            description = "With --redis: where node B (the receiving side) runs: two-jvms (default; a child JVM the"
                    + " bench starts, as the goals are stated) or one-jvm (both nodes in this JVM, for comparison).")
    String redisNodes;

    @Option(
            names = "--redis-size",
            paramLabel = "N",
            hidden = true,
            description = "Units of work per iteration for every Redis scenario (for tests).")
    int redisSize;

    @Option(
            names = "--fail-on-goals",
            description = "Exit 1 also when a scenario misses the original report's target or one of Colony's goals"
                    + " (without it, only lost, duplicated or wrong work exits 1: speed on a shared machine is"
                    + " reported, not enforced).")
    boolean failOnGoals;

    @Option(names = "--list", description = "List the scenarios and exit.")
    boolean list;

    @Option(
            names = {"-q", "--quiet"},
            description = "No progress lines, only the table.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        quietColonyInfoLogs();
        PrintWriter out = spec.commandLine().getOut();
        if (list) {
            (redis != null
                            ? Scenarios.redis(RedisFixture.of(RedisBench.parse("redis://localhost/x", 0, quick)))
                            : Scenarios.embedded(quick))
                    .forEach(s -> out.printf("%-22s %s%n", s.name(), s.description()));
            out.flush();
            return 0;
        }
        if (from != null
                && (json != null
                        || !scenarios.isEmpty()
                        || agents != null
                        || warmup != null
                        || iterations != null
                        || redis != null
                        || redisNodes != null
                        || quick)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--from reads a finished run: it takes no --json, --scenario, --agents, --warmup, --iterations,"
                            + " --redis, --redis-nodes or --quick");
        }
        OutputFiles.check(spec, "--json", json);
        OutputFiles.check(spec, "--markdown", markdown);
        OutputFiles.check(spec, "--html", html);
        if (redis != null) {
            RedisUri.check(spec, "--redis", redis, true);
        }
        if (redisNodes != null && redis == null && from == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--redis-nodes needs --redis");
        }
        redisNodes(); // a bad --redis-nodes is a usage error before anything runs
        if (agents != null && agents > 0) {
            HeapBudget.check(spec, new HeapBudget.Need("--agents", agents, HeapBudget.AGENT_BYTES, "agent"));
        }
        BenchReport old = compare == null ? null : readReport(compare);
        BenchReport report = from != null ? readReport(from) : runAll();
        BenchReport readable = report.normalized();
        if (readable.quickRun()) {
            out.println(QUICK_NOTE);
        }
        TerminalTable.print(out, readable);
        if (json != null) {
            report.write(json);
            out.printf("JSON report written to %s%n", json);
        }
        if (markdown != null) {
            BenchReport.writeText(markdown, MarkdownReport.render(readable));
            out.printf("Markdown report written to %s%n", markdown);
        }
        if (html != null) {
            BenchReport.writeText(html, HtmlReport.render(readable));
            out.printf("HTML report written to %s%n", html);
        }
        if (old != null) {
            Comparison.of(old, readable).print(out, compare + " (started " + old.startedAt() + ")");
        }
        Outcome outcome = Outcome.of(readable);
        outcome.lostWork().forEach(w -> out.println("WORK LOST OR WRONG: " + w));
        out.flush();
        return outcome.exitCode(failOnGoals);
    }

    static final String QUICK_NOTE =
            "Note: --quick figures come from a cold JVM and 3 iterations: for checking the harness, not for quoting.";

    private BenchReport readReport(Path file) throws java.io.IOException {
        try {
            return BenchReport.read(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no such file: '" + file + "'");
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Runs the selected scenarios with progress on standard error, and gathers their results. */
    private BenchReport runAll() throws Exception {
        Harness harness = new Harness(warmup, iterations, quick, quiet ? null : Progress.toStandardError());
        if (redis == null) {
            return run(harness, withAgents(select(Scenarios.embedded(quick))), "embedded");
        }
        try (RedisFixture fixture = RedisFixture.of(redisBench(), redisNodes())) {
            return run(harness, select(Scenarios.redis(fixture)), "redis");
        }
    }

    private BenchReport run(Harness harness, List<Scenario> selected, String backend) throws Exception {
        try {
            harness.settings(selected);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        return harness.run(selected, backend);
    }

    private List<Scenario> select(List<Scenario> known) {
        if (scenarios.isEmpty()) {
            return known;
        }
        List<Scenario> selected = new ArrayList<>();
        for (String name : scenarios) {
            Scenario scenario = known.stream()
                    .filter(s -> s.name().equals(name.trim()))
                    .findFirst()
                    .orElseThrow(() -> new CommandLine.ParameterException(
                            spec.commandLine(),
                            "unknown scenario '" + name + "'; known: "
                                    + String.join(
                                            ", ",
                                            known.stream().map(Scenario::name).toList())));
            selected.add(scenario);
        }
        return selected;
    }

    /** Where node B runs: {@code --redis-nodes}, two JVMs by default; a usage error when it is bad. */
    private RedisNodes redisNodes() {
        try {
            return redisNodes == null ? RedisNodes.TWO_JVMS : RedisNodes.parse(redisNodes);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The parsed {@code --redis} URI; a usage error when it is bad. */
    private RedisBench redisBench() {
        try {
            return RedisBench.parse(redis, redisSize, quick);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Applies {@code --agents} to the load scenario; a usage error when it is invalid or load is not run. */
    private List<Scenario> withAgents(List<Scenario> selected) {
        if (agents == null) {
            return selected;
        }
        if (selected.stream().noneMatch(s -> s.name().equals(LoadScenario.NAME))) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--agents is used only by the load scenario, which is not selected");
        }
        List<Scenario> adjusted = new ArrayList<>(selected.size());
        for (Scenario scenario : selected) {
            if (scenario.name().equals(LoadScenario.NAME)) {
                try {
                    adjusted.add(new LoadScenario(agents));
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
                }
            } else {
                adjusted.add(scenario);
            }
        }
        return adjusted;
    }

    /**
     * The workloads elect leaders and restore snapshots thousands of times; at INFO, their one-line logs
     * (ADR 0023) would bury the report. Warnings still show. Takes effect because nothing has logged yet
     * when a command starts (SLF4J's simple binding reads its levels once); an explicit
     * {@code -Dorg.slf4j.simpleLogger.log.dev.colony=...} wins.
     */
    private static void quietColonyInfoLogs() {
        if (System.getProperty("org.slf4j.simpleLogger.log.dev.colony") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.dev.colony", "warn");
        }
    }
}
