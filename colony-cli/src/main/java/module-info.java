/** The colony command line: demo, bench (over colony-validation), serve and token, snapshot and journal tools. */
module dev.colony.cli {
    requires dev.colony.core;
    requires dev.colony.validation;
    requires dev.colony.server; // colony serve and colony token
    requires dev.colony.wasm;
    requires info.picocli;
    requires java.net.http; // colony mcp, colony hook and the operator commands talk to colony serve
    requires tools.jackson.databind;
    requires HdrHistogram;
    // PrometheusText in colony-core reads these only when they are in the module graph (requires static)
    requires io.prometheus.writer.text;
    requires io.prometheus.metrics.model;
    requires io.prometheus.metrics.config;

    opens dev.colony.cli to
            info.picocli;
}
