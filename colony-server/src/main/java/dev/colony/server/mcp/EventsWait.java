package dev.colony.server.mcp;

import dev.colony.server.LocalApi;
import dev.colony.server.auth.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code events_wait} tool: the {@code /v1/events} SSE stream read for at most 25 s, from a cursor (the
 * stream's {@code Last-Event-ID}), so an agent sees each event once across calls, or a reset when the
 * server's replay ring no longer reaches back to its cursor.
 */
final class EventsWait {
    private EventsWait() {}

    static Object run(LocalApi api, Principal p, Args a) {
        Map<String, String> query = new HashMap<>();
        query.put("pattern", a.text("pattern"));
        a.optText("cursor").ifPresent(c -> query.put("lastEventId", c));
        long wait = Math.min(a.seconds("wait", 25, 0, 25), api.maxWait().toSeconds());
        int max = (int) a.seconds("max", 50, 1, 1000);
        LocalApi.Streamed s = api.stream(p, List.of("v1", "events"), query, Duration.ofSeconds(wait), max);
        ColonyTools.ok(s.answer());
        List<Map<String, Object>> events = new ArrayList<>();
        String cursor = a.optText("cursor").orElse(null);
        boolean reset = false;
        for (LocalApi.Frame f : s.frames()) {
            if (f.event().equals("message")) {
                events.add(Map.of(
                        "subject",
                        f.data().path("subject").asString(),
                        "payload",
                        f.data().path("payload")));
            } else if (f.event().equals("reset") || f.event().equals("gap")) {
                reset = true;
            }
            if (f.id() != null) {
                cursor = f.id();
            }
        }
        Map<String, Object> out = new HashMap<>();
        out.put("events", events);
        out.put("reset", reset);
        if (cursor != null) {
            out.put("cursor", cursor);
        }
        return out;
    }
}
