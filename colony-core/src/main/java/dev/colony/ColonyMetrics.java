package dev.colony;

import dev.colony.agent.Agents;
import dev.colony.bus.BusMetrics;
import dev.colony.bus.EventBus;
import dev.colony.messaging.Messenger;
import dev.colony.messaging.MessengerMetrics;
import dev.colony.metrics.MetricsRegistry;
import dev.colony.state.CoordinationState;
import dev.colony.state.TaskStatus;
import java.util.function.ToLongFunction;

/**
 * Registers the figures an embedded colony's parts already keep in its {@link MetricsRegistry}, as function
 * counters, gauges and latency sources read at snapshot time: nothing is added to the parts' hot paths.
 * The names are listed in {@code docs/metrics.md}.
 */
final class ColonyMetrics {
    /** The timer of snapshot cut-and-encode times; recorded by those who take snapshots (the CLI does). */
    static final String SNAPSHOT_DURATION = "colony.snapshot.duration";

    private ColonyMetrics() {}

    static void register(
            MetricsRegistry registry, EventBus bus, Messenger messenger, CoordinationState state, Agents agents) {
        bus(registry, bus);
        messenger(registry, messenger);
        registry.gauge("colony.state.revision", "Changes made to the coordination state so far.", state::revision);
        registry.gauge(
                "colony.agents.registered",
                "Agents in the registry now, any status.",
                () -> state.registry().all().size());
        registry.gauge(
                "colony.agents.running",
                "Agents spawned here that have not terminated.",
                () -> agents.agents().size());
        registry.gauge(
                "colony.tasks.queued",
                "Tasks waiting to be claimed.",
                () -> state.tasks().count(TaskStatus.QUEUED));
        registry.gauge(
                "colony.tasks.claimed",
                "Tasks under a lease now.",
                () -> state.tasks().count(TaskStatus.CLAIMED));
        registry.gauge(
                "colony.tasks.dead",
                "Tasks that ran out of attempts.",
                () -> state.tasks().count(TaskStatus.DEAD));
        registry.timer(SNAPSHOT_DURATION, "Time to take a snapshot of the state and encode it.");
    }

    private static void bus(MetricsRegistry registry, EventBus bus) {
        busCounter(registry, bus, "published", "Events published.", BusMetrics::published);
        busCounter(registry, bus, "delivered", "Handler calls that returned normally.", BusMetrics::delivered);
        busCounter(registry, bus, "failed", "Handler calls that threw.", BusMetrics::failed);
        busCounter(registry, bus, "handled", "Handler calls (delivered + failed).", m -> m.delivered() + m.failed());
        busCounter(registry, bus, "dropped", "Events lost to DROP overflow policies.", BusMetrics::dropped);
        busCounter(registry, bus, "rejected", "Events refused by subscriptions.", BusMetrics::rejected);
        busCounter(
                registry, bus, "discarded", "Events still queued when their subscription closed.", m -> m.discarded());
        busCounter(registry, bus, "abandoned", "ASYNC handler calls a close gave up on.", BusMetrics::abandoned);
        busCounter(registry, bus, "dead", "Events that matched no subscription.", BusMetrics::dead);
        busCounter(
                registry,
                bus,
                "missed",
                "Events from other processes never received (gaps in their sequence numbers).",
                BusMetrics::missed);
        busCounter(
                registry,
                bus,
                "route.cache.hits",
                "Publishes whose route came from the cache.",
                m -> m.routeCacheHits());
        busCounter(
                registry, bus, "route.cache.misses", "Publishes whose route was computed.", m -> m.routeCacheMisses());
        registry.gauge(
                "colony.bus.subscriptions",
                "Open subscriptions.",
                () -> bus.metrics().subscriptions());
        registry.gauge(
                "colony.bus.queue.depth",
                "Events waiting in ASYNC mailboxes.",
                () -> bus.metrics().queueDepth());
        registry.gauge(
                "colony.bus.route.cache.size",
                "Subjects in the route cache.",
                () -> bus.metrics().routeCacheSize());
        registry.latency(
                "colony.bus.async.latency",
                "Publish-to-handler latency of sampled ASYNC deliveries, since the bus started.",
                () -> bus.metrics().asyncLatency());
    }

    private static void messenger(MetricsRegistry registry, Messenger messenger) {
        messengerCounter(
                registry, messenger, "sent", "Messages offered to send, requests and replies included.", m -> m.sent());
        messengerCounter(
                registry,
                messenger,
                "delivered",
                "Messages handled, plus replies handed to requests.",
                m -> m.delivered());
        messengerCounter(registry, messenger, "failed", "Message handler calls that threw.", MessengerMetrics::failed);
        messengerCounter(registry, messenger, "timeouts", "Requests that timed out.", MessengerMetrics::timedOut);
        messengerCounter(
                registry, messenger, "dead.letters", "Messages that became dead letters.", m -> m.deadLettered());
        messengerCounter(
                registry,
                messenger,
                "abandoned",
                "Message handlers a close stopped waiting for.",
                MessengerMetrics::abandonedHandlers);
        registry.gauge(
                "colony.messenger.pending.requests",
                "Requests waiting for their reply.",
                () -> messenger.metrics().pendingRequests());
        registry.latency(
                "colony.messenger.marshal",
                "Encoding time per marshalled message, since the messenger started.",
                () -> messenger.metrics().marshal());
        registry.latency(
                "colony.messenger.unmarshal",
                "Decoding time per marshalled message, since the messenger started.",
                () -> messenger.metrics().unmarshal());
        registry.latency(
                "colony.messenger.request.roundtrip",
                "Request-to-reply time, since the messenger started.",
                () -> messenger.metrics().requestRoundTrip());
    }

    private static void busCounter(
            MetricsRegistry registry, EventBus bus, String name, String description, ToLongFunction<BusMetrics> field) {
        registry.counter("colony.bus." + name, description, () -> field.applyAsLong(bus.metrics()));
    }

    private static void messengerCounter(
            MetricsRegistry registry,
            Messenger messenger,
            String name,
            String description,
            ToLongFunction<MessengerMetrics> field) {
        registry.counter("colony.messenger." + name, description, () -> field.applyAsLong(messenger.metrics()));
    }
}
