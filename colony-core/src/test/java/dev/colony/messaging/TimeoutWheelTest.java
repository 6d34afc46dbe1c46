package dev.colony.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The timeout wheel of {@link PendingReplies}: on its own with chosen times, and under racing threads (ADR 0073). */
class TimeoutWheelTest {
    private static final AgentId ALICE = AgentId.of("alice");
    private static final AgentId BOB = AgentId.of("bob");

    private static PendingReplies.Waiting waiting(String id, Duration timeout) {
        return new PendingReplies.Waiting(id, id, ALICE, timeout);
    }

    @Test
    void sweep_deadlinesInThisAndLaterTurns_expiresEachOnlyOnceItsDeadlinePassed() {
        long start = System.nanoTime();
        TimeoutWheel wheel = new TimeoutWheel(start);
        PendingReplies.Waiting soon = waiting("soon", Duration.ofSeconds(1));
        PendingReplies.Waiting nextTurn = waiting("next-turn", Duration.ofMillis(2_600)); // a turn is 2.56 s
        PendingReplies.Waiting far = waiting("far", Duration.ofSeconds(10));
        PendingReplies.Waiting forever = waiting("forever", Duration.ofSeconds(Long.MAX_VALUE));
        List<String> expired = new ArrayList<>();
        for (PendingReplies.Waiting w : List.of(soon, nextTurn, far, forever)) {
            wheel.add(w, e -> expired.add("at add: " + e.correlationId));
        }
        assertThat(wheel.size()).isEqualTo(4);

        wheel.sweep(soon.deadlineNanos - Duration.ofMillis(100).toNanos(), e -> expired.add(e.correlationId));
        assertThat(expired).isEmpty();
        wheel.sweep(soon.deadlineNanos + TimeoutWheel.TICK_NANOS * 2, e -> expired.add(e.correlationId));
        assertThat(expired).containsExactly("soon");
        wheel.sweep(nextTurn.deadlineNanos + TimeoutWheel.TICK_NANOS * 2, e -> expired.add(e.correlationId));
        assertThat(expired).containsExactly("soon", "next-turn");
        wheel.sweep(far.deadlineNanos + TimeoutWheel.TICK_NANOS * 2, e -> expired.add(e.correlationId));
        assertThat(expired).containsExactly("soon", "next-turn", "far");
        assertThat(wheel.size()).isEqualTo(1);

        wheel.remove(forever);
        wheel.remove(forever);
        assertThat(wheel.size()).isZero();
    }

    @Test
    void add_deadlineInATickAlreadySwept_placedAheadOrExpiredAtOnce() {
        long start = System.nanoTime();
        TimeoutWheel wheel = new TimeoutWheel(start - Duration.ofSeconds(1).toNanos());
        wheel.sweep(start + Duration.ofSeconds(10).toNanos(), e -> {}); // the sweep runs ahead of these entries
        List<String> expired = new ArrayList<>();

        wheel.add(waiting("late", Duration.ofNanos(1)), e -> expired.add(e.correlationId));
        PendingReplies.Waiting pending = waiting("pending", Duration.ofSeconds(5));
        wheel.add(pending, e -> expired.add(e.correlationId));

        assertThat(expired).containsExactly("late"); // its deadline had passed: failed by the adding thread
        assertThat(wheel.size()).isEqualTo(1);
        wheel.sweep(start + Duration.ofMillis(10_020).toNanos(), e -> expired.add(e.correlationId));
        assertThat(expired).containsExactly("late", "pending");
    }

    @Test
    void add_requestClaimedBeforeItIsLinked_leavesNothing() {
        TimeoutWheel wheel = new TimeoutWheel(System.nanoTime());
        PendingReplies.Waiting w = waiting("done", Duration.ofHours(1));
        assertThat(w.claim()).isTrue();

        wheel.add(w, e -> {});

        assertThat(wheel.size()).isZero();
        assertThat(w.slot).isNull();
    }

    @Test
    void register_timeout_neverFailsBeforeItsDeadline() {
        PendingReplies replies = new PendingReplies("test-timer", InstantSource.system(), () -> false, id -> {});
        try {
            List<CompletableFuture<Long>> elapsed = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Duration timeout = Duration.ofMillis(1 + i);
                long start = System.nanoTime();
                elapsed.add(replies.register(Envelope.of(ALICE, BOB, "ask", i), timeout)
                        .reply()
                        .handle((reply, error) -> System.nanoTime() - start - timeout.toNanos()));
            }
            for (CompletableFuture<Long> late : elapsed) {
                assertThat(late.join()).isNotNegative();
            }
            assertThat(replies.timedOut()).isEqualTo(20);
            assertThat(replies.scheduledTimeouts()).isZero();
        } finally {
            replies.close();
        }
    }

    @Test
    void registerCompleteAndTimeOut_racingThreads_eachRequestCompletedExactlyOnce() throws Exception {
        long seed = 73_21L;
        System.out.println("[seed] TimeoutWheelTest.racing: seed=" + seed);
        AtomicInteger finished = new AtomicInteger();
        AtomicBoolean closed = new AtomicBoolean();
        PendingReplies replies =
                new PendingReplies("test-timer", InstantSource.system(), closed::get, id -> finished.incrementAndGet());
        int threads = 4;
        int perThread = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<CompletableFuture<Envelope>>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Random random = new Random(seed + t);
                results.add(pool.submit(() -> {
                    List<CompletableFuture<Envelope>> futures = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        boolean answered = random.nextInt(4) != 0;
                        Duration timeout = answered ? Duration.ofMinutes(5) : Duration.ofMillis(random.nextInt(20) + 1);
                        PendingReplies.Request request = replies.register(Envelope.of(ALICE, BOB, "ask", i), timeout);
                        futures.add(request.reply());
                        if (answered) {
                            Envelope reply = PendingReplies.reply(request.envelope(), "answer", i);
                            CompletableFuture.runAsync(() -> replies.complete(replies.waitingFor(reply), reply));
                        }
                    }
                    return futures;
                }));
            }
            List<CompletableFuture<Envelope>> all = new CopyOnWriteArrayList<>();
            for (Future<List<CompletableFuture<Envelope>>> result : results) {
                all.addAll(result.get(60, TimeUnit.SECONDS));
            }
            int timeouts = 0;
            for (CompletableFuture<Envelope> future : all) {
                try {
                    future.get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(ReplyException.class);
                    assertThat(((ReplyException) e.getCause()).failure()).isEqualTo(ReplyFailure.TIMEOUT);
                    timeouts++;
                }
            }
            assertThat(all).hasSize(threads * perThread);
            assertThat(replies.replied() + replies.timedOut()).isEqualTo(threads * perThread);
            assertThat(replies.timedOut()).isEqualTo(timeouts);
            assertThat(finished.get()).isEqualTo(threads * perThread);
            assertThat(replies.waiting()).isZero();
            assertThat(replies.scheduledTimeouts()).isZero();
        } finally {
            pool.shutdownNow();
            replies.close();
        }
    }
}
