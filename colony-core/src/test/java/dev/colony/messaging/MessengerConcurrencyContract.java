package dev.colony.messaging;

import static dev.colony.bus.BusTesting.eventually;
import static dev.colony.bus.BusTesting.join;
import static dev.colony.messaging.MessengerFixture.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.bus.OverflowPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Part of {@link MessengerContract}: many senders and recipients at once. Counts are exact: nothing lost,
 * nothing duplicated, and each sender's messages to one recipient arrive in order.
 */
public interface MessengerConcurrencyContract extends MessengerFixture {
    int SENDERS = 6;
    int RECIPIENTS = 4;
    int PER_PAIR = 2_000;

    /** A message's identity: who sent it and its sequence number to that recipient. */
    record Seq(int sender, int seq) {}

    @ParameterizedTest(name = "marshal={0}")
    @ValueSource(booleans = {false, true})
    default void send_manySendersManyRecipientsSmallInboxes_exactlyOnceInPairOrder(boolean marshal) throws Exception {
        Messenger messenger = messenger(Messenger.builder().marshalEverySend(marshal));
        int perPair = marshal ? PER_PAIR / 4 : PER_PAIR;
        Map<Integer, int[]> nextSeq = new ConcurrentHashMap<>();
        AtomicLong received = new AtomicLong();
        AtomicInteger outOfOrder = new AtomicInteger();
        for (int r = 0; r < RECIPIENTS; r++) {
            int[] expected = new int[SENDERS];
            nextSeq.put(r, expected);
            InboxOptions options = InboxOptions.defaults().withCapacity(8).withPayloadType(Seq.class);
            messenger.open(AgentId.of("r" + r), options).attach(m -> {
                Seq seq = m.payload(Seq.class);
                if (expected[seq.sender()]++ != seq.seq()) { // one inbox thread: no race on its own array
                    outOfOrder.incrementAndGet();
                }
                received.incrementAndGet();
            });
        }
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger notDelivered = new AtomicInteger();
        List<Thread> senders = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            int sender = s;
            AgentId from = AgentId.of("s" + s);
            senders.add(Thread.ofVirtual().start(() -> {
                awaitQuietly(start);
                for (int i = 0; i < perPair; i++) {
                    for (int r = 0; r < RECIPIENTS; r++) {
                        SendOutcome outcome = messenger.send(message(from, AgentId.of("r" + r), new Seq(sender, i)));
                        if (outcome != SendOutcome.DELIVERED) {
                            notDelivered.incrementAndGet();
                        }
                    }
                }
            }));
        }
        start.countDown();
        for (Thread sender : senders) {
            join(sender);
        }

        long total = (long) SENDERS * RECIPIENTS * perPair;
        eventually().until(() -> received.get() == total);
        assertThat(notDelivered).hasValue(0);
        assertThat(outOfOrder).hasValue(0);
        for (int[] expected : nextSeq.values()) {
            assertThat(expected).containsOnly(perPair);
        }
        MessengerMetrics metrics = messenger.metrics();
        assertThat(metrics.sent()).isEqualTo(total);
        assertThat(metrics.delivered()).isEqualTo(total);
        assertThat(metrics.deadLettered()).isZero();
    }

    @ParameterizedTest(name = "capacity={0}")
    @ValueSource(ints = {1, 16})
    default void send_dropOldestUnderContention_everyMessageHandledOrDeadLetteredOnce(int capacity) throws Exception {
        // every dead letter is kept: the count and the byte bound both far above what the test makes
        Messenger messenger =
                messenger(Messenger.builder().deadLetterCapacity(1 << 20).deadLetterBytes(1L << 30));
        Map<Seq, Boolean> handled = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        InboxOptions options = InboxOptions.defaults().withCapacity(capacity).withOverflow(OverflowPolicy.DROP_OLDEST);
        messenger.open(BOB, options).attach(m -> {
            if (handled.put(m.payload(Seq.class), Boolean.TRUE) != null) {
                duplicates.incrementAndGet();
            }
        });
        List<Thread> senders = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            int sender = s;
            senders.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < PER_PAIR; i++) {
                    messenger.send(message(ALICE, BOB, new Seq(sender, i)));
                }
            }));
        }
        for (Thread sender : senders) {
            join(sender);
        }

        int total = SENDERS * PER_PAIR;
        eventually().until(() -> handled.size() + messenger.deadLetters().size() == total);
        assertThat(duplicates).hasValue(0);
        List<DeadLetter> letters = messenger.deadLetters().drain();
        assertThat(letters).extracting(DeadLetter::reason).containsOnly(DeadLetter.Reason.EVICTED);
        for (DeadLetter letter : letters) {
            assertThat(handled).doesNotContainKey(letter.envelope().payload(Seq.class));
        }
        assertThat(handled.size() + letters.size()).isEqualTo(total);
    }

    @ParameterizedTest(name = "marshal={0}")
    @ValueSource(booleans = {false, true})
    default void request_manyConcurrentRequesters_everyReplyMatchesItsRequest(boolean marshal) throws Exception {
        Messenger messenger = messenger(Messenger.builder().marshalEverySend(marshal));
        for (int r = 0; r < 2; r++) {
            messenger.open(AgentId.of("server" + r)).attach(m -> messenger.reply(m, "re:" + m.payload()));
        }
        int requesters = 8;
        int perRequester = marshal ? 250 : 1_000;
        AtomicInteger wrong = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int q = 0; q < requesters; q++) {
            AgentId from = AgentId.of("client" + q);
            threads.add(Thread.ofVirtual().start(() -> {
                List<CompletableFuture<Envelope>> replies = new ArrayList<>();
                for (int i = 0; i < perRequester; i++) {
                    AgentId to = AgentId.of("server" + (i % 2));
                    replies.add(messenger.request(message(from, to, from + "/" + i), Duration.ofSeconds(30)));
                }
                for (int i = 0; i < perRequester; i++) {
                    Object payload = replies.get(i).join().payload();
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

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
