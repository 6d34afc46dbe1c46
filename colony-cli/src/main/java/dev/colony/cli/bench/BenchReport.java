package dev.colony.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole {@code colony bench} run, in the JSON schema of WORKLOADS.md.
 *
 * @param colonyVersion the Colony version
 * @param jdk the running JDK's version
 * @param cpus available processors
 * @param os operating system name
 * @param startedAt when the run started, ISO-8601 UTC
 * @param backend "embedded" (later: "redis")
 * @param scenarios one result per scenario run
 */
record BenchReport(
        String colonyVersion,
        String jdk,
        int cpus,
        String os,
        String startedAt,
        String backend,
        List<ScenarioResult> scenarios) {

    static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, JSON.writeValueAsString(this) + System.lineSeparator());
    }

    boolean pass() {
        return scenarios.stream().allMatch(ScenarioResult::pass);
    }
}
