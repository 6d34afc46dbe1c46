package dev.colony.redis;

import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;

/**
 * Combines the messages that concurrent senders of one messenger node send into one script call (ADR 0063):
 * at most {@value #IN_FLIGHT} calls are in flight; a message sent while they are waits in a queue and goes
 * with the others queued by then, up to {@value #MAX_BATCH} per call ({@link RedisMessengerScripts#SEND_MANY};
 * a lone message goes by {@link RedisMessengerScripts#SEND}). Each message still gets its own answer, the
 * answer SEND would have given it in that order, so outcomes, evictions and the wait for room are unchanged.
 * A sender alone (nothing in flight) is sent at once, so an idle node adds no delay.
 *
 * <p><b>Bounds.</b> Every sender waits for its own answer, so the queue holds at most one message per sending
 * thread. <b>Progress.</b> A sender queues its message and then tries to take a slot; a finished call
 * releases its slot and then looks at the queue. Of a sender that found no slot and the call that released one,
 * one sees the other (the queue and the semaphore are both sequentially consistent), so no message is left
 * queued with a slot free. A failed call fails each of its messages with the call's error.
 */
final class RedisSendBatch {
    static final int MAX_BATCH = 64;
    static final int IN_FLIGHT = 2;

    private record Pending(String stream, byte[][] args, CompletableFuture<List<Object>> answer) {}

    private final RedisAsyncCommands<String, byte[]> redis;
    private final String directory;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final Semaphore slots = new Semaphore(IN_FLIGHT);

    RedisSendBatch(RedisAsyncCommands<String, byte[]> redis, String directory) {
        this.redis = redis;
        this.directory = directory;
    }

    /**
     * Sends one message to {@code stream} with SEND's four message arguments (agent id, message bytes, priority,
     * local ref); the stage completes with SEND's answer for it.
     */
    CompletionStage<List<Object>> send(String stream, byte[][] args) {
        Pending pending = new Pending(stream, args, new CompletableFuture<>());
        queue.add(pending);
        drain();
        return pending.answer;
    }

    private void drain() {
        while (!queue.isEmpty() && slots.tryAcquire()) {
            List<Pending> batch = new ArrayList<>();
            for (Pending p; batch.size() < MAX_BATCH && (p = queue.poll()) != null; ) {
                batch.add(p);
            }
            if (batch.isEmpty()) {
                slots.release();
            } else {
                issue(batch);
            }
        }
    }

    private void issue(List<Pending> batch) {
        CompletionStage<List<Object>> call;
        try {
            call = batch.size() == 1 ? one(batch.getFirst()) : many(batch);
        } catch (RuntimeException e) { // the connection is closed
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((answer, error) -> {
            slots.release();
            try {
                answer(batch, answer, error);
            } finally {
                drain();
            }
        });
    }

    private CompletionStage<List<Object>> one(Pending pending) {
        return RedisMessengerScripts.SEND.run(redis, new String[] {directory, pending.stream}, pending.args);
    }

    private CompletionStage<List<Object>> many(List<Pending> batch) {
        String[] keys = new String[1 + batch.size()];
        byte[][] args = new byte[4 * batch.size()][];
        keys[0] = directory;
        for (int i = 0; i < batch.size(); i++) {
            Pending pending = batch.get(i);
            keys[1 + i] = pending.stream;
            System.arraycopy(pending.args, 0, args, 4 * i, 4);
        }
        return RedisMessengerScripts.SEND_MANY.run(redis, keys, args);
    }

    @SuppressWarnings("unchecked")
    private static void answer(List<Pending> batch, List<Object> answer, Throwable error) {
        if (error == null && batch.size() == 1) {
            batch.getFirst().answer.complete(answer);
            return;
        }
        if (error == null && (answer == null || answer.size() != batch.size())) {
            error = new IllegalStateException("the SEND_MANY script answered "
                    + (answer == null ? "nothing" : answer.size() + " answers") + " for " + batch.size() + " messages");
        }
        for (int i = 0; i < batch.size(); i++) {
            if (error != null) {
                batch.get(i).answer.completeExceptionally(error);
            } else {
                batch.get(i).answer.complete((List<Object>) answer.get(i));
            }
        }
    }
}
