package dev.colony.messaging;

import static dev.colony.bus.BusTesting.eventually;
import static dev.colony.messaging.MessengerFixture.failureOf;
import static dev.colony.messaging.MessengerFixture.message;
import static dev.colony.messaging.MessengerFixture.next;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
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
