package dev.colony.redis;

import static dev.colony.redis.RedisMessengerScripts.bytes;
import static dev.colony.redis.RedisMessengerScripts.status;
import static dev.colony.redis.RedisMessengerScripts.text;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.DeadLetter;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.SendOutcome;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The sending side of a {@link RedisMessenger} node: runs the SEND script for one encoded message and turns
 * its answer into a {@link SendOutcome}, waiting for room while a BLOCK inbox is full (pauses from 20 µs
 * doubling to 5 ms, cut short when this node's reader takes entries), and recording evictions.
 *
 * <p>It also keeps the node's <b>references</b>: when the messenger does not marshal every send and the
 * recipient's inbox is on this node, the sender's envelope is kept under {@code <node>:<n>}, written into
 * the entry's {@code r} field, and {@link #takeReference taken} by the inbox instead of decoding the bytes.
 * Every path that ends an entry (handled, evicted, refused, dead-lettered at close) takes its reference; at
 * most 2^20 are kept, beyond which messages are decoded as from another node.
 */
final class RedisMessengerSender {
    private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final int MAX_REFS = 1 << 20;

    private final RedisMessenger messenger;
    private final ConcurrentHashMap<String, Envelope> refs = new ConcurrentHashMap<>();
    private final AtomicLong refSeq = new AtomicLong();
    private final ReentrantLock roomLock = new ReentrantLock();
    private final Condition room = roomLock.newCondition();

    RedisMessengerSender(RedisMessenger messenger) {
        this.messenger = messenger;
    }

    /** The envelope this node sent under {@code ref}, removed; null when none (another node's, or decoded). */
    Envelope takeReference(String ref) {
        return ref.isEmpty() ? null : refs.remove(ref);
    }

    /** Runs the SEND script until it answers for good: waits for room while a BLOCK inbox is full. */
    SendOutcome deliver(
            Envelope original,
            byte[] encoded,
            AgentId to,
            int priority,
            String requestKey,
            String requestValue,
            long ttlMillis) {
        String ref = "";
        if (original != null && !messenger.marshal && messenger.hasInbox(to) && refs.size() < MAX_REFS) {
            ref = messenger.nodeId() + ":" + refSeq.incrementAndGet();
            refs.put(ref, original);
        }
        String[] keys = requestKey == null
                ? new String[] {messenger.key("inboxes"), messenger.stream(to)}
                : new String[] {messenger.key("inboxes"), messenger.stream(to), requestKey};
        byte[][] args = {
            bytes(to.value()),
            encoded,
            bytes(Integer.toString(priority)),
            bytes(ref),
            bytes(requestValue == null ? "" : requestValue),
            bytes(Long.toString(Math.max(1, ttlMillis)))
        };
        long pause = TimeUnit.MICROSECONDS.toNanos(20);
        while (true) {
            List<Object> answer;
            try {
                answer = RedisMessengerScripts.await(RedisMessengerScripts.SEND.run(messenger.redis, keys, args));
            } catch (RuntimeException e) {
                refs.remove(ref);
                messenger.countFailure();
                return deadLetter(
                        original,
                        encoded,
                        to,
                        DeadLetter.Reason.REJECTED,
                        "Redis did not confirm the message: " + e.getMessage(),
                        SendOutcome.REJECTED);
            }
            switch (status(answer)) {
                case "OK" -> {
                    return SendOutcome.DELIVERED;
                }
                case "EVICTED" -> {
                    evicted(answer, to);
                    return SendOutcome.DELIVERED;
                }
                case "NO_SUCH_AGENT" -> {
                    refs.remove(ref);
                    return deadLetter(
                            original,
                            encoded,
                            to,
                            DeadLetter.Reason.NO_SUCH_AGENT,
                            "no agent \"" + to + "\"",
                            SendOutcome.NO_SUCH_AGENT);
                }
                case "MAILBOX_FULL" -> {
                    refs.remove(ref);
                    return full(original, encoded, to, text(answer.get(1)), "");
                }
                case "FULL" -> { // wait for room
                    RedisInbox local = messenger.inbox(to);
                    if (local != null && local.drainer().isCurrent()) {
                        refs.remove(ref); // waiting for room only this thread can make would deadlock
                        return full(original, encoded, to, text(answer.get(1)), " and the sender is its own handler");
                    }
                    if (messenger.closed || Thread.currentThread().isInterrupted()) {
                        refs.remove(ref);
                        return deadLetter(
                                original,
                                encoded,
                                to,
                                DeadLetter.Reason.REJECTED,
                                messenger.closed
                                        ? "the messenger closed"
                                        : "the sender was interrupted while waiting for room",
                                SendOutcome.REJECTED);
                    }
                    awaitRoom(pause);
                    pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
                }
                default -> {
                    refs.remove(ref);
                    return deadLetter(
                            original,
                            encoded,
                            to,
                            DeadLetter.Reason.REJECTED,
                            "unexpected answer from the SEND script: " + answer,
                            SendOutcome.REJECTED);
                }
            }
        }
    }

    private SendOutcome full(Envelope original, byte[] encoded, AgentId to, String policy, String why) {
        return deadLetter(
                original,
                encoded,
                to,
                DeadLetter.Reason.MAILBOX_FULL,
                "the inbox of agent \"" + to + "\" is full (" + policy + ")" + why,
                SendOutcome.MAILBOX_FULL);
    }

    private void evicted(List<Object> answer, AgentId to) {
        byte[] victim = (byte[]) answer.get(3);
        Envelope envelope = refs.remove(text(answer.get(4)));
        if (envelope == null) {
            RedisInbox local = messenger.inbox(to);
            envelope = messenger.decodeQuietly(
                    victim, local == null ? Object.class : local.options().payloadType());
        }
        deadLetter(
                envelope,
                victim,
                to,
                DeadLetter.Reason.EVICTED,
                "evicted from the full inbox of agent \"" + to + "\" (DROP_OLDEST or DROP_NEWEST)",
                SendOutcome.DELIVERED);
    }

    private void awaitRoom(long nanos) {
        roomLock.lock();
        try {
            room.awaitNanos(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            roomLock.unlock();
        }
    }

    /** The reader took entries from some stream: senders waiting for room try again. */
    void roomMade() {
        roomLock.lock();
        try {
            room.signalAll();
        } finally {
            roomLock.unlock();
        }
    }

    private SendOutcome deadLetter(
            Envelope envelope,
            byte[] encoded,
            AgentId to,
            DeadLetter.Reason reason,
            String detail,
            SendOutcome outcome) {
        return messenger.deadLetter(envelope, encoded, to, reason, detail, outcome);
    }
}
