package dev.colony.server;

import dev.colony.bus.Event;
import dev.colony.bus.EventBus;
import dev.colony.bus.PublishResult;
import dev.colony.bus.Subject;
import dev.colony.bus.SubjectPattern;
import dev.colony.server.auth.Action;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The bus routes: publish a JSON payload on a subject, and stream the events of a subject pattern as SSE,
 * resumable with {@code Last-Event-ID} from the {@link EventRing}.
 */
final class EventRoutes {
    private final Parts parts;
    private final EventBus bus;

    EventRoutes(Parts parts) {
        this.parts = parts;
        this.bus = parts.colony().bus();
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
        return Reply.events(out -> {
            try (SseStream stream = new SseStream(out, parts.limits().streamBuffer())) {
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
                        stream.write(null, "ready", Json.write(Json.obj("pattern", pattern)));
                    }
                    for (String[] frame : attachment.replay()) {
                        stream.write(frame[0], "message", frame[1].getBytes(StandardCharsets.UTF_8));
                    }
                    stream.pump(() -> true);
                } finally {
                    parts.ring().detach(listener);
                }
            }
        });
    }
}
