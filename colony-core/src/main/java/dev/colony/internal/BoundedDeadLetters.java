package dev.colony.internal;

import dev.colony.messaging.DeadLetter;
import dev.colony.messaging.DeadLetters;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The dead-letter queue of a messenger (embedded or Redis): an array deque under a lock, keeping the newest
 * {@code capacity} entries.
 */
public final class BoundedDeadLetters implements DeadLetters {
    private final int capacity;
    private final ArrayDeque<DeadLetter> queue; // guarded by this
    private long total; // guarded by this
    private long discarded; // guarded by this

    /** A queue keeping the newest {@code capacity} dead letters. */
    public BoundedDeadLetters(int capacity) {
        this.capacity = capacity;
        this.queue = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    /** Adds {@code letter}, discarding the oldest when full. */
    public synchronized void add(DeadLetter letter) {
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
