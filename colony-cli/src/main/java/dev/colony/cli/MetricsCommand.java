package dev.colony.cli;

import dev.colony.Colony;
import dev.colony.agent.AgentSpec;
import dev.colony.bus.SubjectPattern;
import dev.colony.bus.SubscribeOptions;
import dev.colony.cli.args.HeapBudget;
import dev.colony.cli.args.OutputFiles;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.Messenger;
import dev.colony.metrics.LatencySnapshot;
import dev.colony.metrics.MetricsSnapshot;
import dev.colony.metrics.PrometheusText;
import dev.colony.metrics.Reading;
import dev.colony.metrics.Timer;
import dev.colony.state.Lease;
import dev.colony.state.SnapshotCodec;
import dev.colony.state.TaskSpec;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code colony metrics}: runs a short built-in workload on an embedded colony (events, marshalled
 * messages to agents, tasks, snapshots) and prints the colony's metrics registry, in the Prometheus text
 * format or as JSON, to standard output or a file. Exit 0 when the workload completed, 1 if it did not
 * within the timeout, 2 on a usage error.
 */
@Command(
        name = "metrics",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a short workload on an embedded colony and prints its metrics.",
            "Events, marshalled messages to agents, tasks and snapshots; then every metric of colony.metrics().",
            "With --url, prints the metrics of a running colony serve instead (GET /metrics, an admin token).",
            "",
            "Exit code 0 when the workload completed, 1 if it timed out (or the server refused or could not be"
                    + " reached), 2 on a usage error."
        })
