package dev.colony.redis;

import static dev.colony.redis.RedisMessengerScripts.bytes;
import static dev.colony.redis.RedisMessengerScripts.status;
import static dev.colony.redis.RedisMessengerScripts.text;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.DeadLetter;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.SendOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

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

    private static final byte[] ORDERED = bytes("B");
    private static final byte[] PASS = bytes("P");
    private static final byte[] KEEP = bytes("K");

    private final RedisMessenger messenger;
    private final RedisSendLanes lanes;
    private final byte[] barrierTtl;
    private final ConcurrentHashMap<String, Envelope> refs = new ConcurrentHashMap<>();
    private final AtomicLong refSeq = new AtomicLong();
    private final ReentrantLock roomLock = new ReentrantLock();
    private final Condition room = roomLock.newCondition();
    /** The places of the node's sends in flight (package-private for a test that takes freed places). */
    final Semaphore inFlight = new Semaphore(RedisMessenger.MAX_IN_FLIGHT);

    RedisMessengerSender(RedisMessenger messenger, Duration barrierTtl) {
        this.messenger = messenger;
        this.lanes = new RedisSendLanes(messenger, this);
        this.barrierTtl = bytes(Long.toString(Math.max(1, barrierTtl.toMillis())));
    }

    /** The node's lanes (ADR 0070). */
    RedisSendLanes lanes() {
        return lanes;
    }

    /** The envelope this node sent under {@code ref}, removed; null when none (another node's, or decoded). */
    Envelope takeReference(String ref) {
        return ref.isEmpty() ? null : refs.remove(ref);
    }

    /**
     * Runs the SEND script until it answers for good: waits for room while a BLOCK inbox is full, behind the
     * messages this node sent to the same recipient before ({@link RedisSendLanes}). Interrupted while it
     * waits: REJECTED unless already appended (the thread's interrupt status is kept).
     */
    SendOutcome deliver(
            Envelope original,
            byte[] encoded,
            AgentId to,
            int priority,
            String requestKey,
            String requestValue,
            long ttlMillis) {
        CompletableFuture<SendOutcome> done = new CompletableFuture<>();
        Send send = prepare(original, encoded, to, priority, requestKey, requestValue, ttlMillis, done::complete);
        if (send.ownHandler()) {
            List<Object> answer;
            try {
                answer = RedisMessengerScripts.await(send.run(messenger));
            } catch (RuntimeException e) {
                return failed(send, e);
            }
            SendOutcome outcome = outcome(send, answer);
            return outcome != null ? outcome : untilRoom(send, answer);
        }
        lanes.submit(send);
        return awaitOutcome(send, done);
    }

    private SendOutcome awaitOutcome(Send send, CompletableFuture<SendOutcome> done) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return done.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                    if (lanes.withdraw(send)) {
                        return interrupted(send);
                    }
                    send.cancelled().set(true); // tried now or unanswered: its answer decides
                } catch (ExecutionException e) {
                    return failed(send, e.getCause()); // not expected: outcomes complete normally
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Runs the SEND script for {@code encoded} without waiting for its answer, once one of the
     * {@link RedisMessenger#MAX_IN_FLIGHT} places of the node's sends in flight is free (waiting for it
     * here); the future completes with what {@link #deliver} would have returned, on a virtual thread. A
     * message that finds a BLOCK inbox full waits in its recipient's lane ({@link RedisSendLanes}), keeping
     * its place until answered.
     */
    CompletableFuture<SendOutcome> deliverAsync(Envelope original, byte[] encoded, AgentId to, int priority) {
        CompletableFuture<SendOutcome> result = new CompletableFuture<>();
        Send send = prepare(original, encoded, to, priority, null, null, 0, outcome -> complete(result, outcome));
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
        if (!send.ownHandler()) {
            lanes.submit(send);
            return result;
        }
        send.run(messenger).whenComplete((answer, error) -> {
            if (error != null) {
                send.finish(failed(send, RedisMessengerScripts.unwrap(error)));
            } else {
                finishDirect(send, answer);
            }
        });
        return result;
    }

    /**
     * Finishes {@code send} from its {@code answer}; a FULL one (not a lane's: a handler's own inbox, or a
     * priority 8-9 message under DROP_OLDEST or DROP_NEWEST) waits for room on a virtual thread of its own:
     * the I/O thread never waits.
     */
    void finishDirect(Send send, List<Object> answer) {
        SendOutcome outcome = outcome(send, answer);
        if (outcome != null) {
            send.finish(outcome);
        } else {
            Thread.ofVirtual().name("colony-redis-send-wait").start(() -> send.finish(untilRoom(send, answer)));
        }
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
            long ttlMillis,
            Consumer<SendOutcome> onOutcome) {
        String ref = "";
        if (original != null && !messenger.marshal && messenger.hasInbox(to) && refs.size() < MAX_REFS) {
            ref = messenger.nodeId() + ":" + refSeq.incrementAndGet();
            refs.put(ref, original);
        }
        RedisInbox local = messenger.inbox(to);
        boolean ownHandler = local != null && local.drainer().isCurrent();
        List<String> keys = new ArrayList<>(4);
        keys.add(messenger.key("inboxes"));
        keys.add(messenger.stream(to));
        if (requestKey != null) {
            keys.add(requestKey);
        }
        List<byte[]> args = new ArrayList<>(8);
        args.add(bytes(to.value()));
        args.add(encoded);
        args.add(bytes(Integer.toString(priority)));
        args.add(bytes(ref));
        args.add(bytes(requestValue == null ? "" : requestValue));
        args.add(bytes(Long.toString(Math.max(1, ttlMillis))));
        if (!ownHandler) { // a handler never waits for room in its own inbox, so it takes no part in the order
            keys.add(lanes.barrierKey(to));
            args.add(ORDERED);
            args.add(barrierTtl);
        }
        return new Send(
                original,
                encoded,
                to,
                ref,
                keys.toArray(String[]::new),
                args.toArray(byte[][]::new),
                ownHandler,
                onOutcome,
                new AtomicBoolean());
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
        if (messenger.closed
                || Thread.currentThread().isInterrupted()
                || send.cancelled().get()) {
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

    /** REJECTED, with a dead letter: the sender was interrupted while the message waited for room. */
    SendOutcome interrupted(Send send) {
        return refused(send, DeadLetter.Reason.REJECTED, "the sender was interrupted while waiting for room");
    }

    /** {@code outcome}-less refusal: REJECTED with {@code reason} and {@code detail}, the reference dropped. */
    SendOutcome refused(Send send, DeadLetter.Reason reason, String detail) {
        refs.remove(send.ref());
        return deadLetter(send.original(), send.encoded(), send.to(), reason, detail, SendOutcome.REJECTED);
    }

    /** The outcome of an answer other than FULL (as {@link #outcome}, which answers null for FULL). */
    SendOutcome outcomeOf(Send send, List<Object> answer) {
        SendOutcome outcome = outcome(send, answer);
        return outcome != null ? outcome : refused(send, DeadLetter.Reason.REJECTED, "unexpected FULL answer");
    }

    SendOutcome failed(Send send, Throwable error) {
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

    void awaitRoom(long nanos) {
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
     * One message on its way: what the SEND script is given, the reference it carries, whether its sender is
     * the handler of the recipient's inbox on this node (which must never wait for room, and sends
     * unordered), what to do with its outcome, and whether its synchronous sender was interrupted.
     */
    record Send(
            Envelope original,
            byte[] encoded,
            AgentId to,
            String ref,
            String[] keys,
            byte[][] args,
            boolean ownHandler,
            Consumer<SendOutcome> onOutcome,
            AtomicBoolean cancelled) {
        CompletionStage<List<Object>> run(RedisMessenger messenger) {
            return RedisMessengerScripts.SEND.run(messenger.redis, keys, args);
        }

        /**
         * Runs it with order P: past this node's barrier for the recipient, deleting it (ADR 0070); or with
         * order K ({@code keep}): past the barrier, leaving it standing for the messages behind (ADR 0077).
         */
        CompletionStage<List<Object>> pass(RedisMessenger messenger, boolean keep) {
            byte[][] passing = args.clone();
            passing[6] = keep ? KEEP : PASS;
            return RedisMessengerScripts.SEND.run(messenger.redis, keys, passing);
        }

        void finish(SendOutcome outcome) {
            onOutcome.accept(outcome);
        }
    }
}
