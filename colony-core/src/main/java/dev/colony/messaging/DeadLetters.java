package dev.colony.messaging;

import java.util.List;

/**
 * The messenger's dead-letter queue: the newest undelivered messages, bounded.
 *
 * <p>Bounded twice: by count ({@link #capacity()}) and by the bytes its letters retain
 * ({@link #maxBytes()}: the encoded bytes kept, at most {@link DeadLetter#KEPT_BYTES} per letter, plus two
 * bytes per character of the detail, which is cut to 1,000 characters). Envelopes handed over by
 * reference are the sender's objects and are not counted.
 *
 * <p>Overflow policy: when a new letter would exceed either bound, the oldest dead letters are discarded
 * to keep the newest, and counted in {@link #discarded()}; {@link #total()} counts every dead letter ever
 * recorded. Thread-safe.
 */
public interface DeadLetters {
    /** The most dead letters kept. */
    int capacity();

    /** The most bytes the kept dead letters retain, as counted above. */
    long maxBytes();

    /** The bytes the kept dead letters retain now, as counted above. */
    long retainedBytes();

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
