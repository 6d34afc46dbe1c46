package dev.colony.server;

import dev.colony.bus.Event;
import dev.colony.bus.EventBus;
import dev.colony.bus.Subject;
import dev.colony.bus.SubjectPattern;
import dev.colony.bus.Subscription;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The replay ring of the event streams: every event published under {@code acct.>} gets the next sequence
 * number of this server and is kept, encoded once, among the newest {@code ringEvents} events and
 * {@code ringBytes} bytes; live streams get it as it arrives.
 *
 * <p>Event ids are {@code <epoch>-<seq>}, the epoch being random per server start, so a {@code Last-Event-ID}
 * from before a restart (or from another server behind a balancer) is recognised as foreign and answered
 * with {@code event: reset} rather than a wrong replay. A stream is attached under the ring's lock: the
 * replay it gets ends exactly where its live part begins, so a resume neither loses nor repeats an event
 * the ring still holds. Thread-safe; appends are serialized by the lock (the fan-out to streams is a
 * non-blocking offer each of one frame encoded once per event; each stream's pump writes it, ADR 0056).
 *
 * <p>Live streams are grouped by their stored pattern, so an event is matched once per distinct pattern,
 * not once per stream: 1,000 dashboards on {@code acct.a.task.>} cost one match per event (ADR 0059).
 */
final class EventRing implements AutoCloseable {
    private record Entry(long seq, Event event, byte[] data) {}

    /** A live stream: its stored pattern and connection. */
    record Listener(SubjectPattern pattern, SseStream stream) {}

    /** An event to replay: its id, the stored event, and its frame's data. */
    record Replayed(String id, Event event, byte[] data) {}

    /** What a stream gets when it attaches: whether to reset, and the events to replay. */
    record Attachment(boolean reset, List<Replayed> replay) {}

    private final String epoch = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final Map<SubjectPattern, List<Listener>> byPattern = new LinkedHashMap<>();
    private int listenerCount;
    private final int maxEvents;
    private final long maxBytes;
    private final Subscription subscription;
    private final SsePace pace = new SsePace();
    private long bytes;
    private long lastSeq;

    EventRing(EventBus bus, ServerLimits limits) {
        this.maxEvents = limits.ringEvents();
        this.maxBytes = limits.ringBytes();
        this.subscription = bus.subscribe(Namespace.SUBJECT_ROOT + ".>", this::append);
    }

    private synchronized void append(Event event) {
        String subject = event.subject().value();
        int accountEnd = subject.indexOf('.', Namespace.SUBJECT_ROOT.length() + 1);
        byte[] data = Json.write(
                Json.obj("subject", subject.substring(accountEnd + 1), "payload", Json.fromPayload(event.payload())));
        Entry entry = new Entry(++lastSeq, event, data);
        entries.addLast(entry);
        bytes += data.length;
        while (entries.size() > maxEvents || (bytes > maxBytes && entries.size() > 1)) {
            bytes -= entries.removeFirst().data().length;
        }
        byte[] frame = null; // encoded once, shared by every stream it goes to
        for (Map.Entry<SubjectPattern, List<Listener>> group : byPattern.entrySet()) {
            if (group.getKey().matches(event.subject())) {
                if (frame == null) {
                    frame = SseStream.frame(id(entry.seq()), "message", data);
                }
                for (Listener listener : group.getValue()) {
                    listener.stream().offer(frame, event);
                }
            }
        }
    }

    /** Attaches a live stream and returns what to replay first (frames of id and data) or a reset. */
    synchronized Attachment attach(Listener listener, String lastEventId) {
        byPattern.computeIfAbsent(listener.pattern(), p -> new ArrayList<>()).add(listener);
        listenerCount++;
        if (lastEventId == null || lastEventId.isBlank()) {
            return new Attachment(false, List.of());
        }
        long after = seqOf(lastEventId.strip());
        long oldest = entries.isEmpty() ? lastSeq + 1 : entries.peekFirst().seq();
        if (after < 0 || after > lastSeq || after < oldest - 1) {
            return new Attachment(true, List.of());
        }
        List<Replayed> replay = new ArrayList<>();
        for (Entry e : entries) {
            if (e.seq() > after && listener.pattern().matches(e.event().subject())) {
                replay.add(new Replayed(id(e.seq()), e.event(), e.data()));
            }
        }
        return new Attachment(false, replay);
    }

    synchronized void detach(Listener listener) {
        List<Listener> group = byPattern.get(listener.pattern());
        if (group != null && group.remove(listener)) {
            listenerCount--;
            if (group.isEmpty()) {
                byPattern.remove(listener.pattern());
            }
        }
    }

    /** The live streams whose pattern matches {@code subject} (a stored subject). */
    synchronized int listening(Subject subject) {
        int n = 0;
        for (Map.Entry<SubjectPattern, List<Listener>> group : byPattern.entrySet()) {
            n += group.getKey().matches(subject) ? group.getValue().size() : 0;
        }
        return n;
    }

    /** The write pace shared by this ring's streams (ADR 0078). */
    SsePace pace() {
        return pace;
    }

    synchronized int listeners() {
        return listenerCount;
    }

    /** The id of the newest event, to start a stream's cursor. */
    synchronized String lastId() {
        return id(lastSeq);
    }

    private String id(long seq) {
        return epoch + "-" + seq;
    }

    /** The sequence number of one of this epoch's ids, or -1 for a foreign or malformed id. */
    private long seqOf(String id) {
        int dash = id.lastIndexOf('-');
        if (dash < 0 || !id.substring(0, dash).equals(epoch)) {
            return -1;
        }
        try {
            return Long.parseLong(id.substring(dash + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        subscription.close();
        List<Listener> all;
        synchronized (this) {
            all = new ArrayList<>(listenerCount);
            byPattern.values().forEach(all::addAll);
            byPattern.clear();
            listenerCount = 0;
        }
        all.forEach(l -> l.stream().close());
    }
}
