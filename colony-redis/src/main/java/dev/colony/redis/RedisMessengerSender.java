package dev.colony.redis;

import static dev.colony.redis.RedisMessengerScripts.bytes;
import static dev.colony.redis.RedisMessengerScripts.status;
import static dev.colony.redis.RedisMessengerScripts.text;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.DeadLetter;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.SendOutcome;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
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
    /** The places of the node's sends in flight (package-private for a test that takes freed places). */
    final Semaphore inFlight = new Semaphore(RedisMessenger.MAX_IN_FLIGHT);

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
        Send send = prepare(original, encoded, to, priority, requestKey, requestValue, ttlMillis);
        List<Object> answer;
        try {
            answer = RedisMessengerScripts.await(send.run(messenger));
        } catch (RuntimeException e) {
            return failed(send, e);
        }
        SendOutcome outcome = outcome(send, answer);
        return outcome != null ? outcome : untilRoom(send, answer);
    }

    /**
     * Runs the SEND script for {@code encoded} without waiting for its answer, once one of the
     * {@link RedisMessenger#MAX_IN_FLIGHT} places of the node's sends in flight is free (waiting for it
     * here); the future completes with what {@link #deliver} would have returned. A BLOCK inbox found full
     * is waited for on a virtual thread of its own, which keeps the place until the message is answered.
     */
    CompletableFuture<SendOutcome> deliverAsync(Envelope original, byte[] encoded, AgentId to, int priority) {
        Send send = prepare(original, encoded, to, priority, null, null, 0);
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            refs.remove(send.ref());
            return CompletableFuture.completedFuture(deadLetter(
                    original,
                    encoded,
                    to,
                    DeadLetter.Reason.REJECTED,
                    "the sender was interrupted while waiting for a place among the sends in flight",
                    SendOutcome.REJECTED));
        }
        CompletableFuture<SendOutcome> result = new CompletableFuture<>();
        send.run(messenger).whenComplete((answer, error) -> {
            if (error != null) {
                complete(result, failed(send, RedisMessengerScripts.unwrap(error)));
                return;
            }
            SendOutcome outcome = outcome(send, answer);
            if (outcome != null) {
                complete(result, outcome);
            } else { // the I/O thread never waits: room is awaited on a thread of the message's own
                Thread.ofVirtual()
                        .name("colony-redis-send-wait")
                        .start(() -> complete(result, untilRoom(send, answer)));
            }
        });
        return result;
    }

    /**
     * Frees the message's place in flight, then completes {@code result} on a virtual thread of its own, so
     * that no dependent action of the caller ever runs on the Redis client's I/O thread (nor on a thread
     * that retries other messages): a dependent that called Redis synchronously there would wait for the
     * thread it blocks. Completing on the calling thread "when nothing depends on the future yet" is not
     * safe: a dependent added between that check and the completion runs here (ADR 0070).
     */
    private void complete(CompletableFuture<SendOutcome> result, SendOutcome outcome) {
        inFlight.release();
        Thread.ofVirtual().name("colony-redis-send-done").start(() -> result.complete(outcome));
    }

    private Send prepare(
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
        RedisInbox local = messenger.inbox(to);
        boolean ownHandler = local != null && local.drainer().isCurrent();
        return new Send(original, encoded, to, ref, keys, args, ownHandler);
    }

    /** Runs the SEND script again while {@code answer} says FULL, pausing for room in between; never null. */
    private SendOutcome untilRoom(Send send, List<Object> answer) {
        long pause = TimeUnit.MICROSECONDS.toNanos(20);
        while (true) {
            SendOutcome refused = cannotWait(send, answer);
            if (refused != null) {
                return refused;
            }
            awaitRoom(pause);
            pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
            try {
                answer = RedisMessengerScripts.await(send.run(messenger));
            } catch (RuntimeException e) {
                return failed(send, e);
            }
            SendOutcome outcome = outcome(send, answer);
            if (outcome != null) {
                return outcome;
            }
        }
    }

    /** The outcome when the sender may not wait for room in the full inbox; null when it may. */
    private SendOutcome cannotWait(Send send, List<Object> answer) {
        if (send.ownHandler()) {
            refs.remove(send.ref()); // waiting for room only this thread can make would deadlock
            return full(send, text(answer.get(1)), " and the sender is its own handler");
        }
        if (messenger.closed || Thread.currentThread().isInterrupted()) {
            refs.remove(send.ref());
            return deadLetter(
                    send.original(),
                    send.encoded(),
                    send.to(),
                    DeadLetter.Reason.REJECTED,
                    messenger.closed ? "the messenger closed" : "the sender was interrupted while waiting for room",
                    SendOutcome.REJECTED);
        }
        return null;
    }

    private SendOutcome failed(Send send, Throwable error) {
        refs.remove(send.ref());
        messenger.countFailure();
        return deadLetter(
                send.original(),
                send.encoded(),
                send.to(),
                DeadLetter.Reason.REJECTED,
                "Redis did not confirm the message: " + error.getMessage(),
                SendOutcome.REJECTED);
    }

    /** The outcome the SEND script's {@code answer} means, its dead letter recorded; null for FULL (wait for room). */
    private SendOutcome outcome(Send send, List<Object> answer) {
        switch (status(answer)) {
            case "OK" -> {
                return SendOutcome.DELIVERED;
            }
            case "EVICTED" -> {
                evicted(answer, send.to());
                return SendOutcome.DELIVERED;
            }
            case "NO_SUCH_AGENT" -> {
                refs.remove(send.ref());
                return deadLetter(
                        send.original(),
                        send.encoded(),
                        send.to(),
                        DeadLetter.Reason.NO_SUCH_AGENT,
                        "no agent \"" + send.to() + "\"",
                        SendOutcome.NO_SUCH_AGENT);
            }
            case "MAILBOX_FULL" -> {
                refs.remove(send.ref());
                return full(send, text(answer.get(1)), "");
            }
            case "FULL" -> {
                return null;
            }
            default -> {
                refs.remove(send.ref());
                return deadLetter(
                        send.original(),
                        send.encoded(),
                        send.to(),
                        DeadLetter.Reason.REJECTED,
                        "unexpected answer from the SEND script: " + answer,
                        SendOutcome.REJECTED);
            }
        }
    }

    private SendOutcome full(Send send, String policy, String why) {
        return deadLetter(
                send.original(),
                send.encoded(),
                send.to(),
                DeadLetter.Reason.MAILBOX_FULL,
                "the inbox of agent \"" + send.to() + "\" is full (" + policy + ")" + why,
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

    /**
     * One message on its way: what the SEND script is given, the reference it carries, and whether its
     * sender is the handler of the recipient's inbox on this node (which must never wait for room).
     */
    private record Send(
            Envelope original,
            byte[] encoded,
            AgentId to,
            String ref,
            String[] keys,
            byte[][] args,
            boolean ownHandler) {
        CompletionStage<List<Object>> run(RedisMessenger messenger) {
            return RedisMessengerScripts.SEND.run(messenger.redis, keys, args);
        }
    }
}
