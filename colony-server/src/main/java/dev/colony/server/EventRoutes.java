package dev.colony.server;

import dev.colony.bus.Event;
import dev.colony.bus.EventBus;
import dev.colony.bus.PublishResult;
import dev.colony.bus.Subject;
import dev.colony.bus.SubjectPattern;
import dev.colony.server.auth.Action;
import dev.colony.wasm.FailurePolicy;
import dev.colony.wasm.PluginHost;
import dev.colony.wasm.PluginKind;
import dev.colony.wasm.SubscriptionFilter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The bus routes: publish a JSON payload on a subject, and stream the events of a subject pattern as SSE,
 * resumable with {@code Last-Event-ID} from the {@link EventRing}. A stream may name a deployed WebAssembly
 * filter plugin ({@code filter=<plugin>}, with {@code filterPolicy}): it runs per stream, on the stream's own
 * thread, over the client's subject and the payload's JSON, live and replayed events alike.
 */
final class EventRoutes {
    private final Parts parts;
    private final EventBus bus;
    private final PluginHost plugins;

    EventRoutes(Parts parts, PluginHost plugins) {
        this.parts = parts;
        this.bus = parts.colony().bus();
        this.plugins = plugins;
    }

    List<Route> routes() {
        return List.of(
                Route.of("POST", "/v1/events/{subject}", this::publish), Route.of("GET", "/v1/events", this::stream));
    }

    private Reply publish(Call call) {
        String subject = call.path("subject");
        Subject stored = call.ns().subject(subject);
        call.authorize(Action.PUBLISH, subject);
        int priority =
                call.integer("priority", Event.MIN_PRIORITY, Event.MAX_PRIORITY).orElse(Event.NORMAL_PRIORITY);
        PublishResult result = bus.publish(new Event(stored, call.json(), priority));
        return Reply.ok(Json.obj(
                "matched", result.matched(),
                "accepted", result.accepted(),
                "dropped", result.dropped(),
                "rejected", result.rejected(),
                "failed", result.failed()));
    }

    private Reply stream(Call call) {
        String pattern = call.query("pattern").orElse(null);
        SubjectPattern stored = call.ns().pattern(pattern);
        call.authorize(Action.SUBSCRIBE, pattern);
        String lastEventId = call.header("Last-Event-ID");
        if (lastEventId == null) {
            lastEventId = call.query("lastEventId").orElse(null);
        }
        String resumeFrom = lastEventId;
        Optional<String> filterName = call.query("filter");
        Predicate<Event> filter = filterName.isEmpty() ? null : filter(call, filterName.get());
        Map<String, Object> ready = Json.obj("pattern", pattern, "filter", filterName.orElse(null));
        return Reply.events(out -> {
            try (SseStream stream = new SseStream(
                    out, parts.limits().streamBuffer(), filter, parts.ring().pace())) {
                EventRing.Listener listener = new EventRing.Listener(stored, stream);
                EventRing.Attachment attachment = parts.ring().attach(listener, resumeFrom);
                try {
                    if (attachment.reset()) {
                        stream.write(
                                parts.ring().lastId(),
                                "reset",
                                Json.write(
                                        Json.obj(
                                                "lastEventId",
                                                resumeFrom,
                                                "detail",
                                                "the replay ring no longer reaches back to this id (or it is from another server start); re-read state, then continue")));
                    } else {
                        stream.write(null, "ready", Json.write(ready));
                    }
                    for (EventRing.Replayed replayed : attachment.replay()) {
                        stream.write(replayed.id(), "message", replayed.data(), replayed.event());
                    }
                    stream.pump(() -> true);
                } finally {
                    parts.ring().detach(listener);
                }
            }
        });
    }

    /**
     * The stream's filter: plugin {@code name}'s binding with the {@code filterPolicy} (default FAIL_CLOSED),
     * judging each event as the client sees it (its own subject, without the account's prefix).
     */
    private Predicate<Event> filter(Call call, String name) {
        FailurePolicy policy =
                call.query("filterPolicy").map(EventRoutes::policy).orElse(FailurePolicy.FAIL_CLOSED);
        if (plugins
                .deployment(name)
                .orElseThrow(() -> Problem.notFound(
                        "NO_SUCH_PLUGIN",
                        "no plugin \"" + name
                                + "\" is deployed to filter this stream (GET /v1/admin/plugins lists them)"))
                .info()
                .kinds()
                .stream()
                .noneMatch(kind -> kind == PluginKind.FILTER)) {
            throw new Problem(
                    422,
                    "PLUGIN_NOT_A_FILTER",
                    "plugin \"" + name + "\" exports no colony_filter, so it cannot filter a stream");
        }
        SubscriptionFilter binding = plugins.filter(name, policy);
        Namespace ns = call.ns();
        return event -> binding.test(
                new Event(Subject.of(ns.localSubject(event.subject().value())), event.payload(), event.priority()));
    }

    private static FailurePolicy policy(String text) {
        try {
            return FailurePolicy.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("filterPolicy must be fail_closed, fail_open or reload, got \"" + text + "\"");
        }
    }
}
