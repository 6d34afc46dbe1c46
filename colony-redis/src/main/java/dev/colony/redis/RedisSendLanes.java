package dev.colony.redis;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.DeadLetter;
import dev.colony.messaging.SendOutcome;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The order of one node's messages to each recipient whose BLOCK inbox is full: a <b>lane</b> per such
 * recipient, retried in order by one virtual thread, with a <b>barrier</b> in Redis that refuses the node's
 * messages written behind the one that found the inbox full (ADR 0070).
 *
 * <p><b>Algorithm.</b> Every ordered send of the node (all but a handler's sends to its own inbox) goes
 * through {@link #submit}. While the recipient has no lane, the send is written at once with order {@code B}
 * (pipelined, or joined with the node's other direct sends into one SEND_MANY call by {@link RedisSendBatches},
 * which keeps their order; {@code unanswered} counts it). The SEND script answers {@code {FULL, BLOCK}} when the inbox is
 * full, and then also sets the barrier {@code P barrier:<node>:<recipient>}; while the barrier stands it
 * answers {@code {FULL, BLOCK}} to every later {@code B} send of this node to that recipient, whether or not
 * there is room. Answers come in the order written (one connection), so the sends answered FULL join the
 * lane's {@code blocked} queue in call order; from the first of them on, new sends to that recipient join
 * the lane's {@code queued} queue instead of being written. The lane's one retrier takes the head (blocked
 * first, then queued once no direct send is unanswered: a direct send written before the lane formed
 * precedes every queued one) and runs it with order {@code P} ("pass": the script deletes the barrier, then
 * acts as an ordinary send, setting the barrier again if the inbox is still full), pausing from 20 µs
 * doubling to 5 ms between tries; only then the next. When both queues are empty <i>and no direct send is
 * unanswered</i> the retrier ends and the node writes directly again: a direct send written before the last
 * pass may still come back FULL and join the lane, and a send written directly after the pass deleted the
 * barrier would overtake it (ADR 0077 found this under load: {@code 4, 324, 5}); so the lane stays stalled,
 * queuing new sends, until those answers are in. A direct send decided before the lane formed but written after a pass is still behind every message
 * its thread sent earlier, so it may be appended or join the lane; either keeps call order.
 *
 * <p><b>Bounds.</b> An asynchronous send holds its place among {@link RedisMessenger#MAX_IN_FLIGHT} from
 * {@code sendAsync} until its future completes, so a lane holds at most that many asynchronous messages
 * (plus one per thread blocked in {@code send}); a sender past that waits in {@code sendAsync}. The barrier
 * has the node's ttl, refreshed by each try that finds the inbox full: a dead node's barrier expires with it.
 * Other nodes' sends never look at it: they meet only the inbox's own fullness.
 *
 * <p><b>Threads.</b> While no lane is stalled a send takes no lock: it counts itself in its lane's atomic
 * {@code unanswered}, reads the volatile {@code stalled} and writes; its answer (on the Redis client's I/O
 * thread) decrements the count. Forming, feeding and draining a lane happen inside {@code lanes.compute}
 * for its recipient (the map's bin lock); a sender that counted itself before the lane stalled is a direct
 * send the retrier waits for ({@code unanswered}, sequentially consistent with {@code stalled}). Idle lanes
 * stay in the map until it grows past 1,024 (then twice its size after the last pruning), when they are
 * removed; a pruner sets {@code removed} before it reads {@code unanswered} and a sender reads
 * {@code removed} after it incremented {@code unanswered}, so a lane is never removed under a send it counts.
 * The I/O thread never waits; tries and pauses happen on the lane's virtual thread.
 */
final class RedisSendLanes {
    private static final long FIRST_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final int MIN_PRUNE_AT = 1024;

    private final RedisMessenger messenger;
    private final RedisMessengerSender sender;
    private final RedisSendBatches batches;
    private final ConcurrentHashMap<AgentId, Lane> lanes = new ConcurrentHashMap<>();
    /** Recipients whose barrier this node may have left standing (set by a FULL answer, not yet passed). */
    private final Set<AgentId> barriers = ConcurrentHashMap.newKeySet();
    /** The map's size past which idle lanes are removed (written by any sender; a lost update only delays it). */
    private volatile int pruneAt = MIN_PRUNE_AT;

    RedisSendLanes(RedisMessenger messenger, RedisMessengerSender sender) {
        this.messenger = messenger;
        this.sender = sender;
        this.batches = new RedisSendBatches(messenger);
    }

    /** The node's direct sends, joined into SEND_MANY calls while earlier ones are unanswered (ADR 0077). */
    RedisSendBatches batches() {
        return batches;
    }

    /**
     * One recipient's lane. {@code unanswered} is atomic and {@code stalled}, {@code removed} and
     * {@code retrier} are volatile so that the common path (no lane stalled) takes no lock; the queues,
     * {@code current} and every write of the volatile fields happen inside {@code lanes.compute}.
     */
    private static final class Lane {
        final AtomicInteger unanswered = new AtomicInteger();
        volatile boolean stalled;
        volatile boolean removed;
        volatile Thread retrier;
        final ArrayDeque<RedisMessengerSender.Send> blocked = new ArrayDeque<>();
        final ArrayDeque<RedisMessengerSender.Send> queued = new ArrayDeque<>();
        RedisMessengerSender.Send current;

        /**
         * Stalled while the lane holds a message or its retrier runs: the retrier ends only once no direct send
         * is unanswered, since a direct send written before its last pass may still come back FULL (ADR 0077).
         */
        void restall() {
            stalled = retrier != null || current != null || !blocked.isEmpty() || !queued.isEmpty();
        }

        boolean busy() {
            return stalled || retrier != null || unanswered.get() != 0;
        }
    }

    /**
     * Writes {@code send} now, or queues it behind the messages its recipient's lane holds. Lock-free while
     * the lane is not stalled: count the send unanswered, then read {@code stalled} and {@code removed}
     * (a pruner sets {@code removed} before it reads {@code unanswered}, so one of the two sees the other).
     */
    void submit(RedisMessengerSender.Send send) {
        AgentId to = send.to();
        while (true) {
            Lane lane = lanes.get(to);
            if (lane == null) {
                lane = lanes.computeIfAbsent(to, key -> new Lane());
                pruneIfLarge();
            }
            lane.unanswered.incrementAndGet();
            if (lane.removed) {
                lane.unanswered.decrementAndGet();
                continue;
            }
            if (!lane.stalled) {
                write(send, lane);
                return;
            }
            lane.unanswered.decrementAndGet();
            Lane seen = lane;
            int[] next = {0}; // 0: lane replaced, try again; 1: queued; 2: write
            lanes.compute(to, (key, current) -> {
                if (current != seen) {
                    return current;
                }
                if (seen.stalled) {
                    seen.queued.add(send);
                    next[0] = 1;
                } else {
                    seen.unanswered.incrementAndGet();
                    next[0] = 2;
                }
                return seen;
            });
            if (next[0] == 2) {
                write(send, seen);
            }
            if (next[0] != 0) {
                return;
            }
        }
    }

    private void write(RedisMessengerSender.Send send, Lane lane) {
        batches.submit(send, (answer, error) -> answered(send, lane, answer, error));
    }

    /** The answer to a direct send, on the I/O thread: finishes it, or puts it in its lane when FULL under BLOCK. */
    private void answered(RedisMessengerSender.Send send, Lane lane, List<Object> answer, Throwable error) {
        if (error != null || !fullUnderBlock(answer) || send.cancelled().get()) {
            if (lane.unanswered.decrementAndGet() == 0 && lane.stalled) {
                LockSupport.unpark(lane.retrier); // it may wait to try a queued message
            }
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
        // the lane is still in the map: it counts this send unanswered, and only a lane with none is pruned
        lanes.compute(send.to(), (to, current) -> {
            lane.blocked.add(send);
            lane.stalled = true;
            lane.unanswered.decrementAndGet();
            if (lane.retrier == null) {
                lane.retrier = Thread.ofVirtual().name("colony-redis-send-lane").unstarted(() -> drain(to, lane));
                start[0] = lane.retrier;
            }
            return lane;
        });
        if (start[0] != null) {
            start[0].start();
        }
    }

    /** Removes idle lanes once the map has grown past twice its size after the last pruning (at least 1,024). */
    private void pruneIfLarge() {
        if (lanes.size() <= pruneAt) {
            return;
        }
        for (AgentId to : lanes.keySet()) {
            lanes.computeIfPresent(to, (key, lane) -> {
                if (lane.stalled || lane.retrier != null) {
                    return lane;
                }
                lane.removed = true; // before reading unanswered: pairs with submit's increment-then-read
                if (lane.unanswered.get() != 0) {
                    lane.removed = false;
                    return lane;
                }
                return null;
            });
        }
        pruneAt = Math.max(MIN_PRUNE_AT, 2 * lanes.size());
    }

    static boolean fullUnderBlock(List<Object> answer) {
        return answer.size() > 1
                && "FULL".equals(RedisMessengerScripts.status(answer))
                && "BLOCK".equals(RedisMessengerScripts.text(answer.get(1)));
    }

    /** The lane's retrier: tries its head until answered for good, then the next, until the lane is empty. */
    private void drain(AgentId to, Lane lane) {
        boolean kept = false; // the last pass kept the barrier: delete it before the lane ends
        while (true) {
            RedisMessengerSender.Send[] head = {null};
            boolean[] wasBlocked = {false};
            boolean[] keep = {false};
            boolean[] done = {false};
            boolean clear = kept;
            lanes.compute(to, (key, current) -> {
                if (!lane.blocked.isEmpty()) {
                    head[0] = lane.blocked.poll();
                    wasBlocked[0] = true;
                } else if (lane.queued.isEmpty()) {
                    if (lane.unanswered.get() == 0 && !clear) {
                        lane.retrier = null;
                        done[0] = true;
                    } // else direct sends written before the last pass may yet join: wait for their answers
                } else if (lane.unanswered.get() == 0) {
                    head[0] = lane.queued.poll();
                }
                // a pass that leaves others behind keeps the barrier, so that no direct send overtakes them
                keep[0] = head[0] != null
                        && (!lane.blocked.isEmpty() || !lane.queued.isEmpty() || lane.unanswered.get() != 0);
                lane.current = head[0];
                lane.restall();
                return lane;
            });
            if (done[0]) {
                return;
            }
            if (head[0] == null) {
                if (clear && lane.unanswered.get() == 0) {
                    deleteBarrier(to); // still stalled: no direct send meets the barrier's absence early
                    kept = false;
                } else { // queued messages wait for the direct sends written before them
                    LockSupport.parkNanos(FIRST_PAUSE_NANOS);
                }
                continue;
            }
            RedisMessengerSender.Send send = head[0];
            SendOutcome outcome = pass(send, wasBlocked[0], keep[0]);
            kept = keep[0] || (kept && barriers.contains(to)); // a P answered other than FULL deleted it
            lanes.compute(to, (key, current) -> {
                lane.current = null;
                lane.restall();
                return lane;
            });
            send.finish(outcome);
        }
    }

    /** Deletes this node's barrier for {@code to} (when Redis fails, it expires with the node's ttl). */
    private void deleteBarrier(AgentId to) {
        try {
            RedisMessengerScripts.await(messenger.redis.del(barrierKey(to)));
            barriers.remove(to);
        } catch (RuntimeException e) {
            messenger.countFailure();
        }
    }

    /**
     * Runs {@code send} with order P (or K: pass and keep the barrier) until it is answered other than FULL;
     * pauses first when it was answered FULL.
     */
    private SendOutcome pass(RedisMessengerSender.Send send, boolean pauseFirst, boolean keep) {
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
                answer = RedisMessengerScripts.await(send.pass(messenger, keep));
            } catch (RuntimeException e) {
                return sender.failed(send, e);
            }
            if (!"FULL".equals(RedisMessengerScripts.status(answer))) {
                if (!keep) {
                    barriers.remove(send.to());
                }
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
            lane.restall();
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
        while (lanes.values().stream().anyMatch(Lane::busy) && System.nanoTime() < deadlineNanos) {
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

    /** Lanes with messages, a retrier or unanswered sends (tests). */
    long busy() {
        return lanes.values().stream().filter(Lane::busy).count();
    }
}
