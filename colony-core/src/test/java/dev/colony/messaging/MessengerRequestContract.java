package dev.colony.messaging;

import static dev.colony.bus.BusTesting.eventually;
import static dev.colony.messaging.MessengerFixture.failureOf;
import static dev.colony.messaging.MessengerFixture.message;
import static dev.colony.messaging.MessengerFixture.next;
import static dev.colony.messaging.MessengerFixture.replyOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Part of {@link MessengerContract}: request/reply. Every request completes exactly once, with the reply
 * or a {@link ReplyFailure}, and leaves nothing behind.
 */
public interface MessengerRequestContract extends MessengerFixture {
    Duration PATIENT = Duration.ofSeconds(30);

    /** Bob answers every request with its payload in upper case. */
    private static void echo(Messenger messenger) {
        messenger
                .open(BOB)
                .attach(m -> messenger.reply(m, m.payload().toString().toUpperCase()));
    }

    @Test
    default void request_recipientReplies_futureCompletesWithTheReply() throws Exception {
        Messenger messenger = messenger();
        echo(messenger);
        Envelope question = message(ALICE, BOB, "ping");

        Envelope reply = replyOf(messenger.request(question, PATIENT));

        assertThat(reply.payload()).isEqualTo("PING");
        assertThat(reply.source()).isEqualTo(BOB);
        assertThat(reply.recipient()).isEqualTo(ALICE);
        assertThat(reply.correlationId()).isEqualTo(question.id());
        assertThat(reply.type()).isEqualTo("test.message.reply");
        MessengerMetrics metrics = messenger.metrics();
        assertThat(metrics.pendingRequests()).isZero();
        assertThat(metrics.requestRoundTrip().count()).isEqualTo(1);
    }

    @Test
    default void request_handlerSeesCorrelationReplyToAndDeadline() throws Exception {
        Messenger messenger = messenger();
        BlockingQueue<Envelope> received = collect(messenger, BOB);
        Instant before = Instant.now();

        messenger.request(message(ALICE, BOB, "?").withCorrelationId("c-1"), Duration.ofMinutes(1));

        Envelope request = next(received);
        assertThat(request.correlationId()).isEqualTo("c-1");
        assertThat(request.replyTo()).isEqualTo(ALICE);
        assertThat(request.deadline()).isAfterOrEqualTo(before.plus(Duration.ofMinutes(1)));
    }

    @Test
    default void request_noRecipient_failsAtOnce() throws Exception {
        Messenger messenger = messenger();

        CompletableFuture<Envelope> reply = messenger.request(message(ALICE, CAROL, "?"), PATIENT);

        assertThat(reply).isDone();
        assertThat(failureOf(reply).failure()).isEqualTo(ReplyFailure.NO_RECIPIENT);
        assertThat(messenger.metrics().pendingRequests()).isZero();
    }

    @Test
    default void request_noReply_timesOut() throws Exception {
        Messenger messenger = messenger();
        messenger.open(BOB).attach(m -> {}); // never answers

        ReplyException failure = failureOf(messenger.request(message(ALICE, BOB, "?"), SHORT));

        assertThat(failure.failure()).isEqualTo(ReplyFailure.TIMEOUT);
        assertThat(messenger.metrics().timedOut()).isEqualTo(1);
        assertThat(messenger.metrics().pendingRequests()).isZero();
    }

