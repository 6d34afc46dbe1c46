package dev.colony.validation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole {@code colony bench} run, in the JSON schema of docs/workloads.md.
 *
 * @param colonyVersion the Colony version
 * @param jdk the running JDK's version
 * @param cpus available processors
 * @param os operating system name
 * @param startedAt when the run started, ISO-8601 UTC
 * @param backend "embedded" (later: "redis")
 * @param scenarios one result per scenario run
 * @param environment the commit, JVM flags and machine load, or null in files written before it existed
 * @param quick whether the run used {@code --quick} (figures for checking, not quoting); null in older files
 */
public record BenchReport(
        String colonyVersion,
        String jdk,
        int cpus,
        String os,
        String startedAt,
        String backend,
        List<ScenarioResult> scenarios,
        RunEnvironment environment,
        Boolean quick) {

    /** A report without the environment and quick fields, as files before them read. */
    public BenchReport(
            String colonyVersion,
            String jdk,
            int cpus,
            String os,
            String startedAt,
            String backend,
            List<ScenarioResult> scenarios) {
        this(colonyVersion, jdk, cpus, os, startedAt, backend, scenarios, null, null);
    }

    /** The note every report of a {@code --quick} run opens with. */
    public static final String QUICK_NOTE =
            "Note: --quick figures come from a cold JVM and 3 iterations: for checking the harness, not for quoting.";

    /**
     * The backend for the text reports: {@code redis} with where node B ran ({@code two-jvms} or {@code
     * one-jvm}, the scenarios' {@code nodes} detail, ADR 0058) when the run recorded it, else as recorded.
     */
    public String backendText() {
        return scenarios.stream()
                .map(s -> Details.text(s.details(), "nodes"))
                .flatMap(java.util.Optional::stream)
                .findFirst()
                .map(nodes -> backend + " (node B: " + nodes + ")")
                .orElse(backend);
    }

    /** Whether the run's figures came from a {@code --quick} smoke run. */
    public boolean quickRun() {
        return Boolean.TRUE.equals(quick);
    }

    static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    public void write(Path file) throws IOException {
        writeText(file, JSON.writeValueAsString(this) + System.lineSeparator());
    }

    /** Writes {@code text} to {@code file}, creating its directories. */
    public static void writeText(Path file, String text) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, text);
    }

    /**
     * Reads a report written by {@link #write}, by this version or an older one (fields it does not know are
     * ignored; per-iteration figures and baselines missing from older files are null).
     *
     * @throws IllegalArgumentException naming the file when it is not such a report
     */
    public static BenchReport read(Path file) throws IOException {
        BenchReport report;
        try {
            report = JSON.readerFor(BenchReport.class)
                    .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(Files.readString(file));
        } catch (JacksonException e) {
            throw new IllegalArgumentException(
                    "'" + file + "' is not a colony bench JSON report: " + e.getOriginalMessage(), e);
        }
        if (report == null || report.scenarios() == null) {
            throw new IllegalArgumentException("'" + file + "' is not a colony bench JSON report: no scenarios");
        }
        return report;
    }

    /**
     * This report as it reads back from its JSON: details become plain maps, as in a file, so reports render
     * the same from a run and from a file.
     */
    public BenchReport normalized() {
        return JSON.readerFor(BenchReport.class).readValue(JSON.writeValueAsString(this));
    }

    public boolean pass() {
        return scenarios.stream().allMatch(ScenarioResult::pass);
    }
}
