package dev.colony.server;

import dev.colony.alert.Alert;
import dev.colony.metrics.PrometheusText;
import dev.colony.server.auth.Action;
import dev.colony.state.CoordinationState;
import dev.colony.state.CorruptSnapshotException;
import dev.colony.state.DurableState;
import dev.colony.state.Snapshot;
import dev.colony.state.SnapshotCodec;
import dev.colony.state.SnapshotStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The operator routes: health (open), the OpenAPI document (open), Prometheus metrics, alerts and
 * snapshots (admin). Snapshots exist only on a durable embedded colony: they are files of its data
 * directory, listed, taken (a checkpoint), downloaded as they are stored, and restored by name or from an
 * uploaded file (a request body, so at most the body limit). Any other colony answers 409
 * {@code NOT_DURABLE}, saying which it is.
 */
final class OpsRoutes {
    private final Parts parts;
    private final BooleanSupplier ready;
    private final byte[] openapi;

    OpsRoutes(Parts parts, BooleanSupplier ready) {
        this.parts = parts;
        this.ready = ready;
        this.openapi = openapi();
    }

    List<Route> routes() {
        return List.of(
                Route.open("GET", "/health/live", call -> Reply.ok(Json.obj("status", "UP"))),
                Route.open("GET", "/health/ready", this::ready),
                Route.open("GET", "/openapi.json", call -> new Reply(200, Reply.JSON, Map.of(), openapi, null)),
                Route.of("GET", "/metrics", this::metrics),
                Route.of("GET", "/v1/alerts", this::alerts),
                Route.of("GET", "/v1/snapshots", this::listSnapshots),
                Route.of("POST", "/v1/snapshots", this::checkpoint),
                Route.of("GET", "/v1/snapshots/{name}", this::download),
                Route.of("POST", "/v1/snapshots/restore", this::restoreUploaded),
                Route.of("POST", "/v1/snapshots/{name}/restore", this::restore));
    }

    private Reply ready(Call call) {
        try {
            if (ready.getAsBoolean()) {
                return Reply.ok(Json.obj(
                        "status", "UP", "revision", parts.colony().state().revision()));
            }
        } catch (RuntimeException e) {
            throw new Problem(503, "NOT_READY", "the colony does not answer: " + e.getMessage());
        }
        throw new Problem(503, "NOT_READY", "the server is starting or stopping");
    }

    private Reply metrics(Call call) {
        call.authorize(Action.ADMIN, "metrics");
        return Reply.text(
                200,
                PrometheusText.CONTENT_TYPE,
                PrometheusText.format(parts.colony().metrics().snapshot()));
    }

    private Reply alerts(Call call) {
        call.authorize(Action.ADMIN, "alerts");
        if (parts.alerts() == null) {
            return Reply.ok(Json.obj("states", Map.of(), "recent", List.of()));
        }
        Map<String, String> states = new java.util.TreeMap<>();
        parts.alerts().states().forEach((name, state) -> states.put(name, state.name()));
        List<Map<String, Object>> recent =
                parts.alerts().recent().stream().map(OpsRoutes::alert).toList();
        return Reply.ok(Json.obj("states", states, "recent", recent));
    }

    private Reply listSnapshots(Call call) {
        call.authorize(Action.ADMIN, "snapshots");
        List<Map<String, Object>> out = store().list().stream()
                .map(e -> Json.obj(
                        "name", e.file().getFileName().toString(),
                        "revision", e.revision(),
                        "label", e.label(),
                        "bytes", e.bytes(),
                        "modified", e.modified()))
                .toList();
        return Reply.ok(Json.obj("snapshots", out));
    }

    private Reply checkpoint(Call call) {
        call.authorize(Action.ADMIN, "snapshots");
        Path file = durable().checkpoint();
        call.audit("snapshot.create", file.getFileName().toString());
        return Reply.json(
                201,
                Json.obj(
                        "name",
                        file.getFileName().toString(),
                        "revision",
                        parts.colony().state().revision()));
    }