    @Test
    default void request_handlerThrows_recipientFailureWithItsMessage() throws Exception {
        Messenger messenger = messenger();
        messenger.open(BOB).attach(m -> {
            throw new IllegalStateException("out of coffee");
        });

        ReplyException failure = failureOf(messenger.request(message(ALICE, BOB, "?"), PATIENT));

        assertThat(failure.failure()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
        assertThat(failure).hasMessageContaining("out of coffee");
        assertThat(messenger.metrics().failed()).isEqualTo(1);
    }

    @Test
    default void request_recipientClosesBeforeHandling_undelivered() throws Exception {
        Messenger messenger = messenger();
        Inbox inbox = messenger.open(BOB); // no handler: the request waits
        CompletableFuture<Envelope> reply = messenger.request(message(ALICE, BOB, "?"), PATIENT);

        inbox.close();

        assertThat(failureOf(reply).failure()).isEqualTo(ReplyFailure.UNDELIVERED);
        assertThat(messenger.metrics().pendingRequests()).isZero();
    }

    /**
     * A handler that holds messages for a reader elsewhere gives back those it cannot hand on: each becomes one
     * dead letter with the given reason, and a request among them fails at once.
     */
    @Test
    default void deadLetter_messagesAHandlerHeld_recordedOnceEachAndTheRequestUndelivered() throws Exception {
        Messenger messenger = messenger();
        BlockingQueue<Envelope> held = collect(messenger, BOB);
        CompletableFuture<Envelope> reply = messenger.request(message(ALICE, BOB, "?"), PATIENT);
        messenger.send(message(ALICE, BOB, "plain"));
        List<Envelope> taken = List.of(next(held), next(held));

        for (Envelope message : taken) {
            messenger.deadLetter(message, BOB, DeadLetter.Reason.RECIPIENT_CLOSED, "held, never acknowledged");
        }

        assertThat(failureOf(reply).failure()).isEqualTo(ReplyFailure.UNDELIVERED);
        List<DeadLetter> letters = messenger.deadLetters().drain();
        assertThat(letters).extracting(l -> l.envelope().payload()).containsExactlyInAnyOrder("?", "plain");
        assertThat(letters).allSatisfy(letter -> {
            assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.RECIPIENT_CLOSED);
            assertThat(letter.recipient()).isEqualTo(BOB);
            assertThat(letter.detail()).isEqualTo("held, never acknowledged");
        });
        eventually().until(() -> messenger.metrics().pendingRequests() == 0);
        assertThatThrownBy(() -> messenger.deadLetter(taken.getFirst(), BOB, null, "x"))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    default void request_messengerCloses_waitingRequestsClosed() throws Exception {
        Messenger messenger = messenger();
        messenger.open(BOB).attach(m -> {});
        CompletableFuture<Envelope> reply = messenger.request(message(ALICE, BOB, "?"), PATIENT);

        messenger.close();

        assertThat(failureOf(reply).failure()).isEqualTo(ReplyFailure.CLOSED);
        assertThat(failureOf(messenger.request(message(ALICE, BOB, "?"), PATIENT))
                        .failure())
                .isEqualTo(ReplyFailure.CLOSED);
    }

    @Test
    default void request_manyTimedOut_noCorrelationStateLeft() throws Exception {
        Messenger messenger = messenger();
        messenger.open(BOB).attach(m -> {});
        List<CompletableFuture<Envelope>> replies = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            replies.add(messenger.request(message(ALICE, BOB, i), Duration.ofMillis(1 + i % 20)));
        }

        for (CompletableFuture<Envelope> reply : replies) {
            assertThat(failureOf(reply).failure()).isEqualTo(ReplyFailure.TIMEOUT);
        }

        assertThat(messenger.metrics().pendingRequests()).isZero();
        assertThat(messenger.metrics().timedOut()).isEqualTo(2_000);
    }

    @Test
    default void reply_afterTimeout_goesToTheRequestersInboxAsALateReply() throws Exception {
        Messenger messenger = messenger();
        BlockingQueue<Envelope> aliceInbox = collect(messenger, ALICE);
        BlockingQueue<Envelope> bobInbox = collect(messenger, BOB);
        CompletableFuture<Envelope> reply = messenger.request(message(ALICE, BOB, "?"), SHORT);
        Envelope request = next(bobInbox);
        assertThat(failureOf(reply).failure()).isEqualTo(ReplyFailure.TIMEOUT);

        assertThat(messenger.reply(request, "too late")).isEqualTo(SendOutcome.DELIVERED);

        Envelope late = next(aliceInbox);
        assertThat(late.payload()).isEqualTo("too late");
        assertThat(late.correlationId()).isEqualTo(request.correlationId());
        assertThat(reply.isCompletedExceptionally()).isTrue();
    }

