/** The colony command line: bench, and later demo, snapshot tools and serve. */
module dev.colony.cli {
    requires dev.colony.core;
    requires dev.colony.server; // colony serve
    requires info.picocli;
    requires tools.jackson.databind;
    requires HdrHistogram;
    requires java.management; // bench records JVM flags and the load average (RunEnvironment)
    // PrometheusText in colony-core reads these only when they are in the module graph (requires static)
    requires io.prometheus.writer.text;
    requires io.prometheus.metrics.model;
    requires io.prometheus.metrics.config;

    opens dev.colony.cli to
            info.picocli;
    opens dev.colony.cli.bench to
            info.picocli,
            tools.jackson.databind;
}
