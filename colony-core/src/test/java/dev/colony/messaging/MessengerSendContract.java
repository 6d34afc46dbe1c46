package dev.colony.messaging;

import static dev.colony.bus.BusTesting.awaitLatch;
import static dev.colony.bus.BusTesting.eventually;
import static dev.colony.bus.BusTesting.join;
import static dev.colony.messaging.MessengerFixture.message;
import static dev.colony.messaging.MessengerFixture.next;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.bus.OverflowPolicy;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Part of {@link MessengerContract}: sending to one agent, inboxes before and after a handler is
 * attached, every send outcome, dead letters, and closing.
 */
public interface MessengerSendContract extends MessengerFixture {

    @Test
    default void send_toAttachedInbox_deliveredAsTheSameEnvelope() throws Exception {
        Messenger messenger = messenger();
        BlockingQueue<Envelope> received = collect(messenger, BOB);
        Envelope hello = message(ALICE, BOB, "hello");

        assertThat(messenger.send(hello)).isEqualTo(SendOutcome.DELIVERED);

        Envelope got = next(received);
        assertThat(got).isEqualTo(hello);
        assertThat(got.payload()).isEqualTo("hello");
    }

    @Test
    default void inboxSize_openOrNot_countsTheWaitingMessagesOrIsEmpty() {
        Messenger messenger = messenger();
        assertThat(messenger.inboxSize(BOB)).isEmpty();
        Inbox inbox = messenger.open(BOB);
        assertThat(messenger.inboxSize(BOB)).hasValue(0);
        for (int i = 0; i < 3; i++) {
            assertThat(messenger.send(message(ALICE, BOB, i))).isEqualTo(SendOutcome.DELIVERED);
        }
        assertThat(messenger.inboxSize(BOB)).hasValue(3);
        assertThat(messenger.inboxSize(ALICE)).isEmpty();
        inbox.close();
        assertThat(messenger.inboxSize(BOB)).isEmpty();
    }

    @Test
    default void send_beforeAttach_keptInOrderAndDeliveredOnAttach() throws Exception {
        Messenger messenger = messenger();
        Inbox inbox = messenger.open(BOB);
        for (int i = 0; i < 5; i++) {
            assertThat(messenger.send(message(ALICE, BOB, i))).isEqualTo(SendOutcome.DELIVERED);
        }
        assertThat(inbox.size()).isEqualTo(5);

        List<Object> received = new CopyOnWriteArrayList<>();
        inbox.attach(m -> received.add(m.payload()));

        eventually().until(() -> received.size() == 5);
        assertThat(received).containsExactly(0, 1, 2, 3, 4);
        assertThat(inbox.size()).isZero();
    }

    @Test
    default void send_oneSenderManyMessages_orderKeptPerPair() throws Exception {
        Messenger messenger = messenger();
        BlockingQueue<Envelope> received =
                collect(messenger, BOB, InboxOptions.defaults().withCapacity(16));
        for (int i = 0; i < 2_000; i++) {
            assertThat(messenger.send(message(ALICE, BOB, i))).isEqualTo(SendOutcome.DELIVERED);
        }
        for (int i = 0; i < 2_000; i++) {
            assertThat(next(received).payload()).isEqualTo(i);
        }
    }

    @Test
    default void send_mixedPrioritiesWhileWaiting_higherPriorityFirst() {
        Messenger messenger = messenger();
        Inbox inbox = messenger.open(BOB);
        messenger.send(message(ALICE, BOB, "low").withPriority(1));
        messenger.send(message(ALICE, BOB, "high").withPriority(9));
        messenger.send(message(ALICE, BOB, "normal"));
        List<Object> received = new CopyOnWriteArrayList<>();

        inbox.attach(m -> received.add(m.payload()));

        eventually().until(() -> received.size() == 3);
        assertThat(received).containsExactly("high", "normal", "low");
    }

