package dev.colony.bench;

import java.util.concurrent.Semaphore;
import java.util.function.IntConsumer;

/**
 * One or two producer threads for the hand-off benchmarks. With one, the JMH thread sends the whole
 * batch. With two, a helper platform thread sends half of every batch while the JMH thread sends the
 * other half; the JMH thread waits for the helper before it waits for the consumer. The helper sleeps on a
 * semaphore between batches, so it takes no core while the consumer drains.
 */
final class Producers {
    private final int count;
    private final IntConsumer send;
    private final Semaphore go = new Semaphore(0);
    private final Semaphore done = new Semaphore(0);
    private final Thread helper;
    private volatile boolean closed;
    private int helperBatch;

    /**
     * @param count 1 or 2 producers
     * @param send sends the given number of messages from the calling thread
     */
    Producers(int count, IntConsumer send) {
        if (count != 1 && count != 2) {
            throw new IllegalArgumentException("producers must be 1 or 2, got " + count);
        }
        this.count = count;
        this.send = send;
        this.helper =
                count == 2 ? Thread.ofPlatform().daemon().name("producer-2").start(this::help) : null;
    }

    private void help() {
        try {
            while (true) {
                go.acquire();
                if (closed) {
                    return;
                }
                send.accept(helperBatch);
                done.release();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends {@code batch} messages in all, split evenly over the producers; returns when all are sent. */
    void sendBatch(int batch) {
        if (count == 1) {
            send.accept(batch);
            return;
        }
        helperBatch = batch / 2; // published to the helper by the semaphore's release
        go.release();
        send.accept(batch - batch / 2);
        done.acquireUninterruptibly();
    }

    /** Stops the helper thread, if any. */
    void close() throws InterruptedException {
        if (helper != null) {
            closed = true;
            go.release();
            helper.join();
        }
    }
}
