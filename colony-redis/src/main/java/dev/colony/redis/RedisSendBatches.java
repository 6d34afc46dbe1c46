package dev.colony.redis;

import static dev.colony.redis.RedisMessengerScripts.bytes;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;

/**
 * A node's direct SEND calls, joined into {@code SEND_MANY} calls while earlier ones are unanswered (ADR 0077):
 * the Redis client's per-command work (encoding, writing, decoding the answer) and Redis's per-call work are
 * paid once per batch instead of once per message.
 *
 * <p><b>Algorithm.</b> At most {@link #WINDOW} calls of these sends are unanswered at a time. A send submitted
 * while fewer are is written at once as a plain SEND call (a lone send travels exactly as before). Otherwise it
 * waits in {@code waiting}; when a call is answered, the sends waiting then are written as one call (up to
 * {@link #MAX_BATCH} messages or {@link #MAX_BATCH_BYTES} of messages, at least one; SEND for one, SEND_MANY for
 * more) while the answered call's answers are handed out, in order. So {@code waiting} is never non-empty while
 * fewer than {@link #WINDOW} calls are unanswered, except between an answer and the drain that follows it.
 *
 * <p><b>Order.</b> Sends leave {@code waiting} in the order they were submitted and every call is written under
 * {@code lock}, so calls reach the connection in submit order; Redis runs one connection's calls in the order
 * written and SEND_MANY runs its messages in order. The node's messages are therefore appended, and answered,
 * in the order {@link #submit} was called, as when each was written at once: {@link RedisSendLanes}' ordering
 * argument (answers in the order written; a send counted unanswered until its answer) holds unchanged.
 *
 * <p><b>Threads.</b> Calls are written only by threads other than the Redis client's I/O thread: Lettuce
 * writes a command from the I/O thread straight into the channel but queues one from any other thread as a task
 * for it, so a call written on the I/O thread could overtake one written just before from another thread. A
 * submitting thread drains under {@code lock} (a Lettuce write does not wait: it queues the command). An answer,
 * on the I/O thread, only counts itself in {@code freed}; when sends wait it starts a virtual thread (one per
 * answered call, not per message) that drains if {@code tryLock} succeeds. A thread that unlocks drains again
 * while {@code freed} and {@code waitingCount} are both non-zero: an answer's increment precedes its failed
 * {@code tryLock}, which precedes the holder's unlock, which precedes the holder's read of {@code freed}; and a
 * submitter counts itself in {@code waitingCount} before it reads {@code freed} while an answer increments
 * {@code freed} before it reads {@code waitingCount} (all sequentially consistent atomics), so no answer is
 * missed. The answers' consumers run on the I/O thread after that, outside the lock.
 *
 * <p><b>Bounds.</b> {@code waiting} holds only sends that keep a place among {@link RedisMessenger#MAX_IN_FLIGHT}
 * ({@code sendAsync}) or whose thread waits for them ({@code send}): at most that many plus one per thread in
 * {@code send}; it never refuses.
 *
 * <p><b>Failures.</b> A call that fails (connection lost, timeout, refused) fails each of its sends; a message
 * whose SEND raised an error inside SEND_MANY fails alone ({@code {ERROR, message}}), the others go on, as when
 * each was its own call.
 */
final class RedisSendBatches {
    /** The most calls of these sends unanswered at a time. */
    static final int WINDOW = 4;
    /** The most messages in one SEND_MANY call. */
    static final int MAX_BATCH = 64;
    /** The most message bytes in one SEND_MANY call (a larger message travels alone). */
    static final int MAX_BATCH_BYTES = 256 * 1024;

    private static final byte[] EMPTY = new byte[0];

    private record Waiting(RedisMessengerSender.Send send, BiConsumer<List<Object>, Throwable> answered) {}

