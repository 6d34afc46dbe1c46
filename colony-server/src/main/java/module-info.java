/** colony serve: Colony over HTTP/JSON and SSE, on Jetty's core handlers (ADR 0029). */
module dev.colony.server {
    requires transitive dev.colony.core;
    requires transitive dev.colony.wasm;
    requires org.eclipse.jetty.server;
    requires tools.jackson.databind;
    // PrometheusText in colony-core reads these only when they are in the module graph (requires static)
    requires io.prometheus.writer.text;
    requires io.prometheus.metrics.model;
    requires io.prometheus.metrics.config;

    exports dev.colony.server;
    exports dev.colony.server.auth;
}