public final class MetricsCommand implements Callable<Integer> {
    /** Output formats. */
    enum Format {
        PROMETHEUS,
        JSON
    }

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            description = "prometheus (text exposition format 0.0.4) or json (default: ${DEFAULT-VALUE}).")
    Format format = Format.PROMETHEUS;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the metrics to FILE instead of stdout.")
    Path out;

    @Option(
            names = "--url",
            paramLabel = "URL",
            description = "Read the metrics of this running colony serve (Prometheus text) instead.")
    String url;

    @Option(
            names = "--token-file",
            paramLabel = "FILE",
            description = "With --url: read the admin token from FILE (default: $" + ServerOptions.TOKEN_ENV + ").")
    Path tokenFile;

    @Option(names = "--events", paramLabel = "N", description = "Events to publish (default: ${DEFAULT-VALUE}).")
    int events = 10_000;

    @Option(
            names = "--messages",
            paramLabel = "N",
            description = "Marshalled messages to send (default: ${DEFAULT-VALUE}).")
    int messages = 1_000;

    @Option(names = "--agents", paramLabel = "N", description = "Agents receiving them (default: ${DEFAULT-VALUE}).")
    int agents = 10;

    @Option(names = "--tasks", paramLabel = "N", description = "Tasks to run (default: ${DEFAULT-VALUE}).")
    int tasks = 100;

    @Option(names = "--snapshots", paramLabel = "N", description = "Snapshots to take (default: ${DEFAULT-VALUE}).")
    int snapshots = 20;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            description = "Give up (exit 1) after this long (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds = 60;

    @Override
    public Integer call() throws Exception {
        if (url != null) {
            return remote();
        }
        if (tokenFile != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--token-file goes with --url");
        }
        positive(events, "--events");
        positive(messages, "--messages");
        positive(agents, "--agents");
        positive(tasks, "--tasks");
        positive(snapshots, "--snapshots");
        positive(timeoutSeconds, "--timeout");
        HeapBudget.check(
                spec,
                new HeapBudget.Need("--agents", agents, BYTES_PER_AGENT, "agent"),
                new HeapBudget.Need("--tasks", tasks, BYTES_PER_TASK, "task"),
                new HeapBudget.Need("--messages", messages, BYTES_PER_MESSAGE, "message"));
        OutputFiles.check(spec, "--out", out);
        return Watchdog.run(
                "metrics",
                Duration.ofSeconds(timeoutSeconds),
                spec.commandLine().getErr(),
                this::metrics);
    }

    /** Prints the Prometheus text of the server at {@link #url}. */
    private Integer remote() throws java.io.IOException {
        if (format != Format.PROMETHEUS) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--url reads the server's Prometheus text: --format " + format + " is not" + " available with it");
        }
        OutputFiles.check(spec, "--out", out);
        ServerOptions server = new ServerOptions();
        server.url = url;
        server.tokenFile = tokenFile;
        write(server.client(spec.commandLine()).text("/metrics").getBytes(StandardCharsets.UTF_8));
        return 0;
    }

    /** An agent with its inbox and virtual thread: as measured by the load scenario, rounded up. */
    static final long BYTES_PER_AGENT = HeapBudget.AGENT_BYTES;

    /** A completed task kept in the queue (spec, record, indexes), as for the demo. */
    static final long BYTES_PER_TASK = 2 * 1024;

    /** A marshalled message waiting in an inbox (envelope and bytes); at most every message waits at once. */
    static final long BYTES_PER_MESSAGE = 512;

    private Integer metrics() throws Exception {
        MetricsSnapshot snapshot;
        boolean completed;
        try (Colony colony = Colony.builder()
                .messenger(Messenger.builder().marshalEverySend(true))
                .build()) {
            completed = workload(colony);
            snapshot = colony.metrics().snapshot();
        }
        byte[] bytes = format == Format.PROMETHEUS
                ? PrometheusText.format(snapshot).getBytes(StandardCharsets.UTF_8)
                : (JSON.writeValueAsString(json(snapshot)) + System.lineSeparator()).getBytes(StandardCharsets.UTF_8);
        write(bytes);
        if (!completed) {
            PrintWriter err = spec.commandLine().getErr();
            err.printf("metrics workload did not complete within %d s%n", timeoutSeconds);
            err.flush();
            return 1;
        }
        return 0;
    }

    private void write(byte[] bytes) throws java.io.IOException {
        if (out == null) {
            PrintWriter writer = spec.commandLine().getOut();
            writer.print(new String(bytes, StandardCharsets.UTF_8));
            writer.flush();
        } else {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(out, bytes);
        }
    }

    /** Runs the workload; false if it did not complete before the timeout. */
    private boolean workload(Colony colony) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        AtomicLong received = new AtomicLong();
        List<AgentId> ids = new ArrayList<>(agents);
        for (int i = 0; i < agents; i++) {
            AgentId id = AgentId.of("agent-" + i);
            ids.add(id);
            colony.spawn(AgentSpec.of(id, "worker"), (ctx, message) -> received.incrementAndGet());
        }
        AtomicLong events = new AtomicLong();
        colony.bus().subscribe("work.*", event -> events.incrementAndGet());
        colony.bus()
                .subscribe(SubjectPattern.of("work.>"), event -> events.incrementAndGet(), SubscribeOptions.async());
        for (int i = 0; i < this.events; i++) {
            colony.bus().publish("work.item", i);
        }
        AgentId sender = AgentId.of("metrics-cli");
        long accepted = 0; // a full inbox refuses a message (it becomes a dead letter): wait only for the rest
        for (int i = 0; i < messages; i++) {
            if (colony.messenger()
                    .send(Envelope.of(sender, ids.get(i % ids.size()), "work", Map.of("n", i)))
                    .delivered()) {
                accepted++;
            }
        }
        for (int i = 0; i < tasks; i++) {
            colony.tasks().submit(new TaskSpec("task-" + i, "work", new byte[0], 0, Set.of(), 1));
            Optional<Lease> lease = colony.tasks().claim(sender, Set.of(), Duration.ofSeconds(30));
            lease.ifPresent(claimed -> colony.tasks().complete(claimed, new byte[0]));
        }
        Timer snapshotTimer = colony.metrics()
                .timer("colony.snapshot.duration", "Time to take a snapshot of the state and encode it.");
        for (int i = 0; i < snapshots; i++) {
            snapshotTimer.time(() -> SnapshotCodec.encode(colony.state().snapshot()));
        }
        while (received.get() < accepted || events.get() < 2L * this.events) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

    private void positive(int value, String option) {
        if (value < 1) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), option + " must be a positive number, got " + value);
        }
    }

    /** The snapshot as JSON-ready maps: latencies in nanoseconds. */
    static Map<String, Object> json(MetricsSnapshot snapshot) {
        List<Map<String, Object>> metrics = new ArrayList<>();
        for (Reading reading : snapshot.readings()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", reading.name());
            switch (reading) {
                case Reading.Count count -> {
                    entry.put("type", "counter");
                    entry.put("value", count.value());
                }
                case Reading.Gauge gauge -> {
                    entry.put("type", "gauge");
                    entry.put("value", Double.isFinite(gauge.value()) ? gauge.value() : null);
                }
                case Reading.Latency latency -> {
                    LatencySnapshot p = latency.latency();
                    entry.put("type", "latency");
                    entry.put("count", p.count());
                    latency.sumNanos().ifPresent(sum -> entry.put("sum_ns", sum));
                    entry.put("p50_ns", p.p50());
                    entry.put("p95_ns", p.p95());
                    entry.put("p99_ns", p.p99());
                    entry.put("p999_ns", p.p999());
                    entry.put("max_ns", p.max());
                }
            }
            entry.put("description", reading.description());
            metrics.add(entry);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("at", snapshot.at().toString());
        root.put("metrics", metrics);
        return root;
    }
}