    private final RedisMessenger messenger;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@code lock}. */
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    /** Guarded by {@code lock}: calls written and not yet counted free. */
    private int unanswered;
    /** Answered calls not yet taken off {@code unanswered} (written by the I/O thread, read by drains). */
    private final AtomicInteger freed = new AtomicInteger();
    /** {@code waiting.size()}, readable without the lock. */
    private final AtomicInteger waitingCount = new AtomicInteger();

    private final LongAdder calls = new LongAdder();
    private final LongAdder messages = new LongAdder();
    private final LongAdder drainers = new LongAdder();

    RedisSendBatches(RedisMessenger messenger) {
        this.messenger = messenger;
    }

    /**
     * Writes {@code send} now or with the next call; {@code answered} gets its SEND answer (or the error) once,
     * on the Redis client's I/O thread, in submit order.
     */
    void submit(RedisMessengerSender.Send send, BiConsumer<List<Object>, Throwable> answered) {
        lock.lock();
        try {
            waiting.add(new Waiting(send, answered));
            waitingCount.incrementAndGet();
            drain();
        } finally {
            lock.unlock();
        }
        drainAgain();
    }

    /** Calls written and messages in them since the node started (tests and benchmarks). */
    long calls() {
        return calls.sum();
    }

    long messages() {
        return messages.sum();
    }

    /** Virtual threads started to write what waited when a call was answered. */
    long drainers() {
        return drainers.sum();
    }

    /** Under {@code lock}: takes freed calls off the count, then writes waiting sends while the window allows. */
    private void drain() {
        unanswered -= freed.getAndSet(0);
        while (unanswered < WINDOW && !waiting.isEmpty()) {
            List<Waiting> batch = new ArrayList<>(Math.min(waiting.size(), MAX_BATCH));
            long size = 0;
            while (!waiting.isEmpty() && batch.size() < MAX_BATCH) {
                Waiting next = waiting.peek();
                size += next.send().encoded().length;
                if (!batch.isEmpty() && size > MAX_BATCH_BYTES) {
                    break;
                }
                batch.add(waiting.poll());
            }
            waitingCount.addAndGet(-batch.size());
            unanswered++;
            write(batch);
        }
    }

    /** After an unlock: drains again while an answer freed a call that no drain has counted and sends wait. */
    private void drainAgain() {
        while (freed.get() > 0 && waitingCount.get() > 0 && lock.tryLock()) {
            try {
                drain();
            } finally {
                lock.unlock();
            }
        }
    }

    private void write(List<Waiting> batch) {
        calls.increment();
        messages.add(batch.size());
        CompletionStage<List<Object>> call;
        try {
            call = batch.size() == 1 ? batch.getFirst().send().run(messenger) : runMany(batch);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((answer, error) -> answered(batch, answer, error));
    }

    /** On the I/O thread: frees the call's place, has what waits written by another thread, hands out answers. */
    private void answered(List<Waiting> batch, List<Object> answer, Throwable error) {
        freed.incrementAndGet();
        if (waitingCount.get() > 0) {
            drainers.increment();
            Thread.ofVirtual().name("colony-redis-send-batch").start(this::drainAgain);
        }
        if (batch.size() == 1) {
            batch.getFirst().answered().accept(answer, error);
            return;
        }
        if (error == null && answer.size() != batch.size()) {
            error = new IllegalStateException(
                    "SEND_MANY answered " + answer.size() + " answers for " + batch.size() + " messages");
        }
        for (int i = 0; i < batch.size(); i++) {
            Waiting w = batch.get(i);
            if (error != null) {
                w.answered().accept(null, error);
                continue;
            }
            @SuppressWarnings("unchecked")
            List<Object> one = (List<Object>) answer.get(i);
            if ("ERROR".equals(RedisMessengerScripts.status(one))) {
                w.answered().accept(null, new IllegalStateException(RedisMessengerScripts.text(one.get(1))));
            } else {
                w.answered().accept(one, null);
            }
        }
    }

    /** One SEND_MANY call for {@code batch}: the directory once, then each message's keys and 9 arguments. */
    private CompletionStage<List<Object>> runMany(List<Waiting> batch) {
        List<String> keys = new ArrayList<>(1 + 3 * batch.size());
        byte[][] args = new byte[9 * batch.size()][];
        keys.add(batch.getFirst().send().keys()[0]);
        int a = 0;
        for (Waiting w : batch) {
            String[] own = w.send().keys();
            byte[][] ownArgs = w.send().args();
            for (int k = 1; k < own.length; k++) {
                keys.add(own[k]);
            }
            args[a++] = KEY_COUNTS[own.length - 1];
            for (int i = 0; i < 8; i++) {
                args[a++] = i < ownArgs.length ? ownArgs[i] : EMPTY;
            }
        }
        return RedisMessengerScripts.SEND_MANY.run(messenger.redis, keys.toArray(String[]::new), args);
    }

    private static final byte[][] KEY_COUNTS = {EMPTY, bytes("1"), bytes("2"), bytes("3")};
}
