/** Colony's API and its embedded implementation. */
module dev.colony.core {
    requires HdrHistogram;
    requires org.lz4.java;
    requires re2j; // automatic module: the jar names no module, so its file name does
    requires tools.jackson.databind;
    requires tools.jackson.module.blackbird;
    // optional exporters (ADR 0012): PrometheusText and MicrometerBinder need these only when used
    requires static io.prometheus.metrics.config;
    requires static io.prometheus.metrics.model;
    requires static io.prometheus.writer.text;
    requires static micrometer.core;

    exports dev.colony;
    exports dev.colony.agent;
    exports dev.colony.bus;
    exports dev.colony.messaging;
    exports dev.colony.metrics;
    exports dev.colony.snapshot;
    exports dev.colony.state;

    uses dev.colony.ColonyBackend;
}
