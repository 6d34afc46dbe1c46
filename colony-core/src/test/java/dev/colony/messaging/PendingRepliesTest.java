package dev.colony.messaging;

import static dev.colony.bus.BusTesting.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The table of waiting requests on its own: registration, each way of completing, exactly once. */
class PendingRepliesTest {
    private static final AgentId ALICE = AgentId.of("alice");
    private static final AgentId BOB = AgentId.of("bob");
    private static final Duration LONG = Duration.ofHours(1);

    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<String> finished = new CopyOnWriteArrayList<>();
    private final PendingReplies replies =
            new PendingReplies("test-timer", InstantSource.system(), closed::get, finished::add);

    @AfterEach
    void close() {
        replies.close();
    }

    private static ReplyFailure failureOf(CompletableFuture<Envelope> future) {
        Throwable error = org.assertj.core.api.Assertions.catchThrowable(future::join);
        assertThat(error).isInstanceOf(CompletionException.class).hasCauseInstanceOf(ReplyException.class);
        return ((ReplyException) error.getCause()).failure();
    }

    @Test
    void sweep_idleTable_stopsAndARequestStartsItAgainAndTimesOut() {
        assertThat(replies.sweeping())
                .as("no request yet: the timer thread has nothing to sweep")
                .isFalse();
        CompletableFuture<Envelope> first = replies.register(Envelope.of(ALICE, BOB, "ask", 1), Duration.ofMillis(20))
                .reply();
        assertThat(replies.sweeping()).isTrue();
        assertThat(failureOf(first)).isEqualTo(ReplyFailure.TIMEOUT);

        eventually().until(() -> !replies.sweeping()); // a second after the last waiting request

        CompletableFuture<Envelope> second = replies.register(Envelope.of(ALICE, BOB, "ask", 2), Duration.ofMillis(20))
                .reply();
        assertThat(failureOf(second)).isEqualTo(ReplyFailure.TIMEOUT);
        assertThat(replies.timedOut()).isEqualTo(2);
        assertThat(replies.scheduledTimeouts()).isZero();
    }

    @Test
    void register_message_setsCorrelationReplyToAndDeadline() {
        Envelope message = Envelope.of(ALICE, BOB, "ask", "q");

        PendingReplies.Request request = replies.register(message, LONG);

        assertThat(request.refused()).isFalse();
        assertThat(request.envelope().correlationId()).isEqualTo(message.id());
        assertThat(request.envelope().replyTo()).isEqualTo(ALICE);
        assertThat(request.envelope().deadline()).isNotNull();
        assertThat(replies.waiting()).isEqualTo(1);
        assertThat(replies.scheduledTimeouts()).isEqualTo(1);
    }

    @Test
    void complete_reply_completesFutureOnceAndRunsHookBefore() {
        PendingReplies.Request request = replies.register(Envelope.of(ALICE, BOB, "ask", "q"), LONG);
        Envelope reply = PendingReplies.reply(request.envelope(), "answer", "a");
        PendingReplies.Waiting waiting = replies.waitingFor(reply);

        assertThat(replies.complete(waiting, reply)).isTrue();
        assertThat(replies.complete(waiting, reply)).isFalse();
        assertThat(replies.fail(waiting, ReplyFailure.TIMEOUT, "late")).isFalse();

        assertThat(request.reply().join()).isSameAs(reply);
        assertThat(finished).containsExactly(request.envelope().correlationId());
        assertThat(replies.replied()).isEqualTo(1);
        assertThat(replies.waiting()).isZero();
        assertThat(replies.scheduledTimeouts()).isZero();
        assertThat(replies.roundTrip().count()).isEqualTo(1);
    }

    @Test
    void waitingFor_replyToOtherAgent_isNull() {
        PendingReplies.Request request = replies.register(Envelope.of(ALICE, BOB, "ask", "q"), LONG);
        Envelope toCarol = Envelope.of(BOB, AgentId.of("carol"), "answer", "a")
                .withCorrelationId(request.envelope().correlationId());

        assertThat(replies.waitingFor(toCarol)).isNull();
        assertThat(replies.waitingFor(Envelope.of(BOB, ALICE, "answer", "no correlation")))
                .isNull();
    }

    @Test
    void complete_failureReplies_failWithTheNamedFailure() {
        for (var kind : Map.of(
                        PendingReplies.RECIPIENT_FAILURE,
                        ReplyFailure.RECIPIENT_FAILURE,
                        PendingReplies.UNDELIVERED,
                        ReplyFailure.UNDELIVERED,
                        "no_recipient",
                        ReplyFailure.NO_RECIPIENT,
                        "timeout",
                        ReplyFailure.TIMEOUT,
                        "something new",
                        ReplyFailure.UNDELIVERED)
                .entrySet()) {
            PendingReplies.Request request = replies.register(Envelope.of(ALICE, BOB, "ask", "q"), LONG);
            Envelope failure = PendingReplies.failureReply(request.envelope(), kind.getKey(), "why");
            assertThat(failure.type()).isEqualTo(PendingReplies.FAILURE_TYPE);
            assertThat(PendingReplies.reportsUndelivered(failure))
                    .isEqualTo(kind.getKey().equals("undelivered"));

            replies.complete(replies.waitingFor(failure), failure);

            assertThat(failureOf(request.reply())).as(kind.getKey()).isEqualTo(kind.getValue());
        }
    }

