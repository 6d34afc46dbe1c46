package dev.colony.cli.bench;

import dev.colony.Colony;
import dev.colony.cli.args.HeapBudget;
import dev.colony.cli.args.OutputFiles;
import dev.colony.cli.args.RedisUri;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code colony bench}: runs the validation scenarios of docs/workloads.md, prints a table, and optionally
 * writes the JSON report. Exits 1 when a scenario's verified counts differ or it misses its target.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the validation workloads and reports what they verified and measured.",
            "",
            "Every unit of work is checked, latency comes from histograms, and the median iteration is "
                    + "reported with its spread. Exit code 0 when every scenario passed, 1 when one failed, "
                    + "2 on a usage error."
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
            description = "Run the Redis scenarios instead (redis-bus, redis-messenger, redis-tasks): two colony nodes"
                    + " on a fresh swarm <swarm>-bench-<millis>-<scenario> of redis://host:port/swarm, with"
                    + " redis-benchmark for the same commands as the same-run baseline when it is on the PATH. The"
                    + " fresh swarm's keys are deleted afterwards with redis-cli when it is on the PATH.")
    String redis;

    @Option(
            names = "--redis-size",
            paramLabel = "N",
            hidden = true,
            description = "Units of work per iteration for every Redis scenario (for tests).")
    int redisSize;

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
            (redis != null ? new RedisBench("localhost", 6379, "x", null, 0, quick).scenarios() : Scenario.all())
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
                        || quick)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--from reads a finished run: it takes no --json, --scenario, --agents, --warmup, --iterations,"
                            + " --redis or --quick");
        }
        OutputFiles.check(spec, "--json", json);
        OutputFiles.check(spec, "--markdown", markdown);
        OutputFiles.check(spec, "--html", html);
        if (redis != null) {
            RedisUri.check(spec, "--redis", redis, true);
        }
        if (agents != null && agents > 0) {
            HeapBudget.check(spec, new HeapBudget.Need("--agents", agents, HeapBudget.AGENT_BYTES, "agent"));
        }
        BenchReport old = compare == null ? null : readReport(compare);
        BenchReport report = from != null ? readReport(from) : runAll();
        printTable(out, report);
        if (json != null) {
            report.write(json);
            out.printf("JSON report written to %s%n", json);
        }
        BenchReport readable = report.normalized();
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
        out.flush();
        return report.pass() ? 0 : 1;
    }

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
        List<Scenario> selected = withAgents(select());
        List<BenchSettings> settings = new ArrayList<>();
        for (Scenario scenario : selected) {
            try {
                settings.add(new BenchSettings(
                        warmup != null ? warmup : quick ? 1 : scenario.defaultWarmup(),
                        iterations != null ? iterations : quick ? 3 : scenario.defaultIterations(),
                        quiet ? null : System.err));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        String startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        List<ScenarioResult> results = new ArrayList<>();
        long runStart = System.nanoTime();
        for (int i = 0; i < selected.size(); i++) {
            Scenario scenario = selected.get(i);
            BenchSettings s = settings.get(i);
            s.progress(
                    "[%d/%d] %s: %d warm-up + %d measured iterations (%.0f s elapsed)",
                    i + 1,
                    selected.size(),
                    scenario.name(),
                    s.warmup(),
                    s.iterations(),
                    (System.nanoTime() - runStart) / 1e9);
            ScenarioResult result = scenario.run(s);
            s.progress(
                    "[%d/%d] %s: %s, %s/s, verified %d/%d",
                    i + 1,
                    selected.size(),
                    scenario.name(),
                    result.pass() ? "PASS" : "FAIL",
                    human(result.throughputPerSec()),
                    result.verified().observed(),
                    result.verified().expected());
            results.add(result);
        }
        return new BenchReport(
                Colony.version(),
                Runtime.version().toString(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"),
                startedAt,
                redis != null ? "redis" : "embedded",
                results);
    }

    private List<Scenario> select() {
        List<Scenario> known = known();
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

    /** The embedded scenarios, or the Redis ones with {@code --redis}; a usage error when its URI is bad. */
    private List<Scenario> known() {
        if (redis == null) {
            return Scenario.all();
        }
        try {
            return RedisBench.parse(redis, redisSize, quick).scenarios();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Applies {@code --agents} to the load scenario; a usage error when it is invalid or load is not run. */
    private List<Scenario> withAgents(List<Scenario> selected) {
        if (agents == null) {
            return selected;
        }
        if (selected.stream().noneMatch(s -> s instanceof LoadScenario)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--agents is used only by the load scenario, which is not selected");
        }
        List<Scenario> adjusted = new ArrayList<>(selected.size());
        for (Scenario scenario : selected) {
            if (scenario instanceof LoadScenario) {
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

    /** Prints the results table; "x base" is Colony's throughput over its same-run baseline's. */
    static void printTable(PrintWriter out, BenchReport report) {
        out.printf(
                "Colony %s bench, JDK %s, %d CPUs, %s, backend %s%n",
                report.colonyVersion(), report.jdk(), report.cpus(), report.os(), report.backend());
        String header = "%-22s %14s %9s %9s %9s %9s %9s %17s %12s %8s  %s%n";
        out.printf(
                header,
                "scenario",
                "throughput/s",
                "p50 us",
                "p95 us",
                "p99 us",
                "p99.9 us",
                "max us",
                "verified",
                "target/s",
                "x base",
                "result");
        for (ScenarioResult r : report.scenarios()) {
            out.printf(
                    Locale.ROOT,
                    "%-22s %14s %9.3f %9.3f %9.3f %9.3f %9.1f %17s %12s %8s  %s%n",
                    r.name(),
                    human(r.throughputPerSec()),
                    r.latencyUs().p50(),
                    r.latencyUs().p95(),
                    r.latencyUs().p99(),
                    r.latencyUs().p999(),
                    r.latencyUs().max(),
                    r.verified().observed() + "/" + r.verified().expected(),
                    human(r.target().min()),
                    r.baseline() == null ? "-" : Findings.ratio(r.baseline().ratio()),
                    r.pass() ? "PASS" : "FAIL");
            if (r.details().get("async") instanceof java.util.Map<?, ?> async
                    && async.get("latency_us") instanceof ScenarioResult.Latency latency
                    && async.get("throughput_per_sec") instanceof Number) {
                out.printf(
                        Locale.ROOT,
                        "%-22s %14s %9.1f %9.1f %9.1f %9.1f %9.1f   (ASYNC variant, publish-to-handler)%n",
                        "  async",
                        human(((Number) async.get("throughput_per_sec")).doubleValue()),
                        latency.p50(),
                        latency.p95(),
                        latency.p99(),
                        latency.p999(),
                        latency.max());
            }
        }
    }

    static String human(double perSecond) {
        if (perSecond >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", perSecond / 1e6);
        }
        if (perSecond >= 1e3) {
            return String.format(Locale.ROOT, "%.1fk", perSecond / 1e3);
        }
        return String.format(Locale.ROOT, "%.1f", perSecond);
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
