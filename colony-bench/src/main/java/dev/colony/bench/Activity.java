package dev.colony.bench;

import java.util.Map;

/**
 * The event payload of the docs/workloads.md {@code event-bus} scenario: about 120 bytes as JSON (an id, a
 * timestamp, one agent id of 100, a small nested map). Built once, before any timed region.
 */
record Activity(String id, long timestamp, String agentId, Map<String, Object> data) {

    Activity {
        data = Map.copyOf(data);
    }

    static Activity sample() {
        return new Activity(
                "evt-000042",
                1_767_225_600_000L,
                "agent-42",
                Map.of("kind", "spawn", "task", "task-7", "progress", 0.25, "attempt", 1));
    }
}
