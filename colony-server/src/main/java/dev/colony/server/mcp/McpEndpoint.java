package dev.colony.server.mcp;

import dev.colony.server.Endpoint;
import dev.colony.server.LocalApi;
import dev.colony.server.auth.AccessDenied;
import dev.colony.server.auth.Guard;
import dev.colony.server.auth.Principal;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * The MCP endpoint of {@code colony serve} at {@code /mcp} (ADR 0046): the official Java SDK's streamable-HTTP
 * servlet (its stateless variant for a server on Redis) in a Jetty ee10 context beside the {@code /v1}
 * handler, with the SDK's Origin and Host validator set, and every request authenticated and admitted by the
 * server's {@link Guard} before the SDK sees it; the tools then authorize each action as {@code /v1} does.
 */
@SuppressWarnings("exports") // Jetty's Handler, through Endpoint
public final class McpEndpoint implements Endpoint {
    static final String PRINCIPAL = "colony.principal";
    private static final String ENDPOINT = "/mcp";

    private final ServletContextHandler context;
    private final AutoCloseable server;

    private McpEndpoint(ServletContextHandler context, AutoCloseable server) {
        this.context = context;
        this.server = server;
    }

    /**
     * The endpoint over these routes, with the server's Host names and origins, and the stateless transport
     * (no sessions: any server of several can answer) when {@link LocalApi#stateless()}.
     */
    public static McpEndpoint create(LocalApi api) {
        Set<String> hosts = api.allowedHosts();
        Set<String> origins = api.allowedOrigins();
        boolean stateless = api.stateless();
        JacksonMcpJsonMapper json =
                new JacksonMcpJsonMapper(JsonMapper.builder().build());
        DefaultServerTransportSecurityValidator.Builder security = DefaultServerTransportSecurityValidator.builder();
        List<String> allowedOrigins = new ArrayList<>(origins);
        for (String host : List.of("localhost", "127.0.0.1", "[::1]")) {
            allowedOrigins.add("http://" + host + ":*");
            allowedOrigins.add("https://" + host + ":*");
        }
        security.allowedOrigins(allowedOrigins);
        if (!hosts.isEmpty()) {
            List<String> allowedHosts = new ArrayList<>();
            for (String h : hosts) {
                allowedHosts.add(h);
                allowedHosts.add(h + ":*");
            }
            security.allowedHosts(allowedHosts);
        }
        ColonyTools tools = new ColonyTools(api);
        ServletContextHandler context = new ServletContextHandler(ENDPOINT);
        context.setAllowNullPathInContext(true);
        context.addFilter(new FilterHolder(authFilter(api.guard())), "/*", EnumSet.of(DispatcherType.REQUEST));
        HttpServlet servlet;
        AutoCloseable server;
        if (stateless) {
            HttpServletStatelessServerTransport transport = HttpServletStatelessServerTransport.builder()
                    .jsonMapper(json)
                    .messageEndpoint(ENDPOINT)
                    .httpHeaderValidator(security.build())
                    .contextExtractor(McpEndpoint::context)
                    .build();
            McpStatelessSyncServer s = McpServer.sync(transport)
                    .serverInfo("colony", "0.1.0")
                    .jsonMapper(json)
                    .instructions(INSTRUCTIONS)
                    .immediateExecution(true)
                    .capabilities(
                            McpSchema.ServerCapabilities.builder().tools(false).build())
                    .tools(ToolCatalog.tools().stream()
                            .map(t -> new McpStatelessServerFeatures.SyncToolSpecification(
                                    t, (ctx, req) -> invoke(tools, ctx, req)))
                            .toList())
                    .build();
            servlet = transport;
            server = s::close;
        } else {
            HttpServletStreamableServerTransportProvider transport =
                    HttpServletStreamableServerTransportProvider.builder()
                            .jsonMapper(json)
                            .mcpEndpoint(ENDPOINT)
                            .httpHeaderValidator(security.build())
                            .contextExtractor(McpEndpoint::context)
                            .keepAliveInterval(Duration.ofSeconds(15))
                            .build();
            McpSyncServer s = McpServer.sync(transport)
                    .serverInfo("colony", "0.1.0")
                    .jsonMapper(json)
                    .instructions(INSTRUCTIONS)
                    .immediateExecution(true)
                    .requestTimeout(Duration.ofSeconds(60))
                    .capabilities(
                            McpSchema.ServerCapabilities.builder().tools(false).build())
                    .tools(ToolCatalog.tools().stream()
                            .map(t -> new McpServerFeatures.SyncToolSpecification(
                                    t, (ex, req) -> invoke(tools, ex.transportContext(), req)))
                            .toList())
                    .build();
            servlet = transport;
            server = s::close;
        }
        context.addServlet(new ServletHolder(servlet), "/*");
        return new McpEndpoint(context, server);
    }

