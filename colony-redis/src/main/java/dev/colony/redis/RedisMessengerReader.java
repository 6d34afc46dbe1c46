package dev.colony.redis;

import static dev.colony.redis.RedisMessengerScripts.bytes;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.models.stream.ClaimedMessages;
import io.lettuce.core.models.stream.PendingMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one reader of a messenger node: a virtual thread that reads, with one blocking XREADGROUP on its own
 * connection, the node's reply stream and the stream of every attached inbox that {@linkplain
 * RedisInbox#wantsRead() wants entries}, and hands what it read to them. Every {@code claimIdle / 2} it
 * also claims (XAUTOCLAIM) the entries of its inboxes that were delivered to some consumer and not
 * acknowledged for {@code claimIdle}: entries of a crashed node, or whose read reply was lost.
 *
 * <p><b>Waking.</b> An inbox that starts to want entries while the reader is blocked on a read without it
 * wakes the reader by adding a {@code w} entry to the node's reply stream, which the blocked read includes.
 * The reader announces that it is about to block ({@code blocking}) before it looks which inboxes want
 * entries, and an inbox marks that it wants entries before it looks at {@code blocking}: of the two, one
 * sees the other (both volatile), so no inbox waits for a read that does not include it. At most one wake
 * entry is added per read.
 *
 * <p><b>Failures.</b> A failed read is retried after a full-jitter pause of up to 2 s (the link reconnects
 * meanwhile); NOGROUP (the stream or group vanished, e.g. a Redis restart without persistence) makes the
 * node register its inboxes and reply stream again. Failures are counted ({@link #failures()}).
 */
final class RedisMessengerReader {
    private static final byte[] WAKE = bytes("1");

    private final RedisMessenger messenger;
    private final RedisLinkConnection<String, byte[]> connection;
    private final Consumer<String> consumer;
    private final RedisMessengerOptions options;
    private final Set<RedisInbox> attached = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean woken = new AtomicBoolean();
    private final LongAdder failures = new LongAdder();
    private volatile boolean blocking;
    private volatile boolean stopped;
    private long nextSweepNanos;
    private long seq; // the order the reader received entries in, for the inboxes' priority order; reader thread only
    private Thread thread;

    RedisMessengerReader(
            RedisMessenger messenger,
            RedisLinkConnection<String, byte[]> connection,
            String nodeId,
            RedisMessengerOptions options) {
        this.messenger = messenger;
        this.connection = connection;
        this.consumer = Consumer.from(RedisMessenger.GROUP, nodeId);
        this.options = options;
    }

    void start() {
        nextSweepNanos = System.nanoTime() + options.claimIdle().toNanos() / 2;
        thread = Thread.ofVirtual()
                .name("colony-redis-reader-" + consumer.getName())
                .start(this::run);
    }

    void attach(RedisInbox inbox) {
        attached.add(inbox);
        wake();
    }

    void detach(RedisInbox inbox) {
        attached.remove(inbox);
    }

    /** Makes a blocked read return, so that it is issued again with the inboxes that want entries now. */
    void wake() {
        if (blocking && woken.compareAndSet(false, true)) {
            sendWake();
        }
    }

    /** Acknowledges and deletes handled entries; they stop being outstanding once Redis answered. */
    void acknowledge(String stream, List<String> ids, Set<String> outstanding) {
        if (ids.isEmpty()) {
            return;
        }
        byte[][] args = new byte[ids.size()][];
        for (int i = 0; i < args.length; i++) {
            args[i] = bytes(ids.get(i));
        }
        List<String> done = List.copyOf(ids);
        try {
            RedisMessengerScripts.ACK
                    .run(messenger.redis, new String[] {stream}, args)
                    .whenComplete((answer, error) -> {
                        if (error != null) {
                            failures.increment(); // the entries stay pending: claimed again later, then suppressed
                        }
                        done.forEach(outstanding::remove);
                    });
        } catch (RuntimeException e) { // the connection is closed
            failures.increment();
            done.forEach(outstanding::remove);
        }
    }

    private void sendWake() {
        try {
            messenger.redis.xadd(messenger.replyStream(), Map.of("w", WAKE));
        } catch (RuntimeException e) { // the connection is closed; a blocked read ends within readBlock anyway
            failures.increment();
        }
    }

    long failures() {
        return failures.sum();
    }

    private void run() {
        int failuresInRow = 0;
        while (!stopped) {
            woken.set(false);
            blocking = true;
            Map<String, RedisInbox> reading = new HashMap<>();
            List<StreamOffset<String>> offsets = new ArrayList<>();
            offsets.add(StreamOffset.lastConsumed(messenger.replyStream()));
            for (RedisInbox inbox : attached) {
                if (inbox.wantsRead()) {
                    reading.put(inbox.stream(), inbox);
                    offsets.add(StreamOffset.lastConsumed(inbox.stream()));
                }
            }
            List<StreamMessage<String, byte[]>> messages;
            try {
                @SuppressWarnings({"unchecked", "rawtypes"})
                StreamOffset<String>[] streams = offsets.toArray(new StreamOffset[0]);
                messages = connection
                        .sync()
                        .xreadgroup(
                                consumer,
                                XReadArgs.Builder.block(options.readBlock()).count(options.batch()),
                                streams);
                failuresInRow = 0;
            } catch (RuntimeException e) {
                blocking = false;
                if (stopped) {
                    return;
                }
                failures.increment();
                if (e instanceof RedisCommandExecutionException
                        && String.valueOf(e.getMessage()).startsWith("NOGROUP")) {
                    messenger.registerAgain(attached);
                } else {
                    pause(++failuresInRow);
                }
                continue;
            }
            blocking = false;
            try {
                dispatch(messages, reading);
                sweepWhenDue();
            } catch (Throwable e) { // neither is expected to throw; the node's only reader must not die if one does
                failures.increment();
            }
        }
    }

    private void dispatch(List<StreamMessage<String, byte[]>> messages, Map<String, RedisInbox> reading) {
        if (messages == null || messages.isEmpty()) {
            return;
        }
        Map<String, List<RedisInbox.Received>> byStream = new HashMap<>();
        List<StreamMessage<String, byte[]>> replies = new ArrayList<>();
        for (StreamMessage<String, byte[]> message : messages) {
            if (message.getStream().equals(messenger.replyStream())) {
                replies.add(message);
            } else {
                byStream.computeIfAbsent(message.getStream(), k -> new ArrayList<>())
                        .add(received(message));
            }
        }
        byStream.forEach((stream, entries) -> {
            RedisInbox inbox = reading.get(stream);
            if (inbox != null) {
                inbox.accept(entries, entries.size() >= options.batch());
            }
        });
        if (!byStream.isEmpty()) {
            messenger.sender().roomMade();
        }
        if (!replies.isEmpty()) {
            messenger.onReplies(replies);
        }
    }

    private RedisInbox.Received received(StreamMessage<String, byte[]> message) {
        Map<String, byte[]> body = message.getBody();
        byte[] bytes = body == null ? null : body.get("m");
        int priority = 4;
        byte[] p = body == null ? null : body.get("p");
        if (p != null && p.length == 1 && p[0] >= '0' && p[0] <= '9') {
            priority = p[0] - '0';
        }
        byte[] ref = body == null ? null : body.get("r");
        return new RedisInbox.Received(
                message.getId(),
                bytes == null ? new byte[0] : bytes,
                priority,
                ref == null ? "" : new String(ref, StandardCharsets.UTF_8),
                seq++);
    }

    private void sweepWhenDue() {
        long now = System.nanoTime();
        if (now - nextSweepNanos < 0) {
            return;
        }
        nextSweepNanos = now + Math.max(options.claimIdle().toNanos() / 2, 1_000_000);
        for (RedisInbox inbox : attached) {
            try {
                ClaimedMessages<String, byte[]> claimed = connection
                        .sync()
                        .xautoclaim(
                                inbox.stream(),
                                XAutoClaimArgs.Builder.xautoclaim(consumer, options.claimIdle(), "0-0")
                                        .count(options.batch()));
                List<RedisInbox.Received> fresh = new ArrayList<>();
                for (StreamMessage<String, byte[]> message : claimed.getMessages()) {
                    if (message.getBody() != null && !message.getBody().isEmpty() && !inbox.holds(message.getId())) {
                        fresh.add(received(message));
                    }
                }
                fresh = withoutOverDelivered(inbox, fresh);
                if (!fresh.isEmpty() && !inbox.isClosed()) {
                    messenger.reclaimed(fresh.size());
                    inbox.accept(fresh, false);
                }
            } catch (RuntimeException e) {
                failures.increment();
            }
        }
    }

    /**
     * The claimed entries that may be handled again; those delivered more than {@code maxDeliveries} times
     * (XPENDING's delivery count, which the claim just raised) are dead-lettered and acknowledged instead.
     */
    private List<RedisInbox.Received> withoutOverDelivered(RedisInbox inbox, List<RedisInbox.Received> claimed) {
        if (claimed.isEmpty()) {
            return claimed;
        }
        // XAUTOCLAIM scans the pending entries in id order, so the first and the last bound them all
        String first = claimed.getFirst().entryId();
        String last = claimed.getLast().entryId();
        Map<String, Long> deliveries = new HashMap<>();
        for (PendingMessage pending : connection
                .sync()
                .xpending(inbox.stream(), consumer, Range.create(first, last), Limit.from(options.batch() * 4L))) {
            deliveries.put(pending.getId(), pending.getRedeliveryCount());
        }
        List<RedisInbox.Received> again = new ArrayList<>();
        List<RedisInbox.Received> over = new ArrayList<>();
        for (RedisInbox.Received entry : claimed) {
            (deliveries.getOrDefault(entry.entryId(), 0L) > options.maxDeliveries() ? over : again).add(entry);
        }
        if (!over.isEmpty()) {
            messenger.delivery().overDelivered(inbox, over, deliveries, options.maxDeliveries());
        }
        return again;
    }

    private static void pause(int failuresInRow) {
        long cap = Math.min(2_000, 50L << Math.min(failuresInRow, 6));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the reader: closes its connection, which ends a blocked read, and waits for the thread. */
    void stop() {
        stopped = true;
        connection.close();
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
