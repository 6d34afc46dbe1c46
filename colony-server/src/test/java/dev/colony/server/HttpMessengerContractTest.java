package dev.colony.server;

import static dev.colony.bus.BusTesting.awaitLatch;
import static dev.colony.bus.BusTesting.eventually;
import static dev.colony.bus.BusTesting.join;
import static dev.colony.messaging.MessengerFixture.failureOf;
import static dev.colony.messaging.MessengerFixture.message;
import static dev.colony.messaging.MessengerFixture.next;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.Colony;
import dev.colony.bus.OverflowPolicy;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Audience;
import dev.colony.messaging.BroadcastResult;
import dev.colony.messaging.DeadLetter;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.Inbox;
import dev.colony.messaging.InboxOptions;
import dev.colony.messaging.Messenger;
import dev.colony.messaging.MessengerConcurrencyContract;
import dev.colony.messaging.MessengerContract;
import dev.colony.messaging.MessengerMarshalContract;
import dev.colony.messaging.MessengerSendAsyncContract;
import dev.colony.messaging.ReplyException;
import dev.colony.messaging.ReplyFailure;
import dev.colony.messaging.SendOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The messenger contract with every message crossing a server over an embedded colony: {@link HttpMessenger}
 * sends, requests and broadcasts through {@code /v1/messages}, and its inboxes are the server's, read by
 * long-poll. Each messenger has a server and a colony of its own. Where the contract cannot hold over HTTP the
 * test is overridden by its HTTP counterpart (listed in docs/serve.md, "The contracts through HTTP").
 *
 * <p>What differs over HTTP, and why so many counterparts: the server gives every message its id and time; an
 * HTTP inbox has one overflow policy (the unacknowledged messages up to its capacity, a batch in hand and as many
 * again waiting behind them, then {@code MAILBOX_FULL}: nothing dropped, nothing evicted, no sender held) and hands messages
 * out in arrival order by number; handlers run in the client, so the server never sees a handler fail; no
 * route takes codec bytes (a client posts JSON); request timeouts are capped at 25 s.
 */
class HttpMessengerContractTest extends MessengerContract {
    private static final Duration SHORT_REQUEST = Duration.ofMillis(500);

    /** The settings of the colony behind each server (embedded here). */
    Colony.Builder colony() {
        return Colony.builder();
    }

    @Override
    protected Messenger newMessenger(Messenger.Builder builder) {
        return new HttpMessenger(colony(), builder);
    }

    /** Sends 1, 2, ... to {@code to} until one is MAILBOX_FULL; how many were delivered before it. */
    private static int fillUntilFull(Messenger messenger, AgentId to) {
        for (int i = 1; i <= 1_000; i++) {
            SendOutcome outcome = messenger.send(message(ALICE, to, i));
            if (outcome == SendOutcome.MAILBOX_FULL) {
                return i - 1;
            }
            assertThat(outcome).isEqualTo(SendOutcome.DELIVERED);
        }
        throw new AssertionError("the inbox of " + to + " took 1,000 messages");
    }

    /** The envelope as the server made it from {@code sent}: the same but for the id and time it gave. */
    private static Envelope asServerMade(Envelope sent, Envelope got) {
        return sent.withId(got.id()).withTime(got.time());
    }

    /**
     * The server counts a message as unread in its colony inbox or in its buffer; one passing between the two
     * (taken by the inbox's thread, not yet buffered) is briefly in neither, so the count is awaited.
     */
    @Override
    @Test
    public void inboxSize_openOrNot_countsTheWaitingMessagesOrIsEmpty() {
        Messenger messenger = messenger();
        assertThat(messenger.inboxSize(BOB)).isEmpty();
        Inbox inbox = messenger.open(BOB);
        assertThat(messenger.inboxSize(BOB)).hasValue(0);
        for (int i = 0; i < 3; i++) {
            assertThat(messenger.send(message(ALICE, BOB, i))).isEqualTo(SendOutcome.DELIVERED);
        }
        eventually().until(() -> messenger.inboxSize(BOB).equals(java.util.OptionalInt.of(3)));
        assertThat(messenger.inboxSize(ALICE)).isEmpty();
        inbox.close();
        assertThat(messenger.inboxSize(BOB)).isEmpty();
    }

    /**
     * As the contract, but the two letters in either order: a message in passage from the Colony inbox to the
     * server's buffer at the moment of closing is dead-lettered after the ones still queued (HttpInbox's class
     * comment); every other message comes oldest first.
     */
    @Override
    @Test
    public void close_inboxWithQueuedMessages_deadLettersThemAndLaterSendsFindNoAgent() {
        Messenger messenger = messenger();
        Inbox inbox = messenger.open(BOB);
        messenger.send(message(ALICE, BOB, 1));
        messenger.send(message(ALICE, BOB, 2));

        inbox.close();
        inbox.close();

        assertThat(inbox.isClosed()).isTrue();
        List<DeadLetter> letters = messenger.deadLetters().drain();
        assertThat(letters).extracting(DeadLetter::reason).containsOnly(DeadLetter.Reason.RECIPIENT_CLOSED);
        assertThat(letters).extracting(l -> l.envelope().payload()).containsExactlyInAnyOrder(1, 2);
        assertThat(messenger.send(message(ALICE, BOB, 3))).isEqualTo(SendOutcome.NO_SUCH_AGENT);
        assertThatThrownBy(() -> inbox.attach(m -> {})).isInstanceOf(IllegalStateException.class);
    }