    /** A handler serving {@code /mcp} with this endpoint and everything else with {@code rest}. */
    @Override
    public Handler around(Handler rest) {
        PathMappingsHandler mappings = new PathMappingsHandler();
        mappings.addMapping(PathSpec.from("/mcp/*"), context);
        mappings.addMapping(PathSpec.from("/"), rest);
        return mappings;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (Exception e) {
            System.getLogger("dev.colony.server.mcp")
                    .log(System.Logger.Level.WARNING, "closing the MCP server: " + e.getMessage());
        }
    }

    static final String INSTRUCTIONS = "Colony coordinates a swarm of agents. Call colony_join once with your own"
            + " id, then pass it as 'agent' to every tool. Work loop: task_claim, do the work (task_progress on long"
            + " work), task_finish. Share state with memory_get/memory_put (use expectVersion), talk with"
            + " message_send/inbox_read, and take a lock before exclusive work.";

    private static McpSchema.CallToolResult invoke(
            ColonyTools tools, McpTransportContext ctx, McpSchema.CallToolRequest req) {
        Principal p = (Principal) ctx.get(PRINCIPAL);
        Args args = new Args(req.name(), req.arguments());
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            out.put("result", tools.call(p, req.name(), args));
            out.put("you", you(tools, p, args));
            return result(out, false);
        } catch (ToolError e) {
            out.put("error", e.code());
            out.put("detail", e.getMessage());
            out.putAll(e.extra());
            out.put("you", you(tools, p, args));
            return result(out, true);
        }
    }

    private static Object you(ColonyTools tools, Principal p, Args args) {
        Object agent = args.values().get("agent");
        return agent instanceof String id && !id.isBlank() ? tools.you(p, id) : Map.of();
    }

    private static McpSchema.CallToolResult result(Map<String, Object> out, boolean error) {
        String text = JsonMapper.builder().build().writeValueAsString(out);
        return McpSchema.CallToolResult.builder()
                .addTextContent(text)
                .isError(error)
                .build();
    }

    private static McpTransportContext context(HttpServletRequest request) {
        Object p = request.getAttribute(PRINCIPAL);
        return p == null ? McpTransportContext.EMPTY : McpTransportContext.create(Map.of(PRINCIPAL, p));
    }

    /** Authenticates and admits every request before the SDK sees it: 401 or 429 as problem documents. */
    private static Filter authFilter(Guard guard) {
        return (request, response, chain) -> {
            HttpServletRequest http = (HttpServletRequest) request;
            try {
                Principal p = guard.authenticate(http.getHeader("Authorization"));
                guard.admit(p);
                http.setAttribute(PRINCIPAL, p);
            } catch (AccessDenied e) {
                HttpServletResponse out = (HttpServletResponse) response;
                out.setStatus(e.status());
                out.setContentType("application/problem+json");
                e.retryAfter().ifPresent(d -> out.setHeader("Retry-After", Long.toString(Math.max(1, d.toSeconds()))));
                if (e.status() == 401) {
                    out.setHeader("WWW-Authenticate", "Bearer");
                }
                String doc = "{\"status\":" + e.status() + ",\"code\":\"" + e.code() + "\",\"detail\":"
                        + JsonMapper.builder().build().writeValueAsString(e.getMessage()) + "}";
                out.getOutputStream().write(doc.getBytes(StandardCharsets.UTF_8));
                return;
            }
            chain.doFilter(request, response);
        };
    }
}
