package dev.colony.redis;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.Inbox;
import dev.colony.messaging.InboxDrainer;
import dev.colony.messaging.InboxOptions;
import dev.colony.messaging.MessageHandler;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An inbox of a {@link RedisMessenger} node: the agent's stream {@code colony:{swarm}:inbox:<id>} in Redis,
 * and on this node a bounded buffer of entries the node's reader took from it, drained by the inbox's own
 * virtual thread once a handler is attached.
 *
 * <p><b>Read-ahead</b> (ADR 0071). The inbox asks the reader for entries ({@link #wantsRead()}) when it holds
 * none; and, while the stream is <em>deep</em> (the last read filled a whole batch, so more are waiting),
 * also while it holds at most {@code limit - batch} entries read and not yet handled, the chunk being handled
 * included, where {@code limit} is {@link RedisMessengerOptions#readAheadFor}: {@code max(batch,
 * min(readAhead, capacity))}. A read returns at most {@code batch} entries of a stream, so the inbox never
 * holds more than {@code limit}. A shallow stream, a small inbox or {@code readAhead <= batch} give the old
 * flow: the next read only once everything read was handled, as the local inbox's drainer takes a batch only
 * when it is free. Under a backlog the reader reads the next batches while the handler works on this one, so
 * the handler does not wait a read round trip (and a wake-up) between batches. What the inbox has not read
 * stays in Redis and counts against the capacity there; entries read ahead do not (they are delivered to
 * this node's consumer), so a sender sees room for up to {@code capacity + limit} messages, of which at most
 * {@code limit} are on this node. Entries read ahead are pending for this node's consumer like the chunk in
 * hand: after a crash the next owner claims them after the claim idle time. A slow handler gets no read-ahead:
 * only while {@code limit} entries take less than half the claim idle time at the last chunk's pace, so that
 * entries do not wait in the buffer until a claim sweep raises their delivery count (which, past {@code
 * maxDeliveries}, makes the next owner dead-letter them after a crash).
 *
 * <p><b>Flow.</b> The drainer takes a chunk of at most {@code batch} entries from the buffer, highest priority
 * first and in stream order within a priority, handles it, then acknowledges and deletes the chunk from the
 * stream (one ACK script, asynchronously, pipelined with the next chunk's handling): at-least-once. A higher
 * priority entry read meanwhile overtakes what is still buffered, never a chunk in hand. Entry ids read and
 * not yet acknowledged are {@code outstanding}, so that a claim sweep does not hand this node what it
 * already holds.
 *
 * <p><b>Duplicates.</b> The drainer remembers the last {@code recentIds} message ids it handled (insertion
 * order, oldest forgotten first) and skips, but acknowledges, an entry whose message id it has seen.
 */
final class RedisInbox implements Inbox {
    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(RedisInbox.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * One stream entry on this node: its id, the message bytes, the priority field, the sender's ref, and the
     * order the node's reader received it in (stream order within one inbox).
     */
    record Received(String entryId, byte[] bytes, int priority, String ref, long seq) {}

    private static final Comparator<Received> ORDER =
            Comparator.comparingInt(Received::priority).reversed().thenComparingLong(Received::seq);

    private final RedisMessenger messenger;
    private final AgentId id;
    private final InboxOptions options;
    private final String stream;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final PriorityQueue<Received> buffer = new PriorityQueue<>(ORDER); // guarded by lock
    private final Set<String> outstanding = ConcurrentHashMap.newKeySet();
    private final LinkedHashSet<String> recent = new LinkedHashSet<>(); // drainer only
    // entries of the batch being handled: written by the drainer, read by close() (after the drainer ended,
    // or while it runs a handler that close() abandons)
    private final Set<String> taken = ConcurrentHashMap.newKeySet();
    private final int recentBound;
    private final int batch;
    private final int limit;
    private int inHand; // entries of the chunk being handled; guarded by lock
    private boolean deep; // the last read filled a whole batch; guarded by lock
    private final long aheadBudgetNanos; // claimIdle / 2: how long read-ahead entries may wait to be handled
    private long nanosPerEntry; // of the last chunk handled; guarded by lock
    private volatile boolean wantRead;
    private final InboxDrainer drainer = new InboxDrainer();
    private volatile boolean closed;
    private MessageHandler handler; // written before the drainer starts, read only by it

    RedisInbox(
            RedisMessenger messenger,
            AgentId id,
            InboxOptions options,
            String stream,
            RedisMessengerOptions nodeOptions) {
        this.messenger = messenger;
        this.id = id;
        this.options = options;
        this.stream = stream;
        this.recentBound = nodeOptions.recentIds();
        this.batch = nodeOptions.batch();
        this.limit = nodeOptions.readAheadFor(options.capacity());
        this.aheadBudgetNanos = nodeOptions.claimIdle().toNanos() / 2;
    }

    @Override
    public AgentId id() {
        return id;
    }

    @Override
    public Set<String> roles() {
        return options.roles();
    }

    InboxOptions options() {
        return options;
    }

    String stream() {
        return stream;
    }

    InboxDrainer drainer() {
        return drainer;
    }

    /** Whether the reader should read this inbox's stream: attached, open, room for one more read batch. */
    boolean wantsRead() {
        return wantRead && !closed;
    }

    boolean holds(String entryId) {
        return outstanding.contains(entryId);
    }

    @Override
    public synchronized void attach(MessageHandler newHandler) {
        Objects.requireNonNull(newHandler, "handler");
        InboxDrainer.checkAttach(id, closed, handler != null);
        handler = newHandler;
        drainer.start(id, "colony-redis-inbox-", this::drain);
        messenger.reader().attach(this);
    }

    /**
     * Called by the reader with entries it read ({@code full}: as many as a read returns, so the stream is
     * deep) or claimed (never {@code full}) for this inbox.
     */
    void accept(List<Received> entries, boolean full) {
        lock.lock();
        try {
            deep = full;
            for (Received entry : entries) {
                outstanding.add(entry.entryId());
                buffer.add(entry);
            }
            wantRead = roomForRead();
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether to read ahead: the stream is deep, one more read of {@code batch} entries keeps this inbox within
     * its limit, and the handler is fast enough that {@code limit} entries are handled within half the claim
     * idle time (by the last chunk's pace), so that no entry read ahead waits long enough for a claim sweep
     * to count one more delivery of it; under the lock.
     */
    private boolean roomForRead() {
        return deep && buffer.size() + inHand <= limit - batch && nanosPerEntry * limit < aheadBudgetNanos;
    }

    /** The drainer's loop: takes a chunk, handles it, acknowledges it, until the inbox closes. */
    private void drain() {
        List<Received> chunk = new ArrayList<>(batch);
        long pace = 0;
        while (take(chunk, pace)) {
            long start = System.nanoTime();
            List<String> done = new ArrayList<>(chunk.size());
            for (Received entry : chunk) {
                if (closed) {
                    break; // the rest stays in the stream; close() dead-letters it
                }
                taken.add(entry.entryId());
                try {
                    messenger.delivery().handle(this, handler, entry);
                } catch (Throwable error) { // handle() throws nothing by design; this is the last line
                    messenger.delivery().unhandled(this, entry, error);
                }
                done.add(entry.entryId());
            }
            messenger.reader().acknowledge(stream, done, outstanding);
            pace = (System.nanoTime() - start) / Math.max(1, chunk.size());
            taken.clear();
            chunk.clear();
        }
    }

    /**
     * Waits for entries and moves up to {@code batch} of them, highest priority first, into {@code chunk}; asks
     * the reader for more when there is room for a read. {@code pace}: the nanoseconds per entry of the chunk
     * just handled. False once the inbox is closed.
     */
    private boolean take(List<Received> chunk, long pace) {
        lock.lock();
        try {
            inHand = 0;
            nanosPerEntry = pace;
            while (buffer.isEmpty() && !closed) {
                askForRead();
                work.awaitUninterruptibly();
            }
            if (closed) {
                return false;
            }
            while (chunk.size() < batch && !buffer.isEmpty()) {
                chunk.add(buffer.poll());
            }
            inHand = chunk.size();
            if (roomForRead()) {
                askForRead();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: marks that this inbox wants entries and wakes the reader if it reads without it. */
    private void askForRead() {
        if (!wantRead) {
            wantRead = true;
            messenger.reader().wake();
        }
    }

    /** True the first time the drainer sees {@code messageId} among its last {@code recentIds}. */
    boolean firstSighting(String messageId) {
        if (!recent.add(messageId)) {
            return false;
        }
        if (recent.size() > recentBound) {
            Iterator<String> oldest = recent.iterator();
            oldest.next();
            oldest.remove();
        }
        return true;
    }

    @Override
    public int size() {
        int held = outstanding.size() - bufferedCount(); // taken by the drainer, not yet acknowledged
        long length = messenger.delivery().streamLength(this);
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, length - Math.max(0, held)));
    }

    private int bufferedCount() {
        lock.lock();
        try {
            return buffer.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes the inbox: waits up to the messenger's close timeout for the handler running now (abandoning it
     * past that: interrupted, counted and logged by the messenger), then removes the inbox from the
     * directory and dead-letters what it did not handle. Idempotent.
     */
    @Override
    public void close() {
        boolean first = stop();
        messenger.abandoned(InboxDrainer.awaitAll(
                List.of(this), RedisInbox::drainer, System.nanoTime() + messenger.closeTimeoutNanos()));
        if (first) {
            finishClose();
        }
    }

    /** Marks the inbox closed and wakes its drainer, without waiting; true for the call that closed it. */
    boolean stop() {
        if (!CLOSED.compareAndSet(this, false, true)) {
            return false;
        }
        messenger.reader().detach(this);
        lock.lock();
        try {
            work.signalAll();
        } finally {
            lock.unlock();
        }
        return true;
    }

    /**
     * After the drainer ended (or was abandoned): the batch in hand is known, those entries were handled or
     * are being handled and are not dead-lettered; the rest of the stream is.
     */
    void finishClose() {
        messenger.delivery().closed(this, Set.copyOf(taken));
    }

    @Override
    public String toString() {
        return "RedisInbox[" + id + "]";
    }
}
