package dev.colony.bus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.internal.Mailbox;
import dev.colony.internal.Mailbox.Offer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Several producers race the lock-free fast path, the locked overflow path and the consumer: every
 * offered event ends exactly once (delivered, dropped on arrival, or evicted), and each producer's events
 * of one priority arrive in the order it offered them.
 */
class MailboxConcurrencyTest {
    private static final Subject SUBJECT = Subject.of("m");
    private static final int PRODUCERS = 4;
    private static final int EVENTS = 20_000;

    /** The payload: who offered it, its priority and its sequence number within (producer, priority). */
    private record Tag(int producer, int priority, int seq) {}

    @ParameterizedTest
    @EnumSource(OverflowPolicy.class)
    void offer_manyProducersSmallMailbox_everyEventEndsExactlyOnceInProducerOrder(OverflowPolicy policy)
            throws Exception {
        long seed = TestSeeds.seed("MailboxConcurrencyTest." + policy, 0x5EED_0001L + policy.ordinal());
        Mailbox<Event> mailbox = new Mailbox<>(16, Mailbox.Overflow.named(policy));
        LongAdder accepted = new LongAdder();
        LongAdder acceptedDroppingOther = new LongAdder();
        LongAdder droppedOnArrival = new LongAdder();
        LongAdder rejected = new LongAdder();
        LongAdder criticalOffered = new LongAdder();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            int producer = p;
            Random random = new Random(seed + p);
            producers.add(Thread.ofPlatform().start(() -> {
                int[] seqs = new int[Event.MAX_PRIORITY + 1];
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                for (int i = 0; i < EVENTS; i++) {
                    int priority = random.nextInt(Event.MAX_PRIORITY + 1);
                    if (priority >= Event.CRITICAL_PRIORITY) {
                        criticalOffered.increment();
                    }
                    Event event = new Event(SUBJECT, new Tag(producer, priority, seqs[priority]++), priority);
                    Offer offer = mailbox.offer(event, event.priority(), 0);
                    if (offer == Offer.FULL) {
                        offer = mailbox.offerWaiting(event, event.priority(), 0);
                    }
                    switch (offer) {
                        case ACCEPTED -> accepted.increment();
                        case ACCEPTED_DROPPED_OTHER -> acceptedDroppingOther.increment();
                        case DROPPED -> droppedOnArrival.increment();
                        case REJECTED -> rejected.increment();
                        case CLOSED, FULL -> throw new AssertionError("unexpected " + offer);
                    }
                }
            }));
        }

        List<Tag> delivered = new ArrayList<>();
        Thread consumer = Thread.ofVirtual().start(() -> {
            Event[] events = new Event[32];
            long[] times = new long[32];
            while (true) {
                try {
                    int n = mailbox.drain(events, times);
                    if (n < 0) {
                        return; // closed
                    }
                    for (int i = 0; i < n; i++) {
                        delivered.add((Tag) events[i].payload());
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        start.countDown();
        for (Thread producer : producers) {
            producer.join();
        }
        BusTesting.eventually().until(() -> mailbox.size() == 0);
        assertThat(mailbox.close()).as("discarded").isZero();
        consumer.join(60_000);
        assertThat(consumer.isAlive()).isFalse();

        List<Tag> real = delivered;
        long offered = (long) PRODUCERS * EVENTS;
        assertThat(accepted.sum() + acceptedDroppingOther.sum() + droppedOnArrival.sum() + rejected.sum())
                .isEqualTo(offered);
        // each acceptance that dropped another took one queued event out: what is left is delivered
        assertThat((long) real.size()).isEqualTo(accepted.sum());
        assertThat(mailbox.dropped()).isEqualTo(droppedOnArrival.sum() + acceptedDroppingOther.sum());
        assertThat(mailbox.rejected()).isEqualTo(rejected.sum());
        assertThat(new HashSet<>(real)).hasSize(real.size()); // no duplicates
        assertInProducerOrder(real);
        long criticalDelivered = real.stream()
                .filter(t -> t.priority() >= Event.CRITICAL_PRIORITY)
                .count();
        switch (policy) {
            case BLOCK -> assertThat(real).hasSize((int) offered);
            case FAIL ->
                assertThat(droppedOnArrival.sum() + acceptedDroppingOther.sum()).isZero();
            case DROP_OLDEST, DROP_NEWEST -> {
                assertThat(rejected.sum()).isZero();
                assertThat(criticalDelivered).isEqualTo(criticalOffered.sum()); // never dropped
            }
        }
    }

    /**
     * DROP_OLDEST with one priority never refuses an arrival: there is always an older event to evict,
     * or room. A producer whose lock-free reservation failed undoes it a moment later; the locked
     * overflow path must not read that moment as "full with nothing to evict" (a CI failure once:
     * MAILBOX_FULL from a DROP_OLDEST inbox of capacity 1).
     */
    @RepeatedTest(20)
    void offer_dropOldestCapacityOne_neverRefusesAnArrival() throws Exception {
        Mailbox<Event> mailbox = new Mailbox<>(1, Mailbox.Overflow.DROP_OLDEST);
        LongAdder refused = new LongAdder();
        LongAdder taken = new LongAdder();
        LongAdder evicting = new LongAdder();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            producers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                for (int i = 0; i < 5_000; i++) {
                    switch (mailbox.offer(new Event(SUBJECT, i, 0), 0, 0)) {
                        case ACCEPTED_DROPPED_OTHER -> evicting.increment();
                        case ACCEPTED -> {}
                        default -> refused.increment();
                    }
                }
            }));
        }
        Thread consumer = Thread.ofVirtual().start(() -> {
            Event[] events = new Event[1];
            long[] times = new long[1];
            try {
                int n;
                while ((n = mailbox.drain(events, times)) >= 0) {
                    taken.add(n);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        start.countDown();
        for (Thread producer : producers) {
            producer.join();
        }
        BusTesting.eventually().until(() -> mailbox.size() == 0);
        mailbox.close();
        consumer.join(60_000);
        assertThat(refused.sum()).as("refused arrivals").isZero();
        assertThat(taken.sum() + evicting.sum()).isEqualTo(PRODUCERS * 5_000L);
    }

    private static void assertInProducerOrder(List<Tag> delivered) {
        Set<String> seen = new HashSet<>();
        int[][] last = new int[PRODUCERS][Event.MAX_PRIORITY + 1];
        for (int[] row : last) {
            java.util.Arrays.fill(row, -1);
        }
        for (Tag tag : delivered) {
            assertThat(tag.seq())
                    .as("producer %d priority %d", tag.producer(), tag.priority())
                    .isGreaterThan(last[tag.producer()][tag.priority()]);
            last[tag.producer()][tag.priority()] = tag.seq();
            seen.add(tag.producer() + "/" + tag.priority());
        }
    }
}