    /**
     * As the contract, but the count of five is awaited: one message passing from the colony inbox to the
     * server's buffer is briefly in neither (see {@link #inboxSize_openOrNot_countsTheWaitingMessagesOrIsEmpty}).
     */
    @Override
    @Test
    public void send_beforeAttach_keptInOrderAndDeliveredOnAttach() throws Exception {
        Messenger messenger = messenger();
        Inbox inbox = messenger.open(BOB);
        for (int i = 0; i < 5; i++) {
            assertThat(messenger.send(message(ALICE, BOB, i))).isEqualTo(SendOutcome.DELIVERED);
        }
        eventually().until(() -> inbox.size() == 5);

        List<Object> received = new CopyOnWriteArrayList<>();
        inbox.attach(m -> received.add(m.payload()));

        eventually().until(() -> received.size() == 5);
        assertThat(received).containsExactly(0, 1, 2, 3, 4);
        assertThat(inbox.size()).isZero();
    }

    /**
     * No sender waits for room over HTTP: when the reader falls behind, a send answers MAILBOX_FULL and is sent
     * again (as an HTTP client does); every message arrives once, in order.
     */
    @Override
    @Test
    public void send_oneSenderManyMessages_orderKeptPerPair() throws Exception {
        Messenger messenger = messenger();
        BlockingQueue<Envelope> received =
                collect(messenger, BOB, InboxOptions.defaults().withCapacity(16));
        for (int i = 0; i < 2_000; i++) {
            SendOutcome outcome;
            while ((outcome = messenger.send(message(ALICE, BOB, i))) == SendOutcome.MAILBOX_FULL) {
                Thread.yield();
            }
            assertThat(outcome).isEqualTo(SendOutcome.DELIVERED);
        }
        for (int i = 0; i < 2_000; i++) {
            assertThat(next(received).payload()).isEqualTo(i);
        }
    }

    /** The server gives each message its id and time: everything else arrives as sent. */
    @Override
    @Test
    public void send_toAttachedInbox_deliveredAsTheSameEnvelope() throws Exception {
        Messenger messenger = messenger();
        BlockingQueue<Envelope> received = collect(messenger, BOB);
        Envelope hello = message(ALICE, BOB, "hello");

        assertThat(messenger.send(hello)).isEqualTo(SendOutcome.DELIVERED);

        Envelope got = next(received);
        assertThat(got).isEqualTo(asServerMade(hello, got));
        assertThat(got.payload()).isEqualTo("hello");
    }

