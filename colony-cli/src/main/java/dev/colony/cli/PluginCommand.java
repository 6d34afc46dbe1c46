package dev.colony.cli;

import dev.colony.bus.Event;
import dev.colony.wasm.DeployOptions;
import dev.colony.wasm.Deployment;
import dev.colony.wasm.ExecutionMode;
import dev.colony.wasm.FailurePolicy;
import dev.colony.wasm.PluginCodec;
import dev.colony.wasm.PluginHost;
import dev.colony.wasm.PluginInfo;
import dev.colony.wasm.PluginKind;
import dev.colony.wasm.PluginLimits;
import dev.colony.wasm.PluginStats;
import dev.colony.wasm.SubscriptionFilter;
import dev.colony.wasm.bench.CallCosts;
import dev.colony.wasm.bench.PluginsScenario;
import dev.colony.wasm.bench.Workload;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code colony plugin validate|inspect|bench|deploy}: WebAssembly plugins (ABI v0, docs/plugins.md) checked,
 * described and measured from the command line, and deployed into a running {@code colony serve} through its
 * admin API ({@link PluginDeploy}).
 */
@Command(
        name = "plugin",
        mixinStandardHelpOptions = true,
        description = {
            "Checks, describes and measures WebAssembly plugins (ABI v0, see docs/plugins.md).",
            "`colony plugin deploy` deploys one into a running `colony serve` (admin token)."
        },
        subcommands = {
            PluginCommand.Validate.class,
            PluginCommand.Inspect.class,
            PluginCommand.Bench.class,
            PluginDeploy.class
        })
