package dev.colony.redis;

import dev.colony.messaging.DeadLetter;
import dev.colony.messaging.DeadLetters;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A Redis messenger node's dead letters: those this node recorded (its senders' refusals and evictions, its
 * inboxes' malformed, expired and closed-over messages), the newest {@code capacity} of them under a lock.
 */
final class RedisMessengerDeadLetters implements DeadLetters {
    private final int capacity;
    private final ArrayDeque<DeadLetter> queue; // guarded by this
    private long total; // guarded by this
    private long discarded; // guarded by this

    RedisMessengerDeadLetters(int capacity) {
        this.capacity = capacity;
        this.queue = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    synchronized void add(DeadLetter letter) {
        if (queue.size() == capacity) {
            queue.pollFirst();
            discarded++;
        }
        queue.addLast(letter);
        total++;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public synchronized int size() {
        return queue.size();
    }

    @Override
    public synchronized long total() {
        return total;
    }

    @Override
    public synchronized long discarded() {
        return discarded;
    }

    @Override
    public synchronized DeadLetter poll() {
        return queue.pollFirst();
    }

    @Override
    public synchronized List<DeadLetter> drain() {
        List<DeadLetter> all = new ArrayList<>(queue);
        queue.clear();
        return all;
    }

    @Override
    public synchronized List<DeadLetter> peekAll() {
        return List.copyOf(queue);
    }
}
