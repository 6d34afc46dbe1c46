package dev.colony.server.dashboard;

import dev.colony.bus.Event;
import dev.colony.bus.EventBus;
import dev.colony.bus.Subscription;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The figures of every server of the swarm, for the overview's per-node table (issue 19, ADR 0053): each server's
 * dashboard publishes its own one-second sample on {@code colony.dash.node.<node>} and keeps the latest sample of
 * every node it heard from. On Redis the bus carries the samples between servers; embedded, a server hears only
 * itself.
 *
 * <p>A sample is a plain map (node name, events/s, messages/s, completed/s, delivery p50 and p99 in nanoseconds),
 * so it crosses Redis as JSON without a shared class. {@code colony.*} subjects are outside every account's
 * {@code acct.<account>.} tree, so no user sees or forges them through the API.
 *
 * <p>Bounded: at most {@value #MAX_NODES} nodes (a new one evicts the node heard from longest ago). A node silent
 * for {@value #GONE_SECONDS} s is shown as gone and left out of the total; after {@value #DROP_SECONDS} s it is
 * dropped. Silence is measured on this server's clock from when a sample arrived, so the servers' clocks need not
 * agree. Thread-safe.
 */
final class Nodes implements AutoCloseable {
    static final String SUBJECT_ROOT = "colony.dash.node";
    static final int MAX_NODES = 64;
    static final int GONE_SECONDS = 5;
    static final int DROP_SECONDS = 60;
    private static final int MAX_NAME = 200;

    /** One node's latest sample; {@code self} for this server, {@code gone} once it fell silent. */
    record Row(
            String node,
            boolean self,
            boolean gone,
            double eventsPerSecond,
            double messagesPerSecond,
            double completedPerSecond,
            long deliveryP50Nanos,
            long deliveryP99Nanos) {}

    /**
     * The rows by node name and the total of the rates over the nodes not gone. Percentiles have no total: the
     * samples carry no histograms, and percentiles of different nodes do not add.
     */
    record Table(List<Row> rows, double eventsPerSecond, double messagesPerSecond, double completedPerSecond) {
        static final Table EMPTY = new Table(List.of(), 0, 0, 0);

        Table {
            rows = List.copyOf(rows);
        }
    }

    private record Heard(Row row, long atNanos) {}

    private final EventBus bus;
    private final Supplier<String> name;
    private final LongSupplier nanos;
    private final Map<String, Heard> heard = new LinkedHashMap<>();
    private final Subscription subscription;
    private volatile String self;

    /**
     * Listens for every node's samples on {@code bus}.
     *
     * @param name this server's node name, asked once at the first publish (the port may be bound after this)
     * @param nanos the clock that measures silence ({@link System#nanoTime()} but in tests)
     */
    Nodes(EventBus bus, Supplier<String> name, LongSupplier nanos) {
        this.bus = bus;
        this.name = name;
        this.nanos = nanos;
        this.subscription = bus.subscribe(SUBJECT_ROOT + ".*", this::heard);
    }

    /** Publishes this node's sample of one second. */
    void publish(double events, double messages, double completed, long deliveryP50, long deliveryP99) {
        String node = self();
        Map<String, Object> sample = new LinkedHashMap<>();
        sample.put("node", node);
        sample.put("events", events);
        sample.put("messages", messages);
        sample.put("completed", completed);
        sample.put("deliveryP50", deliveryP50);
        sample.put("deliveryP99", deliveryP99);
        bus.publish(SUBJECT_ROOT + "." + token(node), Map.copyOf(sample));
    }

    /** This server's node name. */
    String self() {
        String s = self;
        if (s == null) {
            s = name.get();
            self = s;
        }
        return s;
    }

    private void heard(Event event) {
        Row row = row(event.payload());
        if (row == null) {
            return; // not a sample: nothing else publishes here, but a foreign client on Redis could
        }
        synchronized (this) {
            heard.remove(row.node());
            if (heard.size() >= MAX_NODES) {
                heard.remove(heard.keySet().iterator().next()); // the node heard from longest ago
            }
            heard.put(row.node(), new Heard(row, nanos.getAsLong()));
        }
    }

    /** The nodes heard from in the last {@value #DROP_SECONDS} s, by name, with the total. */
    synchronized Table table() {
        long now = nanos.getAsLong();
        heard.values().removeIf(h -> now - h.atNanos() > DROP_SECONDS * 1_000_000_000L);
        String me = self;
        List<Row> rows = new ArrayList<>(heard.size());
        for (Heard h : heard.values()) {
            Row r = h.row();
            rows.add(new Row(
                    r.node(),
                    r.node().equals(me),
                    now - h.atNanos() > GONE_SECONDS * 1_000_000_000L,
                    r.eventsPerSecond(),
                    r.messagesPerSecond(),
                    r.completedPerSecond(),
                    r.deliveryP50Nanos(),
                    r.deliveryP99Nanos()));
        }
        rows.sort(Comparator.comparing(Row::node));
        double events = 0;
        double messages = 0;
        double completed = 0;
        for (Row r : rows) { // in the rows' order, so a reader adding the rows up gets the same doubles
            if (!r.gone()) {
                events += r.eventsPerSecond();
                messages += r.messagesPerSecond();
                completed += r.completedPerSecond();
            }
        }
        return new Table(rows, events, messages, completed);
    }

    /** The sample in a payload (a map, as published here or as read back from JSON), or null. */
    static Row row(Object payload) {
        if (!(payload instanceof Map<?, ?> m)
                || !(m.get("node") instanceof String node)
                || node.isEmpty()
                || node.length() > MAX_NAME) {
            return null;
        }
        if (!(m.get("events") instanceof Number events)
                || !(m.get("messages") instanceof Number messages)
                || !(m.get("completed") instanceof Number completed)
                || !(m.get("deliveryP50") instanceof Number p50)
                || !(m.get("deliveryP99") instanceof Number p99)) {
            return null;
        }
        return new Row(
                node,
                false,
                false,
                events.doubleValue(),
                messages.doubleValue(),
                completed.doubleValue(),
                p50.longValue(),
                p99.longValue());
    }

    /** A node name as one subject token: characters other than letters, digits, '-' and '_' become '_'. */
    static String token(String node) {
        StringBuilder b = new StringBuilder(node.length());
        for (int i = 0; i < node.length(); i++) {
            char c = node.charAt(i);
            b.append(c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_') ? c : '_');
        }
        return b.toString();
    }

    @Override
    public void close() {
        subscription.close();
    }
}
