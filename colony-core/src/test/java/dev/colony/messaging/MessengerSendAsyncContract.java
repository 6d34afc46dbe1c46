package dev.colony.messaging;

import static dev.colony.bus.BusTesting.eventually;
import static dev.colony.bus.BusTesting.join;
import static dev.colony.messaging.MessengerFixture.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.bus.BusTesting;
import dev.colony.bus.OverflowPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Part of {@link MessengerContract}: {@link Messenger#sendAsync}, several messages in flight per sender.
 * Its outcomes and dead letters are {@code send}'s, each sender's messages arrive in call order, and counts
 * are exact.
 */
public interface MessengerSendAsyncContract extends MessengerFixture {
    int ASYNC_SENDERS = 8;
    int ASYNC_PER_SENDER = 1_000;

    /** A message's identity: who sent it and its sequence number. */
    record Numbered(int sender, int seq) {}

    /** The outcome, failing the test if the future failed or did not complete in time. */
    static SendOutcome outcomeOf(CompletableFuture<SendOutcome> future) throws Exception {
        return future.get(BusTesting.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    default void sendAsync_oneSenderManyInFlight_deliveredInCallOrder() throws Exception {
        Messenger messenger = messenger();
        List<Object> received = new CopyOnWriteArrayList<>();
        int count = 2_000;
        // room for all: a message that waits for room under BLOCK may be overtaken (Messenger#sendAsync)
        messenger.open(BOB, InboxOptions.defaults().withCapacity(count)).attach(m -> received.add(m.payload()));

        List<CompletableFuture<SendOutcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            outcomes.add(messenger.sendAsync(message(ALICE, BOB, i)));
        }

        for (CompletableFuture<SendOutcome> outcome : outcomes) {
            assertThat(outcomeOf(outcome)).isEqualTo(SendOutcome.DELIVERED);
        }
        eventually().until(() -> received.size() == count);
        for (int i = 0; i < count; i++) {
            assertThat(received.get(i)).isEqualTo(i);
        }
    }

    @ParameterizedTest(name = "marshal={0}")
    @ValueSource(booleans = {false, true})
    default void sendAsync_manySendersManyInFlight_exactlyOnceInSenderOrder(boolean marshal) throws Exception {
        Messenger messenger = messenger(Messenger.builder().marshalEverySend(marshal));
        Map<Numbered, Boolean> handled = new ConcurrentHashMap<>();
        int[] next = new int[ASYNC_SENDERS];
        AtomicInteger duplicates = new AtomicInteger();
        AtomicInteger outOfOrder = new AtomicInteger();
        InboxOptions options = InboxOptions.defaults() // room for all, as above
                .withCapacity(ASYNC_SENDERS * ASYNC_PER_SENDER)
                .withPayloadType(Numbered.class);
        messenger.open(BOB, options).attach(m -> {
            Numbered n = m.payload(Numbered.class);
            if (handled.put(n, Boolean.TRUE) != null) {
                duplicates.incrementAndGet();
            }
            if (next[n.sender()]++ != n.seq()) { // one inbox thread: no race on the array
                outOfOrder.incrementAndGet();
            }
        });
        AtomicInteger notDelivered = new AtomicInteger();
        List<Thread> senders = new ArrayList<>();
        for (int s = 0; s < ASYNC_SENDERS; s++) {
            int sender = s;
            AgentId from = AgentId.of("s" + s);
            senders.add(Thread.ofVirtual().start(() -> {
                List<CompletableFuture<SendOutcome>> outcomes = new ArrayList<>();
                for (int i = 0; i < ASYNC_PER_SENDER; i++) {
                    outcomes.add(messenger.sendAsync(message(from, BOB, new Numbered(sender, i))));
                }
                for (CompletableFuture<SendOutcome> outcome : outcomes) {
                    if (outcome.join() != SendOutcome.DELIVERED) {
                        notDelivered.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread sender : senders) {
            join(sender);
        }

        int total = ASYNC_SENDERS * ASYNC_PER_SENDER;
        eventually().until(() -> handled.size() == total);
        assertThat(notDelivered).hasValue(0);
        assertThat(duplicates).hasValue(0);
        assertThat(outOfOrder).hasValue(0);
        assertThat(next).containsOnly(ASYNC_PER_SENDER);
        MessengerMetrics metrics = messenger.metrics();
        assertThat(metrics.sent()).isEqualTo(total);
        assertThat(metrics.deadLettered()).isZero();
    }

    @Test
    default void sendAsync_manyInFlightToSmallBlockingInbox_everyMessageDeliveredOnce() throws Exception {
        Messenger messenger = messenger();
        Map<Object, Boolean> handled = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        messenger.open(BOB, InboxOptions.defaults().withCapacity(4)).attach(m -> {
            if (handled.put(m.payload(), Boolean.TRUE) != null) {
                duplicates.incrementAndGet();
            }
        });
        int count = 500;
        AtomicInteger notDelivered = new AtomicInteger();
        // the embedded messenger waits in sendAsync itself under BLOCK: a thread of its own, joined with a bound
        Thread sender = Thread.ofVirtual().start(() -> {
            List<CompletableFuture<SendOutcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                outcomes.add(messenger.sendAsync(message(ALICE, BOB, i)));
            }
            for (CompletableFuture<SendOutcome> outcome : outcomes) {
                if (outcome.join() != SendOutcome.DELIVERED) {
                    notDelivered.incrementAndGet();
                }
            }
        });
        join(sender);

        eventually().until(() -> handled.size() == count);
        assertThat(notDelivered).hasValue(0);
        assertThat(duplicates).hasValue(0);
        assertThat(messenger.deadLetters().size()).isZero();
    }

    @Test
    default void sendAsync_unknownRecipient_noSuchAgentAndTheSameDeadLetterAsSend() throws Exception {
        Messenger messenger = messenger();
        Envelope lost = message(ALICE, CAROL, "anyone?");

        assertThat(outcomeOf(messenger.sendAsync(lost))).isEqualTo(SendOutcome.NO_SUCH_AGENT);

        DeadLetter letter = messenger.deadLetters().poll();
        assertThat(letter.envelope()).isEqualTo(lost);
        assertThat(letter.recipient()).isEqualTo(CAROL);
        assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.NO_SUCH_AGENT);
        assertThat(letter.detail()).contains("carol");
        assertThat(messenger.metrics().deadLettered()).isEqualTo(1);
    }

    @Test
    default void sendAsync_fullInboxFailPolicy_mailboxFullNothingQueuedTouched() throws Exception {
        Messenger messenger = messenger();
        Inbox inbox =
                messenger.open(BOB, InboxOptions.defaults().withCapacity(2).withOverflow(OverflowPolicy.FAIL));
        CompletableFuture<SendOutcome> first = messenger.sendAsync(message(ALICE, BOB, 1));
        CompletableFuture<SendOutcome> second = messenger.sendAsync(message(ALICE, BOB, 2));
        CompletableFuture<SendOutcome> third = messenger.sendAsync(message(ALICE, BOB, 3));

        assertThat(outcomeOf(first)).isEqualTo(SendOutcome.DELIVERED);
        assertThat(outcomeOf(second)).isEqualTo(SendOutcome.DELIVERED);
        assertThat(outcomeOf(third)).isEqualTo(SendOutcome.MAILBOX_FULL);
        assertThat(inbox.size()).isEqualTo(2);
        DeadLetter letter = messenger.deadLetters().poll();
        assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.MAILBOX_FULL);
        assertThat(letter.envelope().payload()).isEqualTo(3);
        assertThat(messenger.deadLetters().poll()).isNull();
    }

    @Test
    default void sendAsync_fullInboxBlockPolicy_completesDeliveredOnceThereIsRoom() throws Exception {
        Messenger messenger = messenger();
        Inbox inbox = messenger.open(BOB, InboxOptions.defaults().withCapacity(1));
        assertThat(outcomeOf(messenger.sendAsync(message(ALICE, BOB, 1)))).isEqualTo(SendOutcome.DELIVERED);
        AtomicReference<SendOutcome> waited = new AtomicReference<>();
        // the embedded messenger waits in sendAsync itself under BLOCK, so the sender has a thread of its own
        Thread sender = Thread.ofVirtual()
                .start(() ->
                        waited.set(messenger.sendAsync(message(ALICE, BOB, 2)).join()));

        List<Object> received = new CopyOnWriteArrayList<>();
        inbox.attach(m -> received.add(m.payload()));

        join(sender);
        assertThat(waited.get()).isEqualTo(SendOutcome.DELIVERED);
        eventually().until(() -> received.size() == 2);
        assertThat(received).containsExactly(1, 2);
    }

    @Test
    default void sendAsync_noRecipientOrNull_refusedAsProgrammingErrorLikeSend() {
        Messenger messenger = messenger();
        assertThatThrownBy(() -> messenger.sendAsync(message(ALICE, null, "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no recipient");
        assertThatThrownBy(() -> messenger.sendAsync(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    default void sendAsync_tooLargeWhenMarshalled_rejectedBeforeAnythingIsSent() throws Exception {
        Messenger messenger =
                messenger(Messenger.builder().marshalEverySend(true).codec(JsonMessageCodec.create(1_000)));
        List<Object> received = new CopyOnWriteArrayList<>();
        messenger.open(BOB).attach(m -> received.add(m.payload()));

        CompletableFuture<SendOutcome> outcome = messenger.sendAsync(message(ALICE, BOB, "x".repeat(2_000)));

        assertThat(outcome).isDone();
        assertThat(outcome.join()).isEqualTo(SendOutcome.REJECTED);
        assertThat(messenger.deadLetters().poll().reason()).isEqualTo(DeadLetter.Reason.TOO_LARGE);
        assertThat(outcomeOf(messenger.sendAsync(message(ALICE, BOB, "small")))).isEqualTo(SendOutcome.DELIVERED);
        eventually().until(() -> received.size() == 1);
        assertThat(received).containsExactly("small");
    }

    @Test
    default void sendAsync_pastDeadline_expiredAtOnceAndDeadLetter() {
        Messenger messenger = messenger();
        collect(messenger, BOB);
        Envelope stale = message(ALICE, BOB, "late").withDeadline(Instant.now().minusSeconds(1));

        CompletableFuture<SendOutcome> outcome = messenger.sendAsync(stale);

        assertThat(outcome).isDone();
        assertThat(outcome.join()).isEqualTo(SendOutcome.EXPIRED);
        assertThat(messenger.deadLetters().poll().reason()).isEqualTo(DeadLetter.Reason.EXPIRED);
    }
}
