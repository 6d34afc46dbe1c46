package dev.colony.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.bus.OverflowPolicy;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The queue of evicted messages is created with the first eviction, once (ADR 0064). */
class LocalInboxEvictedQueueTest {
    private static final int THREADS = 8;
    private static final int ROUNDS = 200;

    @Test
    void evicted_firstUseFromManyThreadsAtOnce_createsExactlyOneQueue() throws Exception {
        try (Messenger messenger = Messenger.builder().build()) {
            for (int round = 0; round < ROUNDS; round++) {
                LocalInbox inbox = (LocalInbox) messenger.open(AgentId.of("evicting-" + round));
                CountDownLatch ready = new CountDownLatch(THREADS);
                CountDownLatch go = new CountDownLatch(1);
                List<ConcurrentLinkedQueue<Object>> seen = new CopyOnWriteArrayList<>();
                Thread[] threads = new Thread[THREADS];
                for (int t = 0; t < THREADS; t++) {
                    threads[t] = Thread.ofPlatform().start(() -> {
                        ready.countDown();
                        try {
                            go.await();
                        } catch (InterruptedException e) {
                            return;
                        }
                        seen.add(inbox.evicted());
                    });
                }
                assertThat(ready.await(60, TimeUnit.SECONDS)).isTrue();
                go.countDown();
                for (Thread thread : threads) {
                    assertThat(thread.join(java.time.Duration.ofSeconds(60))).isTrue();
                }
                Set<ConcurrentLinkedQueue<Object>> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
                distinct.addAll(seen);
                assertThat(seen).as("round %d", round).hasSize(THREADS);
                assertThat(distinct).as("round %d", round).hasSize(1);
                assertThat(inbox.evicted()).isSameAs(seen.getFirst());
                inbox.close();
            }
        }
    }

    @Test
    void offer_dropOldestIntoAFullInbox_deadLettersEachEvictedMessageOnce() {
        try (Messenger messenger = Messenger.builder().build()) {
            AgentId to = AgentId.of("full");
            Inbox inbox = messenger.open(
                    to, InboxOptions.defaults().withCapacity(2).withOverflow(OverflowPolicy.DROP_OLDEST));
            for (int i = 0; i < 10; i++) {
                assertThat(messenger.send(Envelope.of(AgentId.of("sender"), to, "n", i)))
                        .isEqualTo(SendOutcome.DELIVERED);
            }
            List<DeadLetter> dead = messenger.deadLetters().drain();
            assertThat(dead).hasSize(8);
            assertThat(dead).allMatch(letter -> letter.reason() == DeadLetter.Reason.EVICTED);
            assertThat(dead.stream().map(letter -> letter.envelope().payload()))
                    .containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
            assertThat(inbox.size()).isEqualTo(2);
        }
    }

    @Test
    void open_idleInbox_hasNoEvictedQueue() {
        try (Messenger messenger = Messenger.builder().build()) {
            LocalInbox inbox = (LocalInbox) messenger.open(AgentId.of("idle"));
            inbox.attach(message -> {});
            assertThat(inbox)
                    .extracting("evicted")
                    .as("no queue until the first eviction")
                    .isNull();
        }
    }
}
