package dev.colony.cli.bench;

import dev.colony.cli.Main;
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
 * {@code colony bench}: runs the validation scenarios of WORKLOADS.md, prints a table, and optionally
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

    @Option(names = "--list", description = "List the scenarios and exit.")
    boolean list;

    @Option(
            names = {"-q", "--quiet"},
            description = "No progress lines, only the table.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (list) {
            Scenario.all().forEach(s -> out.printf("%-22s %s%n", s.name(), s.description()));
            out.flush();
            return 0;
        }
        List<Scenario> selected = withAgents(select());
        List<BenchSettings> settings = new ArrayList<>();
        for (Scenario scenario : selected) {
            try {
                settings.add(new BenchSettings(
                        warmup != null ? warmup : scenario.defaultWarmup(),
                        iterations != null ? iterations : scenario.defaultIterations(),
                        quiet ? null : System.err));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        String startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        List<ScenarioResult> results = new ArrayList<>();
        for (int i = 0; i < selected.size(); i++) {
            results.add(selected.get(i).run(settings.get(i)));
        }
        BenchReport report = new BenchReport(
                Main.version(),
                Runtime.version().toString(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"),
                startedAt,
                "embedded",
                results);
        printTable(out, report);
        if (json != null) {
            report.write(json);
            out.printf("JSON report written to %s%n", json);
        }
        out.flush();
        return report.pass() ? 0 : 1;
    }

    private List<Scenario> select() {
        if (scenarios.isEmpty()) {
            return Scenario.all();
        }
        List<Scenario> selected = new ArrayList<>();
        for (String name : scenarios) {
            Scenario scenario = Scenario.named(name.trim())
                    .orElseThrow(() -> new CommandLine.ParameterException(
                            spec.commandLine(),
                            "unknown scenario '" + name + "'; known: "
                                    + String.join(
                                            ", ",
                                            Scenario.all().stream()
                                                    .map(Scenario::name)
                                                    .toList())));
            selected.add(scenario);
        }
        return selected;
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

    static void printTable(PrintWriter out, BenchReport report) {
        out.printf(
                "Colony %s bench, JDK %s, %d CPUs, %s, backend %s%n",
                report.colonyVersion(), report.jdk(), report.cpus(), report.os(), report.backend());
        String header = "%-22s %14s %9s %9s %9s %9s %9s %17s %12s  %s%n";
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
                "result");
        for (ScenarioResult r : report.scenarios()) {
            out.printf(
                    Locale.ROOT,
                    "%-22s %14s %9.3f %9.3f %9.3f %9.3f %9.1f %17s %12s  %s%n",
                    r.name(),
                    human(r.throughputPerSec()),
                    r.latencyUs().p50(),
                    r.latencyUs().p95(),
                    r.latencyUs().p99(),
                    r.latencyUs().p999(),
                    r.latencyUs().max(),
                    r.verified().observed() + "/" + r.verified().expected(),
                    human(r.target().min()),
                    r.pass() ? "PASS" : "FAIL");
            if (r.details().get("async") instanceof java.util.Map<?, ?> async
                    && async.get("latency_us") instanceof ScenarioResult.Latency latency) {
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
}
