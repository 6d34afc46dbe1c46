/** colony serve: Colony over HTTP/JSON and SSE, on Jetty's core handlers (ADR 0029). */
module dev.colony.server {
    requires transitive dev.colony.core;
    requires transitive dev.colony.wasm;
    requires org.eclipse.jetty.server;
    requires tools.jackson.databind;
    // the MCP endpoint (ADR 0046): the SDK's servlet transport in an ee10 context
    requires io.modelcontextprotocol.sdk.mcp.core;
    requires io.modelcontextprotocol.sdk.mcp.json.jackson3;
    requires org.eclipse.jetty.ee10.servlet;
    requires jakarta.servlet;
    requires reactor.core;
    // PrometheusText in colony-core reads these only when they are in the module graph (requires static)
    requires io.prometheus.writer.text;
    requires io.prometheus.metrics.model;
    requires io.prometheus.metrics.config;

    exports dev.colony.server;
    exports dev.colony.server.auth;
    exports dev.colony.server.mcp; // colony serve and colony mcp mount it
}