    /** The dead letter's envelope is the server's: the same but for the id and time it gave. */
    @Override
    @Test
    public void send_unknownRecipient_noSuchAgentAndDeadLetter() {
        Messenger messenger = messenger();
        Envelope lost = message(ALICE, CAROL, "anyone?");

        assertThat(messenger.send(lost)).isEqualTo(SendOutcome.NO_SUCH_AGENT);

        DeadLetter letter = messenger.deadLetters().poll();
        assertThat(letter.envelope()).isEqualTo(asServerMade(lost, letter.envelope()));
        assertThat(letter.recipient()).isEqualTo(CAROL);
        assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.NO_SUCH_AGENT);
        assertThat(letter.detail()).contains("carol");
        assertThat(messenger.metrics().deadLettered()).isEqualTo(1);
    }

    /**
     * No sender waits for room over HTTP: a send into the full inbox answers MAILBOX_FULL and is sent again (as
     * {@code send}'s counterpart does); every message arrives once.
     */
    @Override
    @Test
    public void sendAsync_manyInFlightToSmallBlockingInbox_everyMessageDeliveredOnce() throws Exception {
        Messenger messenger = messenger();
        Map<Object, Boolean> handled = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        messenger.open(BOB, InboxOptions.defaults().withCapacity(4)).attach(m -> {
            if (handled.put(m.payload(), Boolean.TRUE) != null) {
                duplicates.incrementAndGet();
            }
        });
        int count = 500;
        for (int i = 0; i < count; i++) {
            SendOutcome outcome;
            while ((outcome = MessengerSendAsyncContract.outcomeOf(messenger.sendAsync(message(ALICE, BOB, i))))
                    == SendOutcome.MAILBOX_FULL) {
                Thread.yield();
            }
            assertThat(outcome).isEqualTo(SendOutcome.DELIVERED);
        }

        eventually().until(() -> handled.size() == count);
        assertThat(duplicates).hasValue(0);
    }

    /** As {@code send}'s counterpart: the dead letter's envelope is the server's (its id and time). */
    @Override
    @Test
    public void sendAsync_unknownRecipient_noSuchAgentAndTheSameDeadLetterAsSend() throws Exception {
        Messenger messenger = messenger();
        Envelope lost = message(ALICE, CAROL, "anyone?");

        assertThat(MessengerSendAsyncContract.outcomeOf(messenger.sendAsync(lost)))
                .isEqualTo(SendOutcome.NO_SUCH_AGENT);

        DeadLetter letter = messenger.deadLetters().poll();
        assertThat(letter.envelope()).isEqualTo(asServerMade(lost, letter.envelope()));
        assertThat(letter.recipient()).isEqualTo(CAROL);
        assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.NO_SUCH_AGENT);
        assertThat(letter.detail()).contains("carol");
        assertThat(messenger.metrics().deadLettered()).isEqualTo(1);
    }

    /** As {@code send}'s counterpart: an HTTP inbox holds up to three times its capacity, then MAILBOX_FULL. */
    @Override
    @Test
    public void sendAsync_fullInboxFailPolicy_mailboxFullNothingQueuedTouched() throws Exception {
        Messenger messenger = messenger();
        int capacity = 2;
        messenger.open(BOB, InboxOptions.defaults().withCapacity(capacity).withOverflow(OverflowPolicy.FAIL));
        int sent = 0;
        SendOutcome outcome;
        do {
            sent++;
            assertThat(sent).isLessThan(1_000);
            outcome = MessengerSendAsyncContract.outcomeOf(messenger.sendAsync(message(ALICE, BOB, sent)));
        } while (outcome == SendOutcome.DELIVERED);

        assertThat(outcome).isEqualTo(SendOutcome.MAILBOX_FULL);
        assertThat(sent - 1).isBetween(capacity, 3 * capacity);
        DeadLetter letter = messenger.deadLetters().poll();
        assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.MAILBOX_FULL);
        assertThat(letter.envelope().payload()).isEqualTo(sent);
        assertThat(messenger.deadLetters().poll()).isNull();
    }

    /** As {@code send}'s counterpart: an already expired message has a negative {@code ttl}, refused (400). */
    @Override
    @Test
    public void sendAsync_pastDeadline_expiredAtOnceAndDeadLetter() {
        Messenger messenger = messenger();
        collect(messenger, BOB);
        Envelope stale = message(ALICE, BOB, "late").withDeadline(Instant.now().minusSeconds(1));

        assertThatThrownBy(() -> messenger.sendAsync(stale))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ttl must not be negative");
        assertThat(messenger.deadLetters().size()).isZero();
    }

    /** The server gives the message its id and time; the record arrives as a copy, its double exact. */
    @Override
    @Test
    public void marshal_recordPayload_decodedIntoTheInboxsTypeAsACopy() throws Exception {
        Messenger messenger = messenger(Messenger.builder().marshalEverySend(true));
        BlockingQueue<Envelope> received = collect(
                messenger, BOB, InboxOptions.defaults().withPayloadType(MessengerMarshalContract.Reading.class));
        var reading = new MessengerMarshalContract.Reading("t-1", 0.1 + 0.2, List.of(1, 2, 3));
        Envelope sent = message(ALICE, BOB, reading).withHeader("trace", "abc").withPriority(7);

        assertThat(messenger.send(sent)).isEqualTo(SendOutcome.DELIVERED);

        Envelope got = next(received);
        assertThat(got).isEqualTo(asServerMade(sent, got));
        assertThat(got.payload()).isNotSameAs(reading);
        assertThat(Double.doubleToRawLongBits(
                        got.payload(MessengerMarshalContract.Reading.class).value()))
                .isEqualTo(Double.doubleToRawLongBits(0.1 + 0.2));
        assertThat(messenger.metrics().marshal().count()).isEqualTo(1);
        assertThat(messenger.metrics().unmarshal().count()).isEqualTo(1);
    }

    /** A message already past its deadline has a negative {@code ttl}, which the route refuses (400). */
    @Override
    @Test
    public void send_pastDeadline_expiredAndDeadLetter() {
        Messenger messenger = messenger();
        collect(messenger, BOB);
        Envelope stale = message(ALICE, BOB, "late").withDeadline(Instant.now().minusSeconds(1));

        assertThatThrownBy(() -> messenger.send(stale))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ttl must not be negative");
        assertThat(messenger.deadLetters().size()).isZero();
    }

    /**
     * The route shows the letters the server keeps (the newest three), not its counters: {@code total} and
     * {@code discarded} count what this client saw.
     */
    @Override
    @Test
    public void deadLetters_moreThanCapacity_keepsNewestAndCountsDiscarded() {
        Messenger messenger = messenger(Messenger.builder().deadLetterCapacity(3));
        for (int i = 0; i < 5; i++) {
            messenger.send(message(ALICE, CAROL, i));
        }

        var letters = messenger.deadLetters();
        assertThat(letters.size()).isEqualTo(3);
        assertThat(letters.peekAll()).extracting(l -> l.envelope().payload()).containsExactly(2, 3, 4);
        assertThat(letters.drain()).hasSize(3);
        assertThat(letters.poll()).isNull();
        assertThat(letters.size()).isZero();
    }

    /**
     * An HTTP inbox hands out its messages by number, in the order they reached its buffer; each keeps its
     * priority. They reach the buffer from the server's colony inbox, whose thread takes what is waiting,
     * higher priority first: so the order depends on how the three sends fell into that thread's takes. Sent
     * low (1), high (9), normal (4), one after the other, the takes are consecutive groups of that sequence,
     * each handed over by priority: [low][high][normal] or [low][high, normal] give low, high, normal;
     * [low, high][normal] gives high, low, normal; all three at once give high, normal, low. No other order
     * (normal before high, say) can come out.
     */
    @Override
    @Test
    public void send_mixedPrioritiesWhileWaiting_higherPriorityFirst() {
        Messenger messenger = messenger();
        Inbox inbox = messenger.open(BOB);
        messenger.send(message(ALICE, BOB, "low").withPriority(1));
        messenger.send(message(ALICE, BOB, "high").withPriority(9));
        messenger.send(message(ALICE, BOB, "normal"));
        List<Envelope> received = new CopyOnWriteArrayList<>();

        inbox.attach(received::add);

        eventually().until(() -> received.size() == 3);
        assertThat(received.stream().map(e -> e.payload() + "/" + e.priority()).toList())
                .isIn(
                        List.of("low/1", "high/9", "normal/4"),
                        List.of("high/9", "low/1", "normal/4"),
                        List.of("high/9", "normal/4", "low/1"));
    }

    /**
     * An HTTP inbox has one overflow policy: up to its capacity C unacknowledged in its buffer, a batch of up to
     * C in the hand of the colony inbox's thread (taken at once when the buffer had room for the one before; the
     * first waits for room), C queued in the colony inbox, then MAILBOX_FULL with a dead letter; nothing queued
     * is touched. With no reader, between C (the thread took nothing yet) and exactly 3C (buffer filled exactly
     * as a batch ended, then a batch of C) are accepted, on both backends (HttpInbox's class comment;
     * HttpInboxBoundTest reaches 3C).
     */
    @Override
    @Test
    public void send_fullInboxFailPolicy_mailboxFullNothingQueuedTouched() {
        assertOneOverflowPolicy(OverflowPolicy.FAIL);
    }

    /** As FAIL: the newest is refused, and every accepted message is handed out. */
    @Override
    @Test
    public void send_fullInboxDropNewest_newestRefused() {
        assertOneOverflowPolicy(OverflowPolicy.DROP_NEWEST);
    }

    /** As FAIL: over HTTP nothing is evicted; the newest is refused instead. */
    @Override
    @Test
    public void send_fullInboxDropOldest_deliveredAndOldestEvictedToDeadLetters() {
        assertOneOverflowPolicy(OverflowPolicy.DROP_OLDEST);
        // (checked there: no EVICTED letter)
    }

    private void assertOneOverflowPolicy(OverflowPolicy policy) {
        Messenger messenger = messenger();
        int capacity = 2;
        Inbox inbox = messenger.open(
                BOB, InboxOptions.defaults().withCapacity(capacity).withOverflow(policy));

        int accepted = fillUntilFull(messenger, BOB);

        assertThat(accepted).isBetween(capacity, 3 * capacity);
        List<DeadLetter> letters = messenger.deadLetters().drain();
        assertThat(letters).singleElement().satisfies(letter -> {
            assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.MAILBOX_FULL);
            assertThat(letter.envelope().payload()).isEqualTo(accepted + 1);
        });
        List<Object> received = new CopyOnWriteArrayList<>();
        inbox.attach(m -> received.add(m.payload()));
        eventually().until(() -> received.size() == accepted);
        List<Integer> expected = new ArrayList<>();
        for (int i = 1; i <= accepted; i++) {
            expected.add(i);
        }
        assertThat(received).containsExactlyElementsOf(expected);
    }

    /**
     * No sender waits over HTTP (a server thread would be held): a full inbox answers MAILBOX_FULL, and once a
     * handler reads it there is room again.
     */
    @Override
    @Test
    public void send_fullInboxBlockPolicy_senderWaitsUntilThereIsRoom() {
        Messenger messenger = messenger();
        Inbox inbox = messenger.open(BOB, InboxOptions.defaults().withCapacity(1));
        int accepted = fillUntilFull(messenger, BOB);
        List<Object> received = new CopyOnWriteArrayList<>();

        inbox.attach(m -> received.add(m.payload()));

        eventually().until(() -> received.size() == accepted);
        assertThat(messenger.send(message(ALICE, BOB, "room"))).isEqualTo(SendOutcome.DELIVERED);
        eventually().until(() -> received.contains("room"));
    }

    /**
     * The handler runs in the client: its sends to its own inbox fill the server's inbox (the message it
     * handles is still held) until MAILBOX_FULL, without a deadlock.
     */
    @Override
    @Test
    public void send_toOwnFullBlockingInboxFromHandler_mailboxFullInsteadOfDeadlock() throws Exception {
        Messenger messenger = messenger();
        Inbox inbox = messenger.open(BOB, InboxOptions.defaults().withCapacity(1));
        List<SendOutcome> outcomes = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        inbox.attach(m -> {
            if (m.payload().equals("first")) {
                SendOutcome outcome;
                do {
                    outcome = messenger.send(message(BOB, BOB, "fills"));
                    outcomes.add(outcome);
                } while (outcome == SendOutcome.DELIVERED && outcomes.size() < 10);
                done.countDown();
            }
        });

        messenger.send(message(ALICE, BOB, "first"));

        awaitLatch(done);
        assertThat(outcomes.getLast()).isEqualTo(SendOutcome.MAILBOX_FULL);
        assertThat(outcomes.subList(0, outcomes.size() - 1)).isNotEmpty().containsOnly(SendOutcome.DELIVERED);
    }

    /**
     * The stuck handler is abandoned after the close timeout and its interrupt is a HANDLER_FAILED letter on the
     * client's side. The server dead-letters every message its reader did not acknowledge when the inbox closes
     * (ADR 0054): the three queued ones, and the stuck one too, since the client acknowledges a message only
     * once its handler returned (at-least-once: the server cannot know the handler took it).
     */
    @Override
    @Test
    public void close_handlerNeverReturns_abandonedAfterTheTimeoutAndQueuedDeadLettered() throws Exception {
        Messenger messenger = messenger(Messenger.builder().closeTimeout(Duration.ofMillis(100)));
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        AtomicReference<Thread> handlerThread = new AtomicReference<>();
        messenger.open(BOB).attach(m -> {
            handlerThread.set(Thread.currentThread());
            entered.countDown();
            never.await();
        });
        messenger.send(message(ALICE, BOB, "stuck"));
        awaitLatch(entered);
        for (int i = 0; i < 3; i++) {
            messenger.send(message(ALICE, BOB, "queued" + i));
        }

        messenger.close();
        messenger.close();

        assertThat(messenger.metrics().abandonedHandlers()).isEqualTo(1);
        eventually().until(() -> !handlerThread.get().isAlive());
        assertThat(messenger.deadLetters().peekAll())
                .filteredOn(letter -> letter.reason() == DeadLetter.Reason.RECIPIENT_CLOSED)
                .extracting(letter -> letter.envelope().payload())
                .containsExactlyInAnyOrder("stuck", "queued0", "queued1", "queued2");
        assertThat(messenger.deadLetters().peekAll())
                .filteredOn(letter -> letter.reason() == DeadLetter.Reason.HANDLER_FAILED)
                .extracting(DeadLetter::detail)
                .singleElement()
                .asString()
                .contains("InterruptedException");
        assertThat(never.getCount()).isEqualTo(1);
    }

    /** The answer comes back over HTTP: the failure is awaited, not done at once. */
    @Override
    @Test
    public void request_noRecipient_failsAtOnce() throws Exception {
        Messenger messenger = messenger();

        var reply = messenger.request(message(ALICE, CAROL, "?"), Duration.ofSeconds(30));

        assertThat(failureOf(reply).failure()).isEqualTo(ReplyFailure.NO_RECIPIENT);
        eventually().until(() -> messenger.metrics().pendingRequests() == 0);
    }

    /** The route caps a request's timeout at the long-poll cap, 25 s: the deadline is that far. */
    @Override
    @Test
    public void request_handlerSeesCorrelationReplyToAndDeadline() throws Exception {
        Messenger messenger = messenger();
        BlockingQueue<Envelope> received = collect(messenger, BOB);
        Instant before = Instant.now();

        messenger.request(message(ALICE, BOB, "?").withCorrelationId("c-1"), Duration.ofMinutes(1));

        Envelope request = next(received);
        assertThat(request.correlationId()).isEqualTo("c-1");
        assertThat(request.replyTo()).isEqualTo(ALICE);
        assertThat(request.deadline()).isAfterOrEqualTo(before.plus(HttpMessenger.MAX_WAIT));
    }

    /**
     * The handler runs in the client and no route reports its failure: the request times out, and the failure
     * is counted and dead-lettered on the client's side with its message.
     */
    @Override
    @Test
    public void request_handlerThrows_recipientFailureWithItsMessage() throws Exception {
        Messenger messenger = messenger();
        messenger.open(BOB).attach(m -> {
            throw new IllegalStateException("out of coffee");
        });

        ReplyException failure = failureOf(messenger.request(message(ALICE, BOB, "?"), SHORT_REQUEST));

        assertThat(failure.failure()).isEqualTo(ReplyFailure.TIMEOUT);
        eventually().until(() -> messenger.metrics().failed() == 1);
        assertThat(messenger.deadLetters().poll().detail()).contains("out of coffee");
    }

    /**
     * The request reaches the inbox asynchronously (the route sends it on its own thread): the close waits until
     * it is there. Then, as the contract says, closing fails it UNDELIVERED, with one RECIPIENT_CLOSED letter.
     */
    @Override
    @Test
    public void request_recipientClosesBeforeHandling_undelivered() throws Exception {
        Messenger messenger = messenger();
        Inbox inbox = messenger.open(BOB);
        var reply = messenger.request(message(ALICE, BOB, "?"), SHORT_REQUEST);
        eventually().until(() -> inbox.size() == 1); // the request is asynchronous: it reached the inbox

        inbox.close();

        assertThat(failureOf(reply).failure()).isEqualTo(ReplyFailure.UNDELIVERED);
        assertThat(messenger.deadLetters().drain())
                .singleElement()
                .satisfies(letter -> assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.RECIPIENT_CLOSED));
        eventually().until(() -> messenger.metrics().pendingRequests() == 0);
    }

    /**
     * No route records a dead letter for a client ({@link HttpMessenger#deadLetter} refuses): the server records
     * those of its own HTTP inboxes. So the counterpart is the server's: a request and a message that a reader
     * read and did not acknowledge become one RECIPIENT_CLOSED letter each when the inbox closes, and the request
     * fails UNDELIVERED at once.
     */
    @Override
    @Test
    public void deadLetter_messagesAHandlerHeld_recordedOnceEachAndTheRequestUndelivered() throws Exception {
        HttpMessenger messenger = (HttpMessenger) messenger();
        Inbox inbox = messenger.open(BOB); // no handler: the test reads the inbox itself
        var reply = messenger.request(message(ALICE, BOB, "?"), Duration.ofSeconds(20));
        messenger.send(message(ALICE, BOB, "plain"));
        eventually().until(() -> inbox.size() == 2);
        Http.Res read = messenger.http.get(HttpMessenger.path(BOB) + "/inbox?after=0&max=10");
        assertThat(read.json().path("messages")).hasSize(2); // read, not acknowledged

        inbox.close();

        assertThat(failureOf(reply).failure()).isEqualTo(ReplyFailure.UNDELIVERED);
        List<DeadLetter> letters = messenger.deadLetters().drain();
        assertThat(letters).extracting(l -> l.envelope().payload()).containsExactlyInAnyOrder("?", "plain");
        assertThat(letters)
                .allSatisfy(letter -> assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.RECIPIENT_CLOSED));
        eventually().until(() -> messenger.metrics().pendingRequests() == 0);
        assertThatThrownBy(() -> messenger.deadLetter(
                        letters.getFirst().envelope(), BOB, DeadLetter.Reason.RECIPIENT_CLOSED, "x"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    /**
     * Over HTTP a request of 1 to 20 ms can expire in the server's inbox before it is handed out, which fails
     * it UNDELIVERED (an EXPIRED dead letter) rather than at its deadline: every request fails with one of the
     * two, and nothing is left waiting.
     */
    @Override
    @Test
    public void request_manyTimedOut_noCorrelationStateLeft() throws Exception {
        Messenger messenger = messenger();
        messenger.open(BOB).attach(m -> {});
        List<java.util.concurrent.CompletableFuture<Envelope>> replies = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            replies.add(messenger.request(message(ALICE, BOB, i), Duration.ofMillis(1 + i % 20)));
        }

        int timedOut = 0;
        for (var reply : replies) {
            ReplyFailure failure = failureOf(reply).failure();
            assertThat(failure).isIn(ReplyFailure.TIMEOUT, ReplyFailure.UNDELIVERED);
            timedOut += failure == ReplyFailure.TIMEOUT ? 1 : 0;
        }

        assertThat(messenger.metrics().pendingRequests()).isZero();
        assertThat(messenger.metrics().timedOut()).isEqualTo(timedOut);
    }

    /**
     * No sender waits for room over HTTP, so 8,000 requests outstanding at once overflow the server's inbox;
     * here each requester waits for each reply (8 requesters at once, 250 each, marshalled or not) and every
     * reply matches its request.
     */
    @Override
    @ParameterizedTest(name = "marshal={0}")
    @ValueSource(booleans = {false, true})
    public void request_manyConcurrentRequesters_everyReplyMatchesItsRequest(boolean marshal) throws Exception {
        Messenger messenger = messenger(Messenger.builder().marshalEverySend(marshal));
        for (int r = 0; r < 2; r++) {
            messenger.open(AgentId.of("server" + r)).attach(m -> messenger.reply(m, "re:" + m.payload()));
        }
        int requesters = 8;
        int perRequester = 250;
        AtomicInteger wrong = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int q = 0; q < requesters; q++) {
            AgentId from = AgentId.of("client" + q);
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < perRequester; i++) {
                    AgentId to = AgentId.of("server" + (i % 2));
                    Object payload = messenger
                            .request(message(from, to, from + "/" + i), Duration.ofSeconds(30))
                            .join()
                            .payload();
                    if (payload.equals("re:" + from + "/" + i)) {
                        ok.incrementAndGet();
                    } else {
                        wrong.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            join(thread);
        }

        assertThat(wrong).hasValue(0);
        assertThat(ok).hasValue(requesters * perRequester);
        assertThat(messenger.metrics().pendingRequests()).isZero();
        assertThat(messenger.metrics().requestRoundTrip().count()).isEqualTo((long) requesters * perRequester);
    }

    /**
     * No sender waits for room over HTTP: a send to a full inbox answers MAILBOX_FULL (503 with Retry-After),
     * and these senders send it again until it is delivered, as an HTTP client does. Then the contract's checks
     * hold: exactly once, in order per pair; the refusals are each a MAILBOX_FULL dead letter and a send. A
     * quarter of the contract's messages (each send is a request).
     */
    @Override
    @ParameterizedTest(name = "marshal={0}")
    @ValueSource(booleans = {false, true})
    public void send_manySendersManyRecipientsSmallInboxes_exactlyOnceInPairOrder(boolean marshal) throws Exception {
        Messenger messenger =
                messenger(Messenger.builder().marshalEverySend(marshal).deadLetterCapacity(1 << 20));
        int senders = MessengerConcurrencyContract.SENDERS;
        int recipients = MessengerConcurrencyContract.RECIPIENTS;
        int perPair = MessengerConcurrencyContract.PER_PAIR / 4;
        Map<Integer, int[]> nextSeq = new ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
        AtomicInteger outOfOrder = new AtomicInteger();
        for (int r = 0; r < recipients; r++) {
            int[] expected = new int[senders];
            nextSeq.put(r, expected);
            InboxOptions options =
                    InboxOptions.defaults().withCapacity(8).withPayloadType(MessengerConcurrencyContract.Seq.class);
            messenger.open(AgentId.of("r" + r), options).attach(m -> {
                var seq = m.payload(MessengerConcurrencyContract.Seq.class);
                if (expected[seq.sender()]++ != seq.seq()) {
                    outOfOrder.incrementAndGet();
                }
                received.incrementAndGet();
            });
        }
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            AgentId from = AgentId.of("s" + s);
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perPair; i++) {
                    for (int r = 0; r < recipients; r++) {
                        Envelope m =
                                message(from, AgentId.of("r" + r), new MessengerConcurrencyContract.Seq(sender, i));
                        SendOutcome outcome;
                        while ((outcome = messenger.send(m)) == SendOutcome.MAILBOX_FULL) {
                            refused.incrementAndGet();
                            Thread.yield();
                        }
                        if (outcome != SendOutcome.DELIVERED) {
                            failed.incrementAndGet();
                        }
                    }
                }
            }));
        }
        start.countDown();
        for (Thread thread : threads) {
            join(thread);
        }

        long total = (long) senders * recipients * perPair;
        eventually().until(() -> received.get() == total);
        assertThat(failed).hasValue(0);
        assertThat(outOfOrder).hasValue(0);
        for (int[] expected : nextSeq.values()) {
            assertThat(expected).containsOnly(perPair);
        }
        var metrics = messenger.metrics();
        assertThat(metrics.sent()).isEqualTo(total + refused.get());
        assertThat(metrics.delivered()).isEqualTo(total);
        assertThat(metrics.deadLettered()).isEqualTo(refused.get());
    }

    /** The route broadcasts to a role or the whole account, not to ids matching a pattern. */
    @Override
    @Test
    public void broadcast_idsMatchingAndEveryone_matchTheRightAgents() throws Exception {
        Messenger messenger = messenger();
        BlockingQueue<Envelope> w1 = collect(messenger, AgentId.of("worker-1"));
        BlockingQueue<Envelope> w2 = collect(messenger, AgentId.of("worker-2"));
        BlockingQueue<Envelope> boss = collect(messenger, AgentId.of("boss"));

        assertThatThrownBy(() -> messenger.broadcast(Audience.idsMatching("worker-\\d+"), message(CAROL, null, "a")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(messenger.broadcast(Audience.everyone(), message(AgentId.of("boss"), null, "b")))
                .isEqualTo(new BroadcastResult(2, 2));

        assertThat(next(w1).payload()).isEqualTo("b");
        assertThat(next(w2).payload()).isEqualTo("b");
        assertThat(boss).isEmpty();
    }

    /**
     * Bob's inbox is filled to MAILBOX_FULL first (the one HTTP overflow policy), then the broadcast. Full is three
     * messages with capacity 1: the server's buffer (1), the one its inbox thread holds waiting for room, and the
     * Colony inbox behind them (1). A send can be refused while that thread has not yet taken the message before
     * it (a loaded machine), after which there is room again; so Bob's inbox is filled until it took three.
     */
    @Override
    @Test
    public void broadcast_someInboxesFull_countsUndeliveredAndDeadLettersThem() {
        Messenger messenger = messenger();
        InboxOptions tiny = InboxOptions.defaults().withRoles("w").withCapacity(1);
        messenger.open(ALICE, tiny);
        messenger.open(BOB, tiny);
        AtomicInteger taken = new AtomicInteger();
        eventually().until(() -> taken.addAndGet(fillUntilFull(messenger, BOB)) >= 3);
        assertThat(taken).hasValue(3);
        messenger.deadLetters().drain();

        BroadcastResult result = messenger.broadcast(Audience.role("w"), message(CAROL, null, "x"));

        assertThat(result).isEqualTo(new BroadcastResult(2, 1));
        DeadLetter letter = messenger.deadLetters().poll();
        assertThat(letter.recipient()).isEqualTo(BOB);
        assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.MAILBOX_FULL);
    }

    private static Http.Res post(Messenger messenger, String body) {
        return ((HttpMessenger) messenger).http.post("/v1/messages", body);
    }

    /** No route takes codec bytes: malformed JSON posted to {@code /v1/messages} is a 400, and the inbox goes on. */
    @Override
    @Test
    public void deliverEncoded_malformedBytes_deadLetteredAndInboxGoesOn() throws Exception {
        Messenger messenger = messenger();
        BlockingQueue<Envelope> received = collect(messenger, BOB);

        assertThat(post(messenger, "{not json").status()).isEqualTo(400);
        assertThat(post(messenger, "{\"specversion\":\"1.0\"}").status()).isEqualTo(400);
        Envelope good = message(ALICE, BOB, "fine");
        messenger.send(good);

        Envelope got = next(received);
        assertThat(got).isEqualTo(asServerMade(good, got));
        assertThat(messenger.deadLetters().size()).isZero();
    }

    /** Another language posts the route's JSON (not a CloudEvent): it arrives with what it said. */
    @Override
    @Test
    public void deliverEncoded_writtenByHandLikeAnotherLanguage_delivered() throws Exception {
        Messenger messenger = messenger();
        BlockingQueue<Envelope> received = collect(messenger, BOB);
        String json = """
                {"payload": {"task": "t-9", "score": 0.75},
                 "type": "task.offer", "to": "bob", "priority": 6,
                 "from": "py-worker", "headers": {"tenant": "acme"}}
                """;

        assertThat(post(messenger, json).status()).isEqualTo(200);

        Envelope got = next(received);
        assertThat(got.source()).isEqualTo(AgentId.of("py-worker"));
        assertThat(got.type()).isEqualTo("task.offer");
        assertThat(got.priority()).isEqualTo(6);
        assertThat(got.headers()).containsEntry("tenant", "acme");
        assertThat(got.payload()).isEqualTo(Map.of("task", "t-9", "score", 0.75));
    }

    /** An unknown recipient is a 404 and a dead letter; a body over the server's limit (1 MiB) a 413 and none. */
    @Override
    @Test
    public void deliverEncoded_unknownRecipientOrTooLarge_reported() {
        Messenger messenger = messenger();
        collect(messenger, BOB);

        assertThat(post(messenger, "{\"from\":\"alice\",\"to\":\"carol\",\"type\":\"t\",\"payload\":1}")
                        .status())
                .isEqualTo(404);
        assertThat(post(messenger, tooLarge()).status()).isEqualTo(413);

        assertThat(messenger.deadLetters().drain())
                .extracting(DeadLetter::reason)
                .containsExactly(DeadLetter.Reason.NO_SUCH_AGENT);
    }

    private static String tooLarge() {
        return "{\"from\":\"alice\",\"to\":\"bob\",\"type\":\"t\",\"payload\":\"" + "x".repeat(1 << 20) + "\"}";
    }

    /**
     * 1,000 hostile bodies (a seeded mutation of a good one: bytes flipped, cut, repeated) posted to {@code
     * /v1/messages}: each is answered (200 or a 4xx problem), what was accepted is handled, and the inbox lives.
     */
    @Override
    @Test
    public void deliverEncoded_10000GeneratedHostileEvents_eachHandledOrDeadLetteredAndTheInboxLives() {
        Messenger messenger = messenger();
        AtomicInteger handled = new AtomicInteger();
        AtomicInteger finals = new AtomicInteger();
        messenger.open(BOB).attach(m -> {
            handled.incrementAndGet();
            if (m.type().equals("final")) {
                finals.incrementAndGet();
            }
        });
        Random random = new Random(0x1419_0001L);
        byte[] good =
                "{\"from\":\"alice\",\"to\":\"bob\",\"type\":\"t\",\"payload\":{\"a\":[1,2,\"x\"]},\"priority\":5}"
                        .getBytes(StandardCharsets.UTF_8);
        int accepted = 0;
        for (int i = 0; i < 1_000; i++) {
            byte[] body = good.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                body[random.nextInt(body.length)] = (byte) random.nextInt(256);
            }
            if (random.nextInt(4) == 0) {
                body = java.util.Arrays.copyOf(body, random.nextInt(body.length));
            }
            int status = post(messenger, new String(body, StandardCharsets.ISO_8859_1))
                    .status();
            assertThat(status).as("body %d", i).isIn(200, 400, 403, 404, 409);
            if (status == 200) {
                accepted++;
            }
        }
        messenger.send(Envelope.of(ALICE, BOB, "final", "alive"));

        int total = accepted + 1;
        eventually().until(() -> finals.get() == 1 && handled.get() == total);
    }

    /** A body over the server's limit is refused with 413 before it reaches the messenger: no dead letter. */
    @Override
    @Test
    public void deliverEncoded_64MiBArrayTwentyTimes_refusedUncopiedAndOnlyPrefixesRetained() {
        Messenger messenger = messenger();
        messenger.open(BOB);

        for (int i = 0; i < 3; i++) {
            assertThat(post(messenger, tooLarge()).status()).isEqualTo(413);
        }

        assertThat(messenger.deadLetters().size()).isZero();
    }

    /** Refusals of large bodies (413) leave nothing behind: the dead letters stay empty. */
    @Override
    @Test
    public void deadLetters_manyLargeRefusals_boundedInBytesOldestDiscarded() {
        Messenger messenger = messenger();
        messenger.open(BOB);

        for (int i = 0; i < 10; i++) {
            assertThat(post(messenger, tooLarge()).status()).isEqualTo(413);
        }

        assertThat(messenger.deadLetters().total()).isZero();
        assertThat(messenger.deadLetters().retainedBytes()).isZero();
    }

    /**
     * The payload arrives as JSON, so the inbox names its type; the HTTP inbox's one overflow policy refuses
     * instead of evicting: every message is handled once or is a MAILBOX_FULL dead letter once.
     */
    @Override
    @ParameterizedTest(name = "capacity={0}")
    @ValueSource(ints = {1, 16})
    public void send_dropOldestUnderContention_everyMessageHandledOrDeadLetteredOnce(int capacity) throws Exception {
        Messenger messenger = messenger(Messenger.builder().deadLetterCapacity(1 << 20));
        Map<MessengerConcurrencyContract.Seq, Boolean> handled = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        InboxOptions options = InboxOptions.defaults()
                .withCapacity(capacity)
                .withOverflow(OverflowPolicy.DROP_OLDEST)
                .withPayloadType(MessengerConcurrencyContract.Seq.class);
        messenger.open(BOB, options).attach(m -> {
            if (handled.put(m.payload(MessengerConcurrencyContract.Seq.class), Boolean.TRUE) != null) {
                duplicates.incrementAndGet();
            }
        });
        int senders = MessengerConcurrencyContract.SENDERS;
        int perSender = MessengerConcurrencyContract.PER_PAIR / 4;
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < perSender; i++) {
                    messenger.send(message(ALICE, BOB, new MessengerConcurrencyContract.Seq(sender, i)));
                }
            }));
        }
        for (Thread thread : threads) {
            join(thread);
        }

        int total = senders * perSender;
        eventually().until(() -> handled.size() + messenger.deadLetters().size() == total);
        assertThat(duplicates).hasValue(0);
        List<DeadLetter> letters = messenger.deadLetters().drain();
        // none when the inbox kept up: every refusal, if any, is MAILBOX_FULL
        assertThat(letters).allSatisfy(letter -> assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.MAILBOX_FULL));
        for (DeadLetter letter : letters) {
            // the server's letter carries the payload as JSON: read back into the record it was
            var seq = Json.MAPPER.convertValue(letter.envelope().payload(), MessengerConcurrencyContract.Seq.class);
            assertThat(handled).doesNotContainKey(seq);
        }
        assertThat(handled.size() + letters.size()).isEqualTo(total);
    }
}