    @Test
    default void send_unknownRecipient_noSuchAgentAndDeadLetter() {
        Messenger messenger = messenger();
        Envelope lost = message(ALICE, CAROL, "anyone?");

        assertThat(messenger.send(lost)).isEqualTo(SendOutcome.NO_SUCH_AGENT);

        DeadLetter letter = messenger.deadLetters().poll();
        assertThat(letter.envelope()).isEqualTo(lost);
        assertThat(letter.recipient()).isEqualTo(CAROL);
        assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.NO_SUCH_AGENT);
        assertThat(letter.detail()).contains("carol");
        assertThat(messenger.metrics().deadLettered()).isEqualTo(1);
    }

    @Test
    default void send_noRecipient_refusedAsProgrammingError() {
        Messenger messenger = messenger();
        assertThatThrownBy(() -> messenger.send(message(ALICE, null, "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no recipient");
        assertThatThrownBy(() -> messenger.send(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    default void send_pastDeadline_expiredAndDeadLetter() {
        Messenger messenger = messenger();
        collect(messenger, BOB);
        Envelope stale = message(ALICE, BOB, "late").withDeadline(Instant.now().minusSeconds(1));

        assertThat(messenger.send(stale)).isEqualTo(SendOutcome.EXPIRED);

        assertThat(messenger.deadLetters().poll().reason()).isEqualTo(DeadLetter.Reason.EXPIRED);
    }

    @Test
    default void send_fullInboxFailPolicy_mailboxFullNothingQueuedTouched() {
        Messenger messenger = messenger();
        Inbox inbox =
                messenger.open(BOB, InboxOptions.defaults().withCapacity(2).withOverflow(OverflowPolicy.FAIL));
        messenger.send(message(ALICE, BOB, 1));
        messenger.send(message(ALICE, BOB, 2));

        assertThat(messenger.send(message(ALICE, BOB, 3))).isEqualTo(SendOutcome.MAILBOX_FULL);

        assertThat(inbox.size()).isEqualTo(2);
        DeadLetter letter = messenger.deadLetters().poll();
        assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.MAILBOX_FULL);
        assertThat(letter.envelope().payload()).isEqualTo(3);
    }

    @Test
    default void send_fullInboxDropNewest_newestRefused() {
        Messenger messenger = messenger();
        Inbox inbox =
                messenger.open(BOB, InboxOptions.defaults().withCapacity(2).withOverflow(OverflowPolicy.DROP_NEWEST));
        messenger.send(message(ALICE, BOB, 1));
        messenger.send(message(ALICE, BOB, 2));

        assertThat(messenger.send(message(ALICE, BOB, 3))).isEqualTo(SendOutcome.MAILBOX_FULL);

        List<Object> received = new CopyOnWriteArrayList<>();
        inbox.attach(m -> received.add(m.payload()));
        eventually().until(() -> received.size() == 2);
        assertThat(received).containsExactly(1, 2);
    }

    @Test
    default void send_fullInboxDropOldest_deliveredAndOldestEvictedToDeadLetters() {
        Messenger messenger = messenger();
        Inbox inbox =
                messenger.open(BOB, InboxOptions.defaults().withCapacity(2).withOverflow(OverflowPolicy.DROP_OLDEST));
        messenger.send(message(ALICE, BOB, 1));
        messenger.send(message(ALICE, BOB, 2));

        assertThat(messenger.send(message(ALICE, BOB, 3))).isEqualTo(SendOutcome.DELIVERED);

        DeadLetter evicted = messenger.deadLetters().poll();
        assertThat(evicted.reason()).isEqualTo(DeadLetter.Reason.EVICTED);
        assertThat(evicted.envelope().payload()).isEqualTo(1);
        List<Object> received = new CopyOnWriteArrayList<>();
        inbox.attach(m -> received.add(m.payload()));
        eventually().until(() -> received.size() == 2);
        assertThat(received).containsExactly(2, 3);
    }

    @Test
    default void send_fullInboxBlockPolicy_senderWaitsUntilThereIsRoom() throws Exception {
        Messenger messenger = messenger();
        Inbox inbox = messenger.open(BOB, InboxOptions.defaults().withCapacity(1));
        messenger.send(message(ALICE, BOB, 1));
        AtomicReference<SendOutcome> blocked = new AtomicReference<>();
        Thread sender = Thread.ofPlatform().start(() -> blocked.set(messenger.send(message(ALICE, BOB, 2))));
        eventually()
                .until(() ->
                        sender.getState() == Thread.State.WAITING || sender.getState() == Thread.State.TIMED_WAITING);
        assertThat(blocked.get()).isNull();

        List<Object> received = new CopyOnWriteArrayList<>();
        inbox.attach(m -> received.add(m.payload()));

        join(sender);
        assertThat(blocked.get()).isEqualTo(SendOutcome.DELIVERED);
        eventually().until(() -> received.size() == 2);
        assertThat(received).containsExactly(1, 2);
    }

    @Test
    default void send_toOwnFullBlockingInboxFromHandler_mailboxFullInsteadOfDeadlock() throws Exception {
        Messenger messenger = messenger();
        Inbox inbox = messenger.open(BOB, InboxOptions.defaults().withCapacity(1));
        List<SendOutcome> outcomes = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        inbox.attach(m -> {
            if (m.payload().equals("first")) {
                outcomes.add(messenger.send(message(BOB, BOB, "fills")));
                outcomes.add(messenger.send(message(BOB, BOB, "overflows")));
                done.countDown();
            }
        });

        messenger.send(message(ALICE, BOB, "first"));

        awaitLatch(done);
        assertThat(outcomes).containsExactly(SendOutcome.DELIVERED, SendOutcome.MAILBOX_FULL);
    }

    @Test
    default void handler_throws_inboxGoesOnAndFailureCountedAndReported() throws Exception {
        List<Messenger.HandlerFailure> failures = new CopyOnWriteArrayList<>();
        Messenger messenger = messenger(Messenger.builder().onHandlerFailure(failures::add));
        List<Object> handled = new CopyOnWriteArrayList<>();
        messenger.open(BOB).attach(m -> {
            if (m.payload().equals("bad")) {
                throw new IllegalStateException("cannot digest");
            }
            handled.add(m.payload());
        });

        messenger.send(message(ALICE, BOB, "bad"));
        messenger.send(message(ALICE, BOB, "good"));

        eventually().until(() -> handled.size() == 1);
        assertThat(handled).containsExactly("good");
        assertThat(failures).singleElement().satisfies(f -> {
            assertThat(f.agent()).isEqualTo(BOB);
            assertThat(f.message().payload()).isEqualTo("bad");
            assertThat(f.error()).hasMessage("cannot digest");
        });
        MessengerMetrics metrics = messenger.metrics();
        assertThat(metrics.failed()).isEqualTo(1);
        assertThat(metrics.delivered()).isEqualTo(1);
        assertThat(metrics.sent()).isEqualTo(2);
    }

    @Test
    default void open_sameIdTwice_refusedUntilClosed() {
        Messenger messenger = messenger();
        Inbox first = messenger.open(BOB);

        assertThatThrownBy(() -> messenger.open(BOB))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bob");

        first.close();
        assertThat(messenger.open(BOB).id()).isEqualTo(BOB);
    }

    @Test
    default void attach_twice_refused() {
        Messenger messenger = messenger();
        Inbox inbox = messenger.open(BOB);
        inbox.attach(m -> {});

        assertThatThrownBy(() -> inbox.attach(m -> {})).isInstanceOf(IllegalStateException.class);
    }

    @Test
    default void close_inboxWithQueuedMessages_deadLettersThemAndLaterSendsFindNoAgent() {
        Messenger messenger = messenger();
        Inbox inbox = messenger.open(BOB);
        messenger.send(message(ALICE, BOB, 1));
        messenger.send(message(ALICE, BOB, 2));

        inbox.close();
        inbox.close();

        assertThat(inbox.isClosed()).isTrue();
        List<DeadLetter> letters = messenger.deadLetters().drain();
        assertThat(letters).extracting(DeadLetter::reason).containsOnly(DeadLetter.Reason.RECIPIENT_CLOSED);
        assertThat(letters).extracting(l -> l.envelope().payload()).containsExactly(1, 2);
        assertThat(messenger.send(message(ALICE, BOB, 3))).isEqualTo(SendOutcome.NO_SUCH_AGENT);
        assertThatThrownBy(() -> inbox.attach(m -> {})).isInstanceOf(IllegalStateException.class);
    }

    @Test
    default void close_messenger_laterSendsRejectedAndOpenRefused() {
        Messenger messenger = messenger();
        Inbox inbox = messenger.open(BOB);

        messenger.close();
        messenger.close();

        assertThat(inbox.isClosed()).isTrue();
        assertThat(messenger.send(message(ALICE, BOB, "x"))).isEqualTo(SendOutcome.REJECTED);
        assertThatThrownBy(() -> messenger.open(CAROL)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    default void deadLetters_moreThanCapacity_keepsNewestAndCountsDiscarded() {
        Messenger messenger = messenger(Messenger.builder().deadLetterCapacity(3));
        for (int i = 0; i < 5; i++) {
            messenger.send(message(ALICE, CAROL, i));
        }

        DeadLetters letters = messenger.deadLetters();
        assertThat(letters.size()).isEqualTo(3);
        assertThat(letters.total()).isEqualTo(5);
        assertThat(letters.discarded()).isEqualTo(2);
        assertThat(letters.peekAll()).extracting(l -> l.envelope().payload()).containsExactly(2, 3, 4);
        assertThat(letters.drain()).hasSize(3);
        assertThat(letters.poll()).isNull();
        assertThat(letters.size()).isZero();
    }

    @Test
    default void builder_badSettings_refusedWithClearErrors() {
        assertThatThrownBy(() -> Messenger.builder().deadLetterCapacity(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deadLetterCapacity");
        assertThatThrownBy(() -> InboxOptions.defaults().withCapacity(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity");
        assertThatThrownBy(() -> InboxOptions.defaults().withRoles("no spaces"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no spaces");
    }
}