public final class PluginCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "no subcommand given; try `colony plugin validate FILE`");
    }

    static byte[] read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("FILE must be a .wasm file, got '" + file + "' (no such file)");
        }
        return Files.readAllBytes(file);
    }

    /** {@code colony plugin validate FILE}: exit 0 when the module is a valid ABI v0 plugin under the limits. */
    @Command(
            name = "validate",
            mixinStandardHelpOptions = true,
            description = {
                "Checks a module against ABI v0 and the limits without running it.",
                "Exit code 0 when valid, 1 with the reason when not, 2 on a usage error."
            })
    static final class Validate implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The .wasm module.")
        Path file;

        @Option(
                names = "--max-pages",
                paramLabel = "N",
                description = "Memory limit in 64 KiB pages (default: ${DEFAULT-VALUE}).")
        int maxPages = PluginLimits.filter().maxMemoryPages();

        @Override
        public Integer call() throws IOException {
            PluginInfo info =
                    PluginHost.validate(read(file), PluginLimits.filter().withMaxMemoryPages(maxPages));
            spec.commandLine()
                    .getOut()
                    .printf("%s: valid ABI v0 plugin (%s), sha256 %s%n", file, kinds(info), info.sha256());
            return 0;
        }
    }

    /** {@code colony plugin inspect FILE}: what the module imports, exports and declares. */
    @Command(
            name = "inspect",
            mixinStandardHelpOptions = true,
            description = {
                "Describes a module: checksum, entry points, imports, exports, memory, and the flags it",
                "declares (instantiated once, with --config, when it is a valid plugin)."
            })
    static final class Inspect implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The .wasm module.")
        Path file;

        @Option(names = "--config", paramLabel = "TEXT", description = "Configuration for colony_configure.")
        String config = "";

        @Override
        public Integer call() throws IOException {
            byte[] bytes = read(file);
            PluginInfo info = PluginHost.inspect(bytes);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("file         %s%n", file);
            out.printf("sha256       %s (%d bytes)%n", info.sha256(), info.sizeBytes());
            out.printf("entry points %s%n", kinds(info));
            out.printf("imports      %s%n", info.imports().isEmpty() ? "none" : String.join(", ", info.imports()));
            out.printf("exports      %s%n", String.join(", ", info.exports()));
            out.printf(
                    "memory       %d pages initial, max %s%n",
                    info.initialPages(),
                    info.declaredMaxPages() < 0 ? "not declared" : info.declaredMaxPages() + " pages");
            try (PluginHost host = PluginHost.create()) {
                Deployment deployment = host.deploy("inspected", bytes, null, options(ExecutionMode.COMPILED, config));
                out.printf(
                        "flags        subject-only %s, deterministic %s, decision cache %s%n",
                        deployment.subjectOnly(),
                        deployment.deterministic(),
                        deployment.cacheable() ? "allowed" : "not allowed");
                out.printf("valid        yes (compiled in %.1f ms)%n", deployment.compileNanos() / 1e6);
            } catch (dev.colony.wasm.DeployException e) {
                out.printf("valid        no: %s%n", e.getMessage());
                return 1;
            }
            return 0;
        }
    }

    static DeployOptions options(ExecutionMode mode, String config) {
        return DeployOptions.defaults()
                .withMode(mode)
                .withConfig(config)
                .withLimits(PluginLimits.filter().withPoolSize(1).withDeadline(Duration.ofSeconds(10)));
    }

    static String kinds(PluginInfo info) {
        return info.kinds().stream()
                .sorted()
                .map(k -> k.name().toLowerCase(Locale.ROOT))
                .reduce((a, b) -> a + ", " + b)
                .orElse("none");
    }

    /** {@code colony plugin bench FILE | --scenario}: what a plugin call costs. */
    @Command(
            name = "bench",
            mixinStandardHelpOptions = true,
            description = {
                "Measures a filter or transform plugin (FILE) on generated events, or with --scenario the",
                "built-in comparison: 10,000 events x 5 ASYNC subscribers with no filter, a Java predicate,",
                "the compiled and the interpreted WASM filter (equal decisions checked), then per-call costs."
            })
    static final class Bench implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "FILE", arity = "0..1", description = "The .wasm module (not with --scenario).")
        Path file;

        @Option(names = "--scenario", description = "Run the built-in plugins benchmark instead of FILE.")
        boolean scenario;

        @Option(names = "--config", paramLabel = "TEXT", description = "Configuration for colony_configure.")
        String config = "";

        @Option(
                names = "--mode",
                paramLabel = "MODE",
                description = "compiled or interpreted (default: ${DEFAULT-VALUE}).")
        ExecutionMode mode = ExecutionMode.COMPILED;

        @Option(names = "--events", paramLabel = "N", description = "Events (default: ${DEFAULT-VALUE}).")
        int events = 10_000;

        @Option(names = "--payload-bytes", paramLabel = "N", description = "Payload size (default: ${DEFAULT-VALUE}).")
        int payloadBytes = 256;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            if (scenario == (file != null)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "give either FILE or --scenario");
            }
            if (events < 1 || payloadBytes < 8) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "--events must be at least 1 and --payload-bytes at least 8, got " + events + " and "
                                + payloadBytes);
            }
            if (scenario) {
                scenario(out);
            } else {
                file(out);
            }
            return 0;
        }

        private void scenario(PrintWriter out) {
            var settings = PluginsScenario.Settings.defaults();
            out.printf(
                    "bus: %d events x %d ASYNC subscribers, %d-byte payloads, median of %d rounds%n",
                    settings.events(), settings.subscribers(), settings.payloadBytes(), settings.rounds());
            var variants = PluginsScenario.run(settings);
            double java = variants.get(1).nanosPerEventPerSubscriber();
            double none = variants.get(0).nanosPerEventPerSubscriber();
            for (var v : variants) {
                out.printf(
                        "  %-17s %9.1f ns/event/subscriber  x%.2f of java  filter share %7.1f ns  (%d handled)%n",
                        v.name(),
                        v.nanosPerEventPerSubscriber(),
                        v.nanosPerEventPerSubscriber() / java,
                        v.nanosPerEventPerSubscriber() - none,
                        v.handled());
            }
            CallCosts.Result costs = CallCosts.run(
                    Workload.generate(settings.events(), settings.payloadBytes(), 100, 0.3, settings.seed()));
            out.println("per call, one thread:");
            costs.nanosPerCall().forEach((name, ns) -> out.printf("  %-28s %10.1f ns%n", name, ns));
            out.printf("message validated: %d bytes%n", costs.messageBytes());
            out.printf(
                    "compile %.1f ms, instantiate %.1f us, heap per instance %d bytes%n",
                    costs.compileMillis(), costs.instantiateMicros(), costs.heapBytesPerInstance());
        }

        private void file(PrintWriter out) throws IOException {
            byte[] bytes = read(file);
            Workload workload = Workload.generate(events, payloadBytes, 100, 0.3, 20261207L);
            try (PluginHost host = PluginHost.create()) {
                Deployment deployment = host.deploy("bench", bytes, null, options(mode, config));
                long start = System.nanoTime();
                if (deployment.info().kinds().contains(PluginKind.FILTER)) {
                    SubscriptionFilter filter = host.filter("bench", FailurePolicy.FAIL_CLOSED);
                    for (Event event : workload.events()) {
                        filter.test(event);
                    }
                } else if (deployment.info().kinds().contains(PluginKind.TRANSFORM)) {
                    PluginCodec codec = host.codec(
                            dev.colony.messaging.JsonMessageCodec.create(),
                            "bench",
                            FailurePolicy.FAIL_OPEN,
                            PluginCodec.Side.SEND);
                    for (Event event : workload.events()) {
                        try {
                            codec.apply((byte[]) event.payload());
                        } catch (IllegalArgumentException rejected) {
                            // a rejection is a result like any other here
                        }
                    }
                } else {
                    throw new IllegalArgumentException("bench measures filter and transform plugins; " + file
                            + " exports only " + kinds(deployment.info()));
                }
                long elapsed = System.nanoTime() - start;
                PluginStats stats = host.stats("bench").orElseThrow();
                out.printf(
                        "%s (%s, %s)%n",
                        file, kinds(deployment.info()), mode.name().toLowerCase(Locale.ROOT));
                out.printf("  compile      %.1f ms%n", deployment.compileNanos() / 1e6);
                out.printf(
                        "  calls        %d in %.1f ms: %.0f ns per call (first calls included)%n",
                        stats.calls(), elapsed / 1e6, (double) elapsed / stats.calls());
                out.printf(
                        "  latency      p50 %d ns, p99 %d ns, max %d ns%n",
                        stats.latency().p50(),
                        stats.latency().p99(),
                        stats.latency().max());
                out.printf(
                        "  decisions    %d accepted, %d rejected, %d replaced, %d failed%n",
                        stats.accepted(), stats.rejected(), stats.replaced(), stats.failed());
            }
        }
    }
}
