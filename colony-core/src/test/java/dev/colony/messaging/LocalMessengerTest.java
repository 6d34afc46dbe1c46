package dev.colony.messaging;

import static dev.colony.bus.BusTesting.eventually;
import static dev.colony.messaging.MessengerFixture.failureOf;
import static dev.colony.messaging.MessengerFixture.message;
import static dev.colony.messaging.MessengerFixture.next;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The embedded messenger runs the whole contract, plus checks of its internals: timers and the clock. */
class LocalMessengerTest extends MessengerContract {

    @Override
    protected Messenger newMessenger(Messenger.Builder builder) {
        return builder.build();
    }

    @Test
    void request_answeredAndTimedOut_leaveNoTimerTaskBehind() throws Exception {
        LocalMessenger messenger = (LocalMessenger) messenger();
        messenger.open(BOB).attach(m -> {
            if (m.payload().equals("answer")) {
                messenger.reply(m, "ok");
            }
        });
        for (int i = 0; i < 500; i++) {
            messenger
                    .request(message(ALICE, BOB, "answer"), Duration.ofHours(1))
                    .join();
        }
        assertThat(messenger.scheduledTimeouts()).isZero();

        CompletableFuture<Envelope> ignored = messenger.request(message(ALICE, BOB, "ignore"), SHORT);
        assertThat(failureOf(ignored).failure()).isEqualTo(ReplyFailure.TIMEOUT);
        eventually().until(() -> messenger.scheduledTimeouts() == 0);
        assertThat(messenger.metrics().pendingRequests()).isZero();
    }

    @Test
    void reply_racingItsTimeout_seenExactlyOnceByTheFutureOrAsALateReply() throws Exception {
        long seed = 20261208L;
        System.out.println("[reply-race] seed " + seed);
        Random random = new Random(seed);
        LocalMessenger messenger = (LocalMessenger) messenger();
        Set<Object> late = ConcurrentHashMap.newKeySet();
        messenger.open(ALICE).attach(m -> late.add(m.payload()));
        BlockingQueue<Envelope> requests = new LinkedBlockingQueue<>();
        messenger.open(BOB).attach(requests::add);
        int count = 2_000;
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
    void handle_deadlinePassesWhileQueued_expiredDeadLetterNotHandled() throws Exception {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-27T10:00:00Z"));
        InstantSource clock = now::get;
        Messenger messenger = messenger(Messenger.builder().clock(clock));
        Inbox inbox = messenger.open(BOB);
        messenger.send(message(ALICE, BOB, "stale").withDeadline(now.get().plusSeconds(1)));
        messenger.send(message(ALICE, BOB, "fresh"));
        now.set(now.get().plusSeconds(2));
        BlockingQueue<Envelope> received = new LinkedBlockingQueue<>();

        inbox.attach(received::add);

        assertThat(next(received).payload()).isEqualTo("fresh");
        List<DeadLetter> letters = messenger.deadLetters().drain();
        assertThat(letters).singleElement().satisfies(l -> {
            assertThat(l.reason()).isEqualTo(DeadLetter.Reason.EXPIRED);
            assertThat(l.envelope().payload()).isEqualTo("stale");
        });
    }
}