    @Test
    default void reply_racingItsTimeout_seenExactlyOnceByTheFutureOrAsALateReply() throws Exception {
        long seed = 20261208L;
        System.out.println("[reply-race] seed " + seed); // a reply sent as its 5 ms timeout fires
        Random random = new Random(seed);
        Messenger messenger = messenger();
        Set<Object> late = ConcurrentHashMap.newKeySet();
        messenger.open(ALICE).attach(m -> late.add(m.payload()));
        BlockingQueue<Envelope> requests = new LinkedBlockingQueue<>();
        messenger.open(BOB).attach(requests::add);
        int count = 1_000;
        List<CompletableFuture<Envelope>> replies = new ArrayList<>();
        Set<Object> answered = ConcurrentHashMap.newKeySet();
        List<Thread> repliers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            CompletableFuture<Envelope> reply = messenger.request(message(ALICE, BOB, i), Duration.ofMillis(5));
            replies.add(reply);
            Envelope request = requests.poll(10, TimeUnit.MILLISECONDS);
            while (request == null && !reply.isDone()) {
                request = requests.poll(10, TimeUnit.MILLISECONDS);
            }
            if (request == null) {
                continue; // expired in bob's inbox before his handler took it (or taken late: a later round's)
            }
            long delay = random.nextInt(10_000_000); // 0-10 ms: about half before the 5 ms timeout fires
            Envelope taken = request;
            repliers.add(Thread.ofVirtual().start(() -> {
                LockSupport.parkNanos(delay);
                answered.add(taken.payload());
                messenger.reply(taken, taken.payload());
            }));
        }
        for (Thread replier : repliers) {
            replier.join();
        }
        // a request bob answered: its reply completed the future or came to alice's inbox late, never both or
        // neither; a request that expired before bob's handler took it: timed out, and nothing came late
        int onTime = 0;
        for (int i = 0; i < count; i++) {
            CompletableFuture<Envelope> reply = replies.get(i);
            int n = i;
            eventually()
                    .until(() -> reply.isDone()
                            && (!reply.isCompletedExceptionally() || !answered.contains(n) || late.contains(n)));
            if (!reply.isCompletedExceptionally()) {
                assertThat(reply.join().payload()).isEqualTo(i);
                onTime++;
            }
            if (!reply.isCompletedExceptionally() || !answered.contains(i)) {
                assertThat(late).doesNotContain(i);
            }
        }
        System.out.println("[reply-race] " + answered.size() + " answered: " + onTime + " on time, " + late.size()
                + " late, of " + count);
        assertThat(onTime + late.size()).isEqualTo(answered.size());
    }

    @Test
    default void reply_twice_secondDoesNotChangeTheResult() throws Exception {
        Messenger messenger = messenger();
        CountDownLatch replied = new CountDownLatch(1);
        messenger.open(BOB).attach(m -> {
            messenger.reply(m, "first");
            messenger.reply(m, "second"); // alice has no inbox: a dead letter
            replied.countDown();
        });

        Envelope reply = replyOf(messenger.request(message(ALICE, BOB, "?"), PATIENT));

        assertThat(reply.payload()).isEqualTo("first");
        eventually().until(() -> messenger.deadLetters().total() == 1);
        assertThat(messenger.deadLetters().poll().envelope().payload()).isEqualTo("second");
    }

    @Test
    default void request_duplicateWaitingCorrelationId_refused() {
        Messenger messenger = messenger();
        messenger.open(BOB).attach(m -> {});
        messenger.request(message(ALICE, BOB, "?").withCorrelationId("same"), PATIENT);

        assertThatThrownBy(() -> messenger.request(message(ALICE, BOB, "?").withCorrelationId("same"), PATIENT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("same");
    }

    @Test
    default void request_badArguments_refused() {
        Messenger messenger = messenger();
        assertThatThrownBy(() -> messenger.request(message(ALICE, BOB, "?"), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout");
        assertThatThrownBy(() -> messenger.request(message(ALICE, null, "?"), PATIENT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> messenger.reply(message(ALICE, BOB, "no correlation"), "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("correlation");
    }
}
