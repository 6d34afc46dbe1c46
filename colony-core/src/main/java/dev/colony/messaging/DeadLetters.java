package dev.colony.messaging;

import java.util.List;

/**
 * The messenger's dead-letter queue: the newest undelivered messages, bounded.
 *
 * <p>Overflow policy: when full, the oldest dead letter is discarded to keep the newest, and counted in
 * {@link #discarded()}; {@link #total()} counts every dead letter ever recorded. Thread-safe.
 */
public interface DeadLetters {
    /** The most dead letters kept. */
    int capacity();

    /** Dead letters kept now. */
    int size();

    /** Every dead letter recorded since the messenger started, including discarded ones. */
    long total();

    /** Dead letters discarded because the queue was full. */
    long discarded();

    /** Removes and returns the oldest dead letter, or {@code null} when there is none. */
    DeadLetter poll();

    /** Removes and returns every dead letter kept, oldest first. */
    List<DeadLetter> drain();

    /** The dead letters kept, oldest first, without removing them. */
    List<DeadLetter> peekAll();
}