    private Reply download(Call call) {
        call.authorize(Action.ADMIN, "snapshots");
        String name = call.path("name");
        Path file = entry(store(), name).file();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw noSnapshot(name); // pruned since it was found
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read snapshot " + file, e);
        }
        String type = isBinary(bytes) ? "application/octet-stream" : Reply.JSON;
        return new Reply(
                200, type, Map.of("Content-Disposition", "attachment; filename=\"" + name + "\""), bytes, null);
    }

    private Reply restore(Call call) {
        call.authorize(Action.ADMIN, "snapshots");
        String name = call.path("name");
        SnapshotStore store = store();
        Snapshot snapshot;
        try {
            snapshot = store.load(entry(store, name).file());
        } catch (CorruptSnapshotException e) {
            throw Problem.conflict("RESTORE_REFUSED", "snapshot \"" + name + "\" does not load: " + e.getMessage());
        }
        restore(snapshot);
        call.audit("snapshot.restore", name);
        return Reply.ok(Json.obj("name", name, "revision", snapshot.revision()));
    }

    /** Restores the snapshot file in the body, binary or JSON (as {@code GET /v1/snapshots/{name}} gives it). */
    private Reply restoreUploaded(Call call) {
        call.authorize(Action.ADMIN, "snapshots");
        durable();
        Snapshot snapshot;
        try {
            snapshot = SnapshotCodec.decode(call.body());
        } catch (CorruptSnapshotException e) {
            throw new Problem(
                    400, "BAD_SNAPSHOT", "the request body is not a snapshot that restores: " + e.getMessage());
        }
        restore(snapshot);
        call.audit("snapshot.restore", "upload of revision " + snapshot.revision());
        return Reply.ok(Json.obj("revision", snapshot.revision()));
    }

    private void restore(Snapshot snapshot) {
        try {
            parts.colony().state().restore(snapshot);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw Problem.conflict("RESTORE_REFUSED", e.getMessage());
        }
    }

    private static SnapshotStore.Entry entry(SnapshotStore store, String name) {
        return store.find(name).orElseThrow(() -> noSnapshot(name));
    }

    private static Problem noSnapshot(String name) {
        return Problem.notFound("NO_SUCH_SNAPSHOT", "no snapshot \"" + name + "\" (GET /v1/snapshots lists them)");
    }

    private static boolean isBinary(byte[] bytes) {
        byte[] magic = "COLONYSN".getBytes(StandardCharsets.US_ASCII);
        return bytes.length >= magic.length && Arrays.equals(bytes, 0, magic.length, magic, 0, magic.length);
    }

    private DurableState durable() {
        CoordinationState state = parts.colony().state();
        if (state instanceof DurableState durable) {
            return durable;
        }
        if (!state.getClass().getPackageName().equals(CoordinationState.class.getPackageName())) {
            // an embedded state is one of colony-core's own classes; any other is a connected backend's
            throw Problem.conflict(
                    "NOT_DURABLE",
                    "this server's colony is a connected backend (Redis), which keeps its own data and has no"
                            + " snapshot files here: back up Redis itself (RDB or AOF), or snapshot the colony from"
                            + " Java (CoordinationState.snapshot)");
        }
        throw Problem.conflict("NOT_DURABLE", "this server's state has no data directory (start it with --data DIR)");
    }

    private SnapshotStore store() {
        return SnapshotStore.open(durable().durability().directory());
    }

    private static Map<String, Object> alert(Alert a) {
        return Json.obj(
                "rule", a.rule().name(),
                "state", a.state().name(),
                "value", a.value(),
                "threshold", a.threshold(),
                "since", a.since(),
                "at", a.at(),
                "message", a.message());
    }

    private static byte[] openapi() {
        try (InputStream in = OpsRoutes.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
