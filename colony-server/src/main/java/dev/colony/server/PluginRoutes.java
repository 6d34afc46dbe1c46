package dev.colony.server;

import dev.colony.server.auth.Action;
import dev.colony.wasm.DeployException;
import dev.colony.wasm.DeployOptions;
import dev.colony.wasm.Deployment;
import dev.colony.wasm.ExecutionMode;
import dev.colony.wasm.PluginHost;
import dev.colony.wasm.PluginKind;
import dev.colony.wasm.PluginStats;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The plugin admin routes (admin tokens only, every change audited): deploy a WebAssembly module as the body
 * of {@code PUT /v1/admin/plugins/{name}} with its expected sha256, list and read the deployed plugins with a
 * summary of their figures, and remove one. A refused deploy is a problem whose code names the
 * {@link DeployException.Reason}; the previous version keeps running.
 */
final class PluginRoutes {
    static final String WASM = "application/wasm";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    private final PluginHost host;

    PluginRoutes(PluginHost host) {
        this.host = host;
    }

    List<Route> routes() {
        return List.of(
                Route.of("GET", "/v1/admin/plugins", this::list),
                Route.of("GET", "/v1/admin/plugins/{name}", this::read),
                Route.of("PUT", "/v1/admin/plugins/{name}", this::deploy),
                Route.of("DELETE", "/v1/admin/plugins/{name}", this::remove));
    }

    private Reply list(Call call) {
        call.authorize(Action.ADMIN, "plugins");
        List<Map<String, Object>> out = host.names().stream()
                .flatMap(name -> host.deployment(name).stream())
                .map(this::describe)
                .toList();
        return Reply.ok(Json.obj("plugins", out, "compiles", host.compiles(), "reservedBytes", host.reservedBytes()));
    }

    private Reply read(Call call) {
        call.authorize(Action.ADMIN, "plugins");
        String name = call.path("name");
        return Reply.ok(describe(host.deployment(name).orElseThrow(() -> noSuchPlugin(name))));
    }

    private Reply deploy(Call call) {
        call.authorize(Action.ADMIN, "plugins");
        String name = call.path("name");
        String type = call.header("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith(WASM)) {
            throw new Problem(415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be " + WASM + ", got \"" + type + "\"");
        }
        String sha256 = call.query("sha256")
                .orElseThrow(() -> Problem.badRequest(
                        "query parameter sha256 is missing: give the module's expected sha256 in hex"));
        if (!SHA256.matcher(sha256).matches()) {
            throw Problem.badRequest("query parameter sha256 must be 64 hex digits, got \"" + sha256 + "\"");
        }
        DeployOptions options = DeployOptions.defaults().withMode(mode(call));
        if (call.body().length == 0) {
            throw Problem.badRequest("request body is missing: expected the module's bytes (" + WASM + ")");
        }
        Deployment deployment;
        try {
            deployment = host.deploy(name, call.body(), sha256, options);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(e.getMessage());
        } catch (DeployException e) {
            call.audit("plugin.refused", name);
            throw refused(e);
        }
        call.audit("plugin.deploy", name + " " + deployment.info().version());
        return Reply.json(200, describe(deployment));
    }

    private Reply remove(Call call) {
        call.authorize(Action.ADMIN, "plugins");
        String name = call.path("name");
        if (!host.undeploy(name)) {
            throw noSuchPlugin(name);
        }
        call.audit("plugin.remove", name);
        return Reply.noContent();
    }

    private static ExecutionMode mode(Call call) {
        return call.query("mode")
                .map(value -> switch (value.toLowerCase(Locale.ROOT)) {
                    case "compiled" -> ExecutionMode.COMPILED;
                    case "interpreted" -> ExecutionMode.INTERPRETED;
                    default ->
                        throw Problem.badRequest(
                                "query parameter mode must be compiled or interpreted, got \"" + value + "\"");
                })
                .orElse(ExecutionMode.COMPILED);
    }

    /** The problem of a refused deploy: 409 when the server's state refuses it, 422 when the module is at fault. */
    static Problem refused(DeployException e) {
        int status = switch (e.reason()) {
            case BUDGET -> 409;
            case CLOSED -> 503;
            default -> 422;
        };
        return new Problem(
                status,
                "PLUGIN_" + e.reason().name(),
                e.getMessage(),
                Map.of("reason", e.reason().name()));
    }

    private static Problem noSuchPlugin(String name) {
        return Problem.notFound(
                "NO_SUCH_PLUGIN", "no plugin \"" + name + "\" is deployed (GET /v1/admin/plugins lists them)");
    }

    private Map<String, Object> describe(Deployment d) {
        Map<String, Object> out = Json.obj(
                "name", d.name(),
                "version", d.info().version(),
                "sha256", d.info().sha256(),
                "sizeBytes", d.info().sizeBytes(),
                "kinds",
                        d.info().kinds().stream().map(PluginKind::name).sorted().toList(),
                "mode", d.options().mode().name(),
                "subjectOnly", d.subjectOnly(),
                "deterministic", d.deterministic(),
                "deployedAt", d.at().toString());
        host.stats(d.name()).ifPresent(s -> {
            out.put("state", s.quarantined() ? "QUARANTINED" : "ACTIVE");
            out.put("metrics", summary(s));
        });
        return out;
    }

    private static Map<String, Object> summary(PluginStats s) {
        return Json.obj(
                "calls", s.calls(),
                "accepted", s.accepted(),
                "rejected", s.rejected(),
                "replaced", s.replaced(),
                "failed", s.failed(),
                "p50Nanos", s.latency().p50(),
                "p99Nanos", s.latency().p99(),
                "instancesLive", s.instancesLive(),
                "poolWaits", s.poolWaits(),
                "memoryPages", s.memoryPages());
    }
}