    @Test
    void register_timeoutPasses_failsWithTimeoutAndLeavesNothing() {
        PendingReplies.Request request = replies.register(Envelope.of(ALICE, BOB, "ask", "q"), Duration.ofMillis(20));

        assertThat(failureOf(request.reply())).isEqualTo(ReplyFailure.TIMEOUT);
        eventually().until(() -> replies.scheduledTimeouts() == 0);
        assertThat(replies.timedOut()).isEqualTo(1);
        assertThat(replies.waiting()).isZero();
    }

    @Test
    void register_correlationIdStillWaiting_throwsAndKeepsTheFirst() {
        Envelope first = Envelope.of(ALICE, BOB, "ask", "q").withCorrelationId("c-1");
        replies.register(first, LONG);

        assertThatThrownBy(() ->
                        replies.register(Envelope.of(ALICE, BOB, "ask", "again").withCorrelationId("c-1"), LONG))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"c-1\"");
        assertThat(replies.waiting()).isEqualTo(1);
    }

    @Test
    void register_badArguments_throwNamingThem() {
        Envelope broadcast = Envelope.of(ALICE, null, "ask", "q");
        assertThatThrownBy(() -> replies.register(broadcast, LONG))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no recipient");
        assertThatThrownBy(() -> replies.register(Envelope.of(ALICE, BOB, "ask", "q"), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT0S");
        assertThat(replies.waiting()).isZero();
    }

    @Test
    void register_messengerClosed_refusedAndFailedClosed() {
        closed.set(true);

        PendingReplies.Request request = replies.register(Envelope.of(ALICE, BOB, "ask", "q"), LONG);

        assertThat(request.refused()).isTrue();
        assertThat(failureOf(request.reply())).isEqualTo(ReplyFailure.CLOSED);
        assertThat(replies.waiting()).isZero();
    }

    @Test
    void undelivered_theWaitingRequest_failsWithMappedReason() {
        PendingReplies.Request request = replies.register(Envelope.of(ALICE, BOB, "ask", "q"), LONG);

        assertThat(replies.undelivered(
                        Envelope.of(ALICE, BOB, "other", "x")
                                .withCorrelationId(request.envelope().correlationId()),
                        DeadLetter.Reason.NO_SUCH_AGENT,
                        "another message"))
                .isFalse();
        assertThat(replies.undelivered(request.envelope(), DeadLetter.Reason.NO_SUCH_AGENT, "no agent"))
                .isTrue();

        assertThat(failureOf(request.reply())).isEqualTo(ReplyFailure.NO_RECIPIENT);
    }

    @Test
    void close_requestsWaiting_allFailClosedAndTimerStops() {
        List<CompletableFuture<Envelope>> futures = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            futures.add(
                    replies.register(Envelope.of(ALICE, BOB, "ask", i), LONG).reply());
        }

        replies.close();
        replies.close();

        futures.forEach(f -> assertThat(failureOf(f)).isEqualTo(ReplyFailure.CLOSED));
        assertThat(replies.register(Envelope.of(ALICE, BOB, "ask", "late"), LONG)
                        .refused())
                .isTrue();
    }

    @Test
    void reply_requestWithoutCorrelationOrRecipient_throws() {
        assertThatThrownBy(() -> PendingReplies.reply(Envelope.of(ALICE, BOB, "t", "x"), "r", "p"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no correlation id");
        assertThatThrownBy(() ->
                        PendingReplies.reply(Envelope.of(ALICE, null, "t", "x").withCorrelationId("c"), "r", "p"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("broadcast");
    }

    @Test
    void completeAndFail_racingThreads_completeEachRequestExactlyOnce() throws Exception {
        int requests = 2_000;
        AtomicInteger wins = new AtomicInteger();
        for (int i = 0; i < requests; i++) {
            PendingReplies.Request request = replies.register(Envelope.of(ALICE, BOB, "ask", i), LONG);
            Envelope reply = PendingReplies.reply(request.envelope(), "answer", i);
            PendingReplies.Waiting waiting = replies.waitingFor(reply);
            CountDownLatch start = new CountDownLatch(1);
            Thread other = Thread.ofVirtual().start(() -> {
                awaitQuietly(start);
                if (replies.fail(waiting, ReplyFailure.UNDELIVERED, "raced")) {
                    wins.incrementAndGet();
                }
            });
            start.countDown();
            if (replies.complete(waiting, reply)) {
                wins.incrementAndGet();
            }
            other.join();
            assertThat(request.reply()).isDone();
        }
        assertThat(wins.get()).isEqualTo(requests);
        assertThat(finished).hasSize(requests);
        assertThat(replies.waiting()).isZero();
        assertThat(replies.scheduledTimeouts()).isZero();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
