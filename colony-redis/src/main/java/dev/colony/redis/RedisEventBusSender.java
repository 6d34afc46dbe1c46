package dev.colony.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The publish path of one Redis event bus node: a bounded outbound buffer that any thread offers
 * encoded frames to, drained by one sender thread that pipelines PUBLISH commands in batches on its own
 * connection.
 *
 * <p><b>Batching.</b> The sender takes up to {@value #MAX_BATCH} frames at once; consecutive frames of one
 * channel become one message, a JSON array of frames (up to {@value #MAX_MESSAGE_BYTES} bytes), so one
 * PUBLISH carries many events. It writes the batch's PUBLISH commands without flushing and flushes them in
 * one write ({@code setAutoFlushCommands(false)} plus {@code flushCommands()}). At most two batches are in flight: before sending a third it waits for the
 * replies of the first, so a slow server slows the sender instead of growing Lettuce's queue.
 *
 * <p><b>Full buffer.</b> While the connection is down the sender stops draining, so the buffer fills. An
 * event that finds it full is dropped at once, unless it is critical (priority 8 or more, as under the
 * DROP overflow policies): a critical event waits up to {@link Limits#criticalWait()} for room and is
 * dropped only then. Every drop is counted ({@link #dropped()}); the publisher sees it in its
 * {@code PublishResult}. A PUBLISH that fails (its reply timed out, or the server refused it) is counted
 * in {@link #failed()} and logged.
 */
final class RedisEventBusSender implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RedisEventBusSender.class.getName());
    static final int MAX_BATCH = 512;
    /** The largest batch message: consecutive frames of one channel are joined up to this size. */
    static final int MAX_MESSAGE_BYTES = 64 * 1024;

    private static final Duration IDLE_POLL = Duration.ofMillis(20);

    /** Bounds of the publish path. */
    record Limits(int capacity, Duration criticalWait, Duration closeFlush, boolean pipelined) {
        static final Limits DEFAULT = new Limits(65_536, Duration.ofSeconds(5), Duration.ofSeconds(2), true);

        Limits {
            if (capacity < 1) {
                throw new IllegalArgumentException("outbound capacity must be at least 1, got " + capacity);
            }
        }
    }

    /** One frame to publish. */
    record Outgoing(String channel, byte[] frame) {}

    private final RedisLinkConnection<String, byte[]> connection;
    private final RedisClusterAsyncCommands<String, byte[]> commands;
    private final ArrayBlockingQueue<Outgoing> buffer;
    private final Limits limits;
    private final Thread thread;
    private final LongAdder sent = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private volatile boolean closing;

    // sender thread only: the next sequence number per channel (ADR 0036), least recently used forgotten
    private final Map<String, long[]> sequences = new LinkedHashMap<>(1024, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > RedisEventBusGaps.MAX_PAIRS;
        }
    };
    private final int nodeAttributeLength;
    private final long replyWaitMillis;

    RedisEventBusSender(RedisLink link, String node, Limits limits) {
        this.limits = limits;
        this.nodeAttributeLength = RedisEventBusFrame.echoPrefix(node).length;
        this.replyWaitMillis = link.commandTimeout().toMillis() * 2; // Lettuce times out first; a backstop
        this.buffer = new ArrayBlockingQueue<>(limits.capacity());
        this.connection = link.connectBytes();
        this.connection.setAutoFlushCommands(!limits.pipelined());
        this.commands = connection.async();
        this.thread =
                Thread.ofPlatform().daemon().name("colony-bus-sender-" + node).start(this::run);
    }

    /** Offers a frame; false when it was dropped because the buffer stayed full. */
    boolean offer(Outgoing outgoing, boolean critical) {
        if (buffer.offer(outgoing)) {
            return true;
        }
        if (critical) {
            try {
                if (buffer.offer(outgoing, limits.criticalWait().toNanos(), TimeUnit.NANOSECONDS)) {
                    return true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        dropped.increment();
        return false;
    }

    private void run() {
        List<Outgoing> batch = new ArrayList<>(MAX_BATCH);
        List<Sent> previous = List.of();
        while (true) {
            if (closing && buffer.isEmpty()) {
                break;
            }
            if (!connection.isOpen()) {
                // disconnected: leave the events in the bounded buffer (its policy applies) until Lettuce reconnects
                LockSupport.parkNanos(IDLE_POLL.toNanos());
                continue;
            }
            batch.clear();
            try {
                Outgoing first = buffer.poll(IDLE_POLL.toNanos(), TimeUnit.NANOSECONDS);
                if (first == null) {
                    previous = await(previous);
                    continue;
                }
                batch.add(first);
            } catch (InterruptedException e) {
                continue; // close() interrupts to hurry the last flush; the loop checks `closing`
            }
            buffer.drainTo(batch, MAX_BATCH - 1);
            List<Sent> futures = new ArrayList<>();
            int i = 0;
            while (i < batch.size()) {
                int end = sameChannel(batch, i);
                futures.add(new Sent(commands.publish(batch.get(i).channel(), message(batch, i, end)), end - i));
                i = end;
            }
            if (limits.pipelined()) {
                connection.flushCommands();
            }
            await(previous);
            previous = futures;
        }
        await(previous);
    }

    /** A PUBLISH in flight and the number of events its message carries. */
    private record Sent(RedisFuture<Long> reply, int events) {}

    /** The end of the run of frames from {@code start} on the same channel, within {@link #MAX_MESSAGE_BYTES}. */
    private static int sameChannel(List<Outgoing> batch, int start) {
        String channel = batch.get(start).channel();
        int bytes = batch.get(start).frame().length;
        int end = start + 1;
        while (end < batch.size()
                && batch.get(end).channel().equals(channel)
                && bytes + batch.get(end).frame().length < MAX_MESSAGE_BYTES) {
            bytes += batch.get(end).frame().length;
            end++;
        }
        return end;
    }

    private byte[] message(List<Outgoing> batch, int start, int end) {
        long[] next = sequences.computeIfAbsent(batch.get(start).channel(), channel -> new long[] {1});
        if (end - start == 1) {
            return numbered(batch.get(start).frame(), next[0]++);
        }
        List<byte[]> frames = new ArrayList<>(end - start);
        int bytes = 0;
        for (int i = start; i < end; i++) {
            byte[] frame = numbered(batch.get(i).frame(), next[0]++);
            frames.add(frame);
            bytes += frame.length;
        }
        return RedisEventBusFrame.batch(frames, bytes);
    }

    /**
     * {@code frame} with {@code "colonyseq":seq} right after its {@code colonynode} attribute (which every frame
     * of this node starts with): numbered here, on the one sender thread, so that the numbers of a channel are
     * consecutive in the order Redis receives them.
     */
    private byte[] numbered(byte[] frame, long seq) {
        byte[] attribute = (",\"colonyseq\":" + seq).getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[frame.length + attribute.length];
        System.arraycopy(frame, 0, out, 0, nodeAttributeLength);
        System.arraycopy(attribute, 0, out, nodeAttributeLength, attribute.length);
        System.arraycopy(
                frame,
                nodeAttributeLength,
                out,
                nodeAttributeLength + attribute.length,
                frame.length - nodeAttributeLength);
        return out;
    }

    /** Waits for the replies of a batch and counts their events; returns an empty list. */
    private List<Sent> await(List<Sent> futures) {
        for (Sent future : futures) {
            try {
                future.reply().get(replyWaitMillis, TimeUnit.MILLISECONDS);
                sent.add(future.events());
            } catch (ExecutionException | TimeoutException e) {
                failed.add(future.events());
                LOG.log(Level.WARNING, "a PUBLISH of the event bus failed (" + future.events() + " events): " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed.add(future.events());
            }
        }
        return List.of();
    }

    /** Events whose PUBLISH Redis acknowledged. */
    long sent() {
        return sent.sum();
    }

    /** Events dropped because the buffer was full. */
    long dropped() {
        return dropped.sum();
    }

    /** Events whose PUBLISH failed. */
    long failed() {
        return failed.sum();
    }

    /** Whether the sender's connection is up now. */
    boolean isConnected() {
        return connection.isOpen();
    }

    /** Events waiting in the buffer now. */
    int depth() {
        return buffer.size();
    }

    /**
     * Sends what is buffered for up to {@link Limits#closeFlush()}, then stops; frames still buffered
     * then are counted as dropped. Idempotent.
     */
    @Override
    public void close() {
        closing = true;
        try {
            if (!thread.join(limits.closeFlush())) {
                thread.interrupt();
                List<Outgoing> left = new ArrayList<>();
                buffer.drainTo(left);
                dropped.add(left.size());
                thread.join(limits.closeFlush());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connection.close();
    }
}
