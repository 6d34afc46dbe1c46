package dev.colony.bus;

import static dev.colony.bus.BusTesting.eventually;
import static dev.colony.bus.BusTesting.join;
import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.internal.Mailbox;
import dev.colony.internal.Mailbox.Offer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MailboxTest {

    @Test
    void priorityLevelsAndPolicies_matchTheBusApi() {
        assertThat(Mailbox.MAX_PRIORITY).isEqualTo(Event.MAX_PRIORITY);
        assertThat(Mailbox.CRITICAL_PRIORITY).isEqualTo(Event.CRITICAL_PRIORITY);
        for (OverflowPolicy policy : OverflowPolicy.values()) {
            assertThat(Mailbox.Overflow.named(policy).name()).isEqualTo(policy.name());
        }
        assertThat(Mailbox.Overflow.values()).hasSameSizeAs(OverflowPolicy.values());
    }

    private static final Subject SUBJECT = Subject.of("m");

    private static Event event(int priority, String payload) {
        return new Event(SUBJECT, payload, priority);
    }

    private static Offer offer(Mailbox<Event> mailbox, int priority, String payload) {
        return mailbox.offer(event(priority, payload), priority, 0);
    }

    /** Drains everything queued (never waits: callers check there is something). */
    private static List<Object> drain(Mailbox<Event> mailbox, int batch) throws InterruptedException {
        Event[] events = new Event[batch];
        int n = mailbox.drain(events, new long[batch]);
        List<Object> payloads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            payloads.add(events[i].payload());
        }
        return payloads;
    }

    @Test
    void drain_mixedPriorities_highestFirstFifoWithinAPriority() throws Exception {
        Mailbox<Event> mailbox = new Mailbox<>(10, Mailbox.Overflow.named(OverflowPolicy.BLOCK));
        offer(mailbox, 1, "1a");
        offer(mailbox, 5, "5a");
        offer(mailbox, 9, "9a");
        offer(mailbox, 1, "1b");
        offer(mailbox, 5, "5b");
        assertThat(drain(mailbox, 3)).containsExactly("9a", "5a", "5b");
        assertThat(mailbox.size()).isEqualTo(2);
        assertThat(drain(mailbox, 10)).containsExactly("1a", "1b");
    }

    @Test
    void offer_fullDropOldest_evictsTheOldestOfTheLowestPriorityOrDropsALowerArrival() throws Exception {
        Mailbox<Event> mailbox = new Mailbox<>(3, Mailbox.Overflow.named(OverflowPolicy.DROP_OLDEST));
        offer(mailbox, 2, "2a");
        offer(mailbox, 6, "6a");
        offer(mailbox, 2, "2b");
        assertThat(offer(mailbox, 4, "4a")).isEqualTo(Offer.ACCEPTED_DROPPED_OTHER);
        assertThat(offer(mailbox, 2, "2c")).isEqualTo(Offer.ACCEPTED_DROPPED_OTHER); // same level: oldest goes
        assertThat(offer(mailbox, 1, "1a")).isEqualTo(Offer.DROPPED);
        assertThat(mailbox.dropped()).isEqualTo(3);
        assertThat(drain(mailbox, 10)).containsExactly("6a", "4a", "2c");
    }

    @Test
    void offer_fullDropNewest_dropsTheArrivalOrEvictsTheNewestOfALowerPriority() throws Exception {
        Mailbox<Event> mailbox = new Mailbox<>(3, Mailbox.Overflow.named(OverflowPolicy.DROP_NEWEST));
        offer(mailbox, 2, "2a");
        offer(mailbox, 6, "6a");
        offer(mailbox, 2, "2b");
        assertThat(offer(mailbox, 2, "2c")).isEqualTo(Offer.DROPPED);
        assertThat(offer(mailbox, 4, "4a")).isEqualTo(Offer.ACCEPTED_DROPPED_OTHER);
        assertThat(mailbox.dropped()).isEqualTo(2);
        assertThat(drain(mailbox, 10)).containsExactly("6a", "4a", "2a");
    }

    @ParameterizedTest
    @EnumSource(
            value = OverflowPolicy.class,
            names = {"DROP_OLDEST", "DROP_NEWEST"})
    void offer_fullOfCriticalEvents_dropsANormalArrivalAndMakesACriticalOneWait(OverflowPolicy policy)
            throws Exception {
        Mailbox<Event> mailbox = new Mailbox<>(2, Mailbox.Overflow.named(policy));
        offer(mailbox, 8, "8a");
        offer(mailbox, 9, "9a");
        assertThat(offer(mailbox, 7, "7a")).isEqualTo(Offer.DROPPED);
        assertThat(offer(mailbox, 8, "8b")).isEqualTo(Offer.FULL);
        assertThat(mailbox.dropped()).isEqualTo(1);
        assertThat(drain(mailbox, 10)).containsExactly("9a", "8a");
    }

    @Test
    void offer_fullFailOrBlock_rejectsOrReportsFullAndLeavesTheQueueAlone() throws Exception {
        Mailbox<Event> fail = new Mailbox<>(1, Mailbox.Overflow.named(OverflowPolicy.FAIL));
        offer(fail, 4, "a");
        assertThat(offer(fail, 9, "b")).isEqualTo(Offer.REJECTED);
        assertThat(fail.rejected()).isEqualTo(1);
        assertThat(drain(fail, 10)).containsExactly("a");

        Mailbox<Event> block = new Mailbox<>(1, Mailbox.Overflow.named(OverflowPolicy.BLOCK));
        offer(block, 4, "a");
        assertThat(offer(block, 9, "b")).isEqualTo(Offer.FULL);
        assertThat(block.rejected() + block.dropped()).isZero();
    }

    @Test
    void offer_dropPolicies_handEveryEvictedItemToTheCallback() {
        List<Object> evicted = new ArrayList<>();
        Mailbox<String> oldest = new Mailbox<>(2, Mailbox.Overflow.named(OverflowPolicy.DROP_OLDEST), evicted::add);
        oldest.offer("a", 4, 0);
        oldest.offer("b", 4, 0);
        assertThat(oldest.offer("c", 4, 0)).isEqualTo(Offer.ACCEPTED_DROPPED_OTHER);
        Mailbox<String> newest = new Mailbox<>(2, Mailbox.Overflow.named(OverflowPolicy.DROP_NEWEST), evicted::add);
        newest.offer("x", 2, 0);
        newest.offer("y", 2, 0);
        assertThat(newest.offer("z", 2, 0)).isEqualTo(Offer.DROPPED); // the arriving one: not a callback
        assertThat(newest.offer("high", 6, 0)).isEqualTo(Offer.ACCEPTED_DROPPED_OTHER);

        assertThat(evicted).containsExactly("a", "y");
    }

    @Test
    void close_withSink_handsOverEveryQueuedItemHighestPriorityFirst() throws Exception {
        Mailbox<String> mailbox = new Mailbox<>(8, Mailbox.Overflow.named(OverflowPolicy.BLOCK));
        mailbox.offer("low-1", 1, 0);
        mailbox.offer("high", 9, 0);
        mailbox.offer("low-2", 1, 0);
        List<String> left = new ArrayList<>();

        assertThat(mailbox.close(left::add)).isEqualTo(3);

        assertThat(left).containsExactly("high", "low-1", "low-2");
        assertThat(mailbox.close(left::add)).isZero();
        assertThat(mailbox.offer("late", 4, 0)).isEqualTo(Offer.CLOSED);
        assertThat(left).hasSize(3);
    }

    @Test
    void close_racingProducers_everyAcceptedItemDrainedOrHandedOver() throws Exception {
        for (int round = 0; round < 50; round++) {
            Mailbox<Integer> mailbox = new Mailbox<>(1 << 14, Mailbox.Overflow.named(OverflowPolicy.FAIL));
            AtomicInteger accepted = new AtomicInteger();
            List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                producers.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        if (mailbox.offer(i, i % 10, 0) == Offer.ACCEPTED) {
                            accepted.incrementAndGet();
                        }
                    }
                }));
            }
            List<Integer> left = Collections.synchronizedList(new ArrayList<>());
            Thread.yield();
            int handed = mailbox.close(left::add);
            for (Thread producer : producers) {
                join(producer);
            }
            assertThat(handed).isEqualTo(left.size());
            assertThat(left).hasSize(accepted.get());
        }
    }

    @Test
    void close_withQueuedEvents_returnsTheDiscardedCountAndLaterOffersAreClosedNotCounted() throws Exception {
        Mailbox<Event> mailbox = new Mailbox<>(4, Mailbox.Overflow.named(OverflowPolicy.FAIL));
        offer(mailbox, 4, "a");
        offer(mailbox, 9, "b");
        assertThat(mailbox.refuse()).isEqualTo(Offer.REJECTED);

        assertThat(mailbox.close()).isEqualTo(2);
        assertThat(mailbox.close()).isZero();

        assertThat(offer(mailbox, 4, "c")).isEqualTo(Offer.CLOSED);
        assertThat(mailbox.offerWaiting(event(4, "d"), 4, 0)).isEqualTo(Offer.CLOSED);
        assertThat(mailbox.refuse()).isEqualTo(Offer.CLOSED);
        assertThat(mailbox.rejected()).isEqualTo(1);
        assertThat(mailbox.size()).isZero();
        assertThat(mailbox.drain(new Event[4], new long[4])).isEqualTo(-1);
    }

    @Test
    void offerWaiting_full_waitsForADrainOrEndsRejectedOnInterrupt() throws Exception {
        Mailbox<Event> mailbox = new Mailbox<>(1, Mailbox.Overflow.named(OverflowPolicy.BLOCK));
        offer(mailbox, 4, "a");
        AtomicReference<Offer> waited = new AtomicReference<>();
        Thread producer = Thread.ofPlatform().start(() -> waited.set(mailbox.offerWaiting(event(4, "b"), 4, 0)));
        eventually().until(() -> producer.getState() == Thread.State.WAITING);
        assertThat(drain(mailbox, 10)).containsExactly("a");
        join(producer);
        assertThat(waited.get()).isEqualTo(Offer.ACCEPTED);

        AtomicReference<Boolean> interruptedAfter = new AtomicReference<>();
        Thread interrupted = Thread.ofPlatform().start(() -> {
            waited.set(mailbox.offerWaiting(event(4, "c"), 4, 0));
            interruptedAfter.set(Thread.currentThread().isInterrupted());
        });
        eventually().until(() -> interrupted.getState() == Thread.State.WAITING);
        interrupted.interrupt();
        join(interrupted);
        assertThat(waited.get()).isEqualTo(Offer.REJECTED);
        assertThat(interruptedAfter.get()).isTrue();
        assertThat(mailbox.rejected()).isEqualTo(1);
        assertThat(drain(mailbox, 10)).containsExactly("b");
    }

    /**
     * Random offers and drains against a model of per-priority deques written from the documented rules,
     * over capacities that make the rings wrap, grow, and lose events at both ends.
     */
    @Test
    void offerAndDrain_randomOperations_matchAModelOfPriorityQueues() throws Exception {
        long seed = TestSeeds.seed("MailboxTest.offerAndDrain", 0xB0C5L);
        Random random = new Random(seed);
        OverflowPolicy[] policies = {OverflowPolicy.DROP_OLDEST, OverflowPolicy.DROP_NEWEST, OverflowPolicy.FAIL};
        for (int run = 0; run < 300; run++) {
            int capacity = 1 + random.nextInt(40);
            OverflowPolicy policy = policies[random.nextInt(policies.length)];
            Mailbox<Event> mailbox = new Mailbox<>(capacity, Mailbox.Overflow.named(policy));
            List<ArrayDeque<String>> model = new ArrayList<>();
            for (int level = 0; level <= Event.MAX_PRIORITY; level++) {
                model.add(new ArrayDeque<>());
            }
            int size = 0;
            for (int op = 0; op < 400; op++) {
                String where = "seed " + seed + ", run " + run + ", op " + op + ", " + policy + "/" + capacity;
                if (size > 0 && random.nextInt(5) == 0) {
                    int batch = 1 + random.nextInt(capacity + 2);
                    List<Object> expected = new ArrayList<>();
                    for (int level = Event.MAX_PRIORITY; level >= 0 && expected.size() < batch; level--) {
                        while (!model.get(level).isEmpty() && expected.size() < batch) {
                            expected.add(model.get(level).removeFirst());
                        }
                    }
                    size -= expected.size();
                    assertThat(drain(mailbox, batch)).as(where).isEqualTo(expected);
                    continue;
                }
                int priority = random.nextInt(6) == 0 ? 8 + random.nextInt(2) : random.nextInt(8);
                String payload = "e" + op;
                Offer expected = modelOffer(model, size, capacity, policy, priority, payload);
                size += expected == Offer.ACCEPTED ? 1 : 0;
                assertThat(offer(mailbox, priority, payload)).as(where).isEqualTo(expected);
                assertThat(mailbox.size()).as(where).isEqualTo(size);
            }
        }
    }

    private static Offer modelOffer(
            List<ArrayDeque<String>> model,
            int size,
            int capacity,
            OverflowPolicy policy,
            int priority,
            String payload) {
        if (size < capacity) {
            model.get(priority).addLast(payload);
            return Offer.ACCEPTED;
        }
        if (policy == OverflowPolicy.FAIL) {
            return Offer.REJECTED;
        }
        int lowest = -1;
        for (int level = 0; level < Event.CRITICAL_PRIORITY && lowest < 0; level++) {
            lowest = model.get(level).isEmpty() ? -1 : level;
        }
        boolean critical = priority >= Event.CRITICAL_PRIORITY;
        boolean arrivalIsVictim =
                lowest < 0 || lowest > priority || (lowest == priority && policy == OverflowPolicy.DROP_NEWEST);
        if (!critical && arrivalIsVictim) {
            return Offer.DROPPED;
        }
        if (lowest < 0) {
            return Offer.FULL;
        }
        if (policy == OverflowPolicy.DROP_OLDEST) {
            model.get(lowest).removeFirst();
        } else {
            model.get(lowest).removeLast();
        }
        model.get(priority).addLast(payload);
        return Offer.ACCEPTED_DROPPED_OTHER;
    }
}
