package dev.colony.messaging;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The dead-letter queue of a messenger, the one every backend uses (embedded and Redis): an array deque
 * under a lock, keeping the newest
 * entries within a count and a byte bound. A letter is cut down before it is kept: its bytes to a prefix
 * of at most {@link DeadLetter#KEPT_BYTES} (the original length stays in {@link DeadLetter#encodedLength()}),
 * its detail to {@link #MAX_DETAIL} characters.
 */
public final class BoundedDeadLetters implements DeadLetters {
    /** The most characters of a detail kept. */
    public static final int MAX_DETAIL = 1000;

    /** The smallest byte bound: one letter at its largest always fits. */
    public static final long MIN_BYTES = DeadLetter.KEPT_BYTES + 2L * (MAX_DETAIL + 3);

    private final int capacity;
    private final long maxBytes;
    private final ArrayDeque<DeadLetter> queue; // guarded by this
    private long retained; // guarded by this
    private long total; // guarded by this
    private long discarded; // guarded by this

    /** A queue keeping the newest {@code capacity} dead letters within {@code maxBytes}. */
    public BoundedDeadLetters(int capacity, long maxBytes) {
        if (maxBytes < MIN_BYTES) {
            throw new IllegalArgumentException("maxBytes must be at least " + MIN_BYTES + ", got " + maxBytes);
        }
        this.capacity = capacity;
        this.maxBytes = maxBytes;
        this.queue = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    /** Adds {@code letter} (cut down as described above), discarding the oldest while either bound is exceeded. */
    public void add(DeadLetter letter) {
        DeadLetter kept = cut(letter); // outside the lock: it copies up to 4 KiB
        long cost = cost(kept);
        synchronized (this) {
            while (!queue.isEmpty() && (queue.size() == capacity || retained + cost > maxBytes)) {
                retained -= cost(queue.pollFirst());
                discarded++;
            }
            queue.addLast(kept);
            retained += cost;
            total++;
        }
    }

    /**
     * Adds a dead letter for {@code received} bytes refused before they were copied (too large, or the
     * messenger closed): only their first {@link DeadLetter#KEPT_BYTES} are copied, whatever their length.
     */
    public void addRefused(byte[] received, AgentId recipient, DeadLetter.Reason reason, String detail, Instant time) {
        byte[] prefix = Arrays.copyOf(received, Math.min(received.length, DeadLetter.KEPT_BYTES));
        add(new DeadLetter(null, prefix, recipient, reason, detail, time, received.length));
    }

    /**
     * Checks bytes received for {@code recipient} (by {@link Messenger#deliverEncoded}) before they are
     * copied: when the messenger is {@code closed} or they exceed {@code maxMessageBytes}, records the refusal
     * as a dead letter ({@link #addRefused}) and returns true; otherwise records nothing and returns false.
     * Refused input costs at most the dead letter's prefix, whatever its length.
     *
     * @throws NullPointerException if {@code received} or {@code recipient} is null
     */
    public boolean refuseReceived(
            byte[] received, AgentId recipient, boolean closed, int maxMessageBytes, Instant time) {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(received, "message");
        if (closed) {
            addRefused(received, recipient, DeadLetter.Reason.REJECTED, "the messenger is closed", time);
            return true;
        }
        if (received.length > maxMessageBytes) {
            addRefused(
                    received,
                    recipient,
                    DeadLetter.Reason.TOO_LARGE,
                    "received message of " + received.length + " bytes exceeds the limit of " + maxMessageBytes
                            + " bytes",
                    time);
            return true;
        }
        return false;
    }

    private static DeadLetter cut(DeadLetter letter) {
        byte[] bytes = letter.bytes();
        boolean longBytes = bytes != null && bytes.length > DeadLetter.KEPT_BYTES;
        boolean longDetail = letter.detail().length() > MAX_DETAIL;
        if (!longBytes && !longDetail) {
            return letter;
        }
        return new DeadLetter(
                letter.envelope(),
                longBytes ? Arrays.copyOf(bytes, DeadLetter.KEPT_BYTES) : bytes,
                letter.recipient(),
                letter.reason(),
                longDetail ? letter.detail().substring(0, MAX_DETAIL) + "..." : letter.detail(),
                letter.time(),
                letter.encodedLength());
    }

    private static long cost(DeadLetter letter) {
        return (letter.bytes() == null ? 0 : letter.bytes().length)
                + 2L * letter.detail().length();
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public long maxBytes() {
        return maxBytes;
    }

    @Override
    public synchronized long retainedBytes() {
        return retained;
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
        DeadLetter letter = queue.pollFirst();
        if (letter != null) {
            retained -= cost(letter);
        }
        return letter;
    }

    @Override
    public synchronized List<DeadLetter> drain() {
        List<DeadLetter> all = new ArrayList<>(queue);
        queue.clear();
        retained = 0;
        return all;
    }

    @Override
    public synchronized List<DeadLetter> peekAll() {
        return List.copyOf(queue);
    }
}
