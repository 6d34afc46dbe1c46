package dev.colony.redis;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.DeadLetter;
import dev.colony.messaging.SendOutcome;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The order of one node's messages to each recipient whose BLOCK inbox is full: a <b>lane</b> per such
 * recipient, retried in order by one virtual thread, with a <b>barrier</b> in Redis that refuses the node's
 * messages written behind the one that found the inbox full (ADR 0070).
 *
 * <p><b>Algorithm.</b> Every ordered send of the node (all but a handler's sends to its own inbox) goes
 * through {@link #submit}. While the recipient has no lane, the send is written at once with order {@code B}
 * (pipelined; {@code unanswered} counts it). The SEND script answers {@code {FULL, BLOCK}} when the inbox is
 * full, and then also sets the barrier {@code P barrier:<node>:<recipient>}; while the barrier stands it
 * answers {@code {FULL, BLOCK}} to every later {@code B} send of this node to that recipient, whether or not
 * there is room. Answers come in the order written (one connection), so the sends answered FULL join the
 * lane's {@code blocked} queue in call order; from the first of them on, new sends to that recipient join
 * the lane's {@code queued} queue instead of being written. The lane's one retrier takes the head (blocked
 * first, then queued once no direct send is unanswered: a direct send written before the lane formed
 * precedes every queued one) and runs it with order {@code P} ("pass": the script deletes the barrier, then
 * acts as an ordinary send, setting the barrier again if the inbox is still full), pausing from 20 µs
 * doubling to 5 ms between tries; only then the next. When both queues are empty the node writes directly
 * again. A direct send decided before the lane formed but written after a pass is still behind every message
 * its thread sent earlier, so it may be appended or join the lane; either keeps call order.
 *
 * <p><b>Bounds.</b> An asynchronous send holds its place among {@link RedisMessenger#MAX_IN_FLIGHT} from
 * {@code sendAsync} until its future completes, so a lane holds at most that many asynchronous messages
 * (plus one per thread blocked in {@code send}); a sender past that waits in {@code sendAsync}. The barrier
 * has the node's ttl, refreshed by each try that finds the inbox full: a dead node's barrier expires with it.
 * Other nodes' sends never look at it: they meet only the inbox's own fullness.
 *
 * <p><b>Threads.</b> All of a lane's state changes inside {@code lanes.compute} for its recipient (the map's
 * bin lock); a lane leaves the map when it has no message and no unanswered send. Answers are handled on the
 * Redis client's I/O thread, which never waits; tries and pauses happen on the lane's virtual thread.
 */
final class RedisSendLanes {
    private static final long FIRST_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final RedisMessenger messenger;
    private final RedisMessengerSender sender;
    private final ConcurrentHashMap<AgentId, Lane> lanes = new ConcurrentHashMap<>();
    /** Recipients whose barrier this node may have left standing (set by a FULL answer, not yet passed). */
    private final Set<AgentId> barriers = ConcurrentHashMap.newKeySet();

    RedisSendLanes(RedisMessenger messenger, RedisMessengerSender sender) {
        this.messenger = messenger;
        this.sender = sender;
    }

    /** One recipient's lane; mutated only inside {@code lanes.compute} for that recipient. */
    private static final class Lane {
        int unanswered;
        final ArrayDeque<RedisMessengerSender.Send> blocked = new ArrayDeque<>();
        final ArrayDeque<RedisMessengerSender.Send> queued = new ArrayDeque<>();
        RedisMessengerSender.Send current;
        Thread retrier;

        boolean stalled() {
            return current != null || !blocked.isEmpty() || !queued.isEmpty();
        }

        boolean idle() {
            return unanswered == 0 && !stalled() && retrier == null;
        }
    }

    /** Writes {@code send} now, or queues it behind the messages its recipient's lane holds. */
    void submit(RedisMessengerSender.Send send) {
        boolean[] direct = {false};
        lanes.compute(send.to(), (to, lane) -> {
            Lane l = lane == null ? new Lane() : lane;
            if (l.stalled()) {
                l.queued.add(send);
            } else {
                l.unanswered++;
                direct[0] = true;
            }
            return l;
        });
        if (direct[0]) {
            send.run(messenger).whenComplete((answer, error) -> answered(send, answer, error));
        }
    }

    /** The answer to a direct send, on the I/O thread: finishes it, or puts it in its lane when FULL under BLOCK. */
    private void answered(RedisMessengerSender.Send send, List<Object> answer, Throwable error) {
        if (error != null || !fullUnderBlock(answer) || send.cancelled().get()) {
            lanes.computeIfPresent(send.to(), (to, lane) -> {
                lane.unanswered--;
                return lane.idle() ? null : lane;
            });
            LockSupport.unpark(retrierOf(send.to()));
            if (error != null) {
                send.finish(sender.failed(send, RedisMessengerScripts.unwrap(error)));
            } else if (send.cancelled().get() && fullUnderBlock(answer)) {
                barriers.add(send.to()); // the script set it; the node's next FULL send passes it, or close deletes it
                send.finish(sender.interrupted(send));
            } else {
                sender.finishDirect(send, answer);
            }
            return;
        }
        barriers.add(send.to());
        Thread[] start = {null};
        lanes.compute(send.to(), (to, lane) -> {
            Lane l = lane == null ? new Lane() : lane;
            l.unanswered = Math.max(0, l.unanswered - 1);
            l.blocked.add(send);
            if (l.retrier == null) {
                l.retrier = Thread.ofVirtual().name("colony-redis-send-lane").unstarted(() -> drain(send.to()));
                start[0] = l.retrier;
            }
            return l;
        });
        if (start[0] != null) {
            start[0].start();
        }
    }

    private Thread retrierOf(AgentId to) {
        Lane lane = lanes.get(to);
        return lane == null ? null : lane.retrier;
    }

    static boolean fullUnderBlock(List<Object> answer) {
        return answer.size() > 1
                && "FULL".equals(RedisMessengerScripts.status(answer))
                && "BLOCK".equals(RedisMessengerScripts.text(answer.get(1)));
    }

    /** The lane's retrier: tries its head until answered for good, then the next, until the lane is empty. */
    private void drain(AgentId to) {
        while (true) {
            RedisMessengerSender.Send[] head = {null};
            boolean[] wasBlocked = {false};
            boolean[] done = {false};
            lanes.compute(to, (key, lane) -> {
                if (!lane.blocked.isEmpty()) {
                    head[0] = lane.blocked.poll();
                    wasBlocked[0] = true;
                } else if (lane.queued.isEmpty()) {
                    lane.retrier = null;
                    done[0] = true;
                    return lane.idle() ? null : lane;
                } else if (lane.unanswered == 0) {
                    head[0] = lane.queued.poll();
                }
                lane.current = head[0];
                return lane;
            });
            if (done[0]) {
                return;
            }
            if (head[0] == null) { // queued messages wait for the direct sends written before them
                LockSupport.parkNanos(FIRST_PAUSE_NANOS);
                continue;
            }
            RedisMessengerSender.Send send = head[0];
            SendOutcome outcome = pass(send, wasBlocked[0]);
            lanes.compute(to, (key, lane) -> {
                lane.current = null;
                return lane;
            });
            send.finish(outcome);
        }
    }

    /** Runs {@code send} with order P until it is answered other than FULL; pauses first when it was answered FULL. */
    private SendOutcome pass(RedisMessengerSender.Send send, boolean pauseFirst) {
        long pause = FIRST_PAUSE_NANOS;
        if (pauseFirst) {
            sender.awaitRoom(pause);
        }
        while (true) {
            if (messenger.closed) {
                return sender.refused(send, DeadLetter.Reason.REJECTED, "the messenger closed");
            }
            if (send.cancelled().get()) {
                return sender.interrupted(send);
            }
            List<Object> answer;
            try {
                answer = RedisMessengerScripts.await(send.pass(messenger));
            } catch (RuntimeException e) {
                return sender.failed(send, e);
            }
            if (!"FULL".equals(RedisMessengerScripts.status(answer))) {
                barriers.remove(send.to());
                return sender.outcomeOf(send, answer);
            }
            barriers.add(send.to());
            pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
            sender.awaitRoom(pause);
        }
    }

    /** Takes {@code send} out of its lane if it waits there (not yet tried); true when it did. */
    boolean withdraw(RedisMessengerSender.Send send) {
        boolean[] removed = {false};
        lanes.computeIfPresent(send.to(), (to, lane) -> {
            removed[0] = lane.blocked.remove(send) || lane.queued.remove(send);
            return lane;
        });
        return removed[0];
    }

    /**
     * At close (the messenger already refuses new sends): waits until {@code deadlineNanos} for the lanes to
     * empty (each retrier dead-letters its messages as REJECTED once it sees the messenger closed), then
     * deletes the barriers this node may have left; a barrier not deleted expires with the node's ttl.
     */
    void close(long deadlineNanos) {
        while (!lanes.isEmpty() && System.nanoTime() < deadlineNanos) {
            sender.roomMade();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        if (barriers.isEmpty()) {
            return;
        }
        String[] keys = barriers.stream().map(this::barrierKey).toArray(String[]::new);
        try {
            RedisMessengerScripts.await(messenger.redis.del(keys), java.time.Duration.ofSeconds(3));
            barriers.clear();
        } catch (RuntimeException e) {
            messenger.countFailure(); // they expire with the node's ttl
        }
    }

    /** The key of this node's barrier for {@code to}: {@code P barrier:<node>:<to>}. */
    String barrierKey(AgentId to) {
        return messenger.key("barrier:" + messenger.nodeId() + ":" + to);
    }

    /** Recipients with a lane now (tests). */
    int size() {
        return lanes.size();
    }
}
