package dev.colony.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.InboxOptions;
import dev.colony.messaging.Messenger;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bounded memory under a slow consumer (issue 21): a handler far slower than its publisher (it parks
 * {@value #HANDLER_PARK_MICROS} µs per event while the publisher publishes without pause, at least 10x
 * slower) never makes the bus or the messenger hold more than a fixed number of events, whatever the
 * overflow policy. What is held is derived from exact counters after every publish: published minus
 * everything handled, dropped or refused. It can only be over-estimated by reading the counters late, so
 * the bound cannot pass by luck. The bound is the mailbox ({@value #CAPACITY}) plus the batch the drainer
 * has taken out of it (at most as many), each holding one {@value #PAYLOAD_BYTES}-byte payload.
 */
class SlowConsumerBoundTest {
    private static final int CAPACITY = 64;
    private static final int PAYLOAD_BYTES = 1024;
    private static final long HANDLER_PARK_MICROS = 50;
    private static final long BOUND = 2L * CAPACITY;

    private static void slowWork() {
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(HANDLER_PARK_MICROS));
    }

    @ParameterizedTest
    @EnumSource(
            value = OverflowPolicy.class,
            names = {"BLOCK", "DROP_OLDEST", "DROP_NEWEST"})
    void asyncSubscription_slowHandler_holdsAtMostMailboxPlusOneBatch(OverflowPolicy policy) {
        assertBusBound(policy, EventBus.builder());
    }

    /** The same with a platform drainer thread ({@link EventBus.Builder#drainerThreads}, ADR 0065). */
    @ParameterizedTest
    @EnumSource(
            value = OverflowPolicy.class,
            names = {"BLOCK", "DROP_OLDEST", "DROP_NEWEST"})
    void asyncSubscriptionOnAPlatformDrainer_slowHandler_holdsAtMostMailboxPlusOneBatch(OverflowPolicy policy) {
        assertBusBound(
                policy,
                EventBus.builder().drainerThreads(Thread.ofPlatform().daemon().factory()));
    }

    private static void assertBusBound(OverflowPolicy policy, EventBus.Builder builder) {
        int events = policy == OverflowPolicy.BLOCK ? 2_000 : 20_000;
        try (EventBus bus = builder.build()) {
            AtomicLong handled = new AtomicLong();
            Subscription subscription = bus.subscribe(
                    SubjectPattern.of("slow.*"),
                    event -> {
                        slowWork();
                        handled.incrementAndGet();
                    },
                    SubscribeOptions.async().withCapacity(CAPACITY).withOverflow(policy));
            long maxHeld = 0;
            for (int i = 0; i < events; i++) {
                PublishResult result = bus.publish("slow.x", new byte[PAYLOAD_BYTES]);
                assertThat(result.matched()).isEqualTo(1);
                assertThat(result.rejected()).isZero();
                SubscriptionStats stats = subscription.stats();
                assertThat(stats.queueDepth()).isLessThanOrEqualTo(CAPACITY);
                long held = (i + 1L) - stats.delivered() - stats.dropped() - stats.rejected();
                maxHeld = Math.max(maxHeld, held);
                assertThat(held).as("events held after publish %d", i).isLessThanOrEqualTo(BOUND);
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> subscription.stats().queueDepth() == 0
                            && subscription.stats().delivered()
                                            + subscription.stats().dropped()
                                    == events);
            SubscriptionStats end = subscription.stats();
            assertThat(end.delivered()).isEqualTo(handled.get());
            assertThat(end.delivered() + end.dropped()).isEqualTo(events);
            assertThat(end.rejected()).isZero();
            System.out.printf(
                    "[bound] %s: %d published, %d delivered, %d dropped, at most %d held (%d bytes of payload)%n",
                    policy, events, end.delivered(), end.dropped(), maxHeld, maxHeld * PAYLOAD_BYTES);
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = OverflowPolicy.class,
            names = {"BLOCK", "DROP_OLDEST", "DROP_NEWEST"})
    void inbox_slowHandler_holdsAtMostMailboxPlusOneBatch(OverflowPolicy policy) {
        int messages = policy == OverflowPolicy.BLOCK ? 2_000 : 20_000;
        AgentId sender = AgentId.of("fast");
        AgentId recipient = AgentId.of("slow");
        try (Messenger messenger = Messenger.builder().deadLetterCapacity(16).build()) {
            AtomicLong handled = new AtomicLong();
            var inbox = messenger.open(
                    recipient, InboxOptions.defaults().withCapacity(CAPACITY).withOverflow(policy));
            inbox.attach(message -> {
                slowWork();
                handled.incrementAndGet();
            });
            long maxHeld = 0;
            for (int i = 0; i < messages; i++) {
                messenger.send(Envelope.of(sender, recipient, "bulk", new byte[PAYLOAD_BYTES]));
                assertThat(inbox.size()).isLessThanOrEqualTo(CAPACITY);
                long held = (i + 1L)
                        - messenger.metrics().delivered()
                        - messenger.metrics().deadLettered();
                maxHeld = Math.max(maxHeld, held);
                assertThat(held).as("messages held after send %d", i).isLessThanOrEqualTo(BOUND);
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> messenger.metrics().delivered()
                                    + messenger.metrics().deadLettered()
                            == messages);
            assertThat(messenger.metrics().delivered()).isEqualTo(handled.get());
            assertThat(messenger.deadLetters().total()).isEqualTo(messages - handled.get());
            System.out.printf(
                    "[bound] inbox %s: %d sent, %d handled, at most %d held (%d bytes of payload)%n",
                    policy, messages, handled.get(), maxHeld, maxHeld * PAYLOAD_BYTES);
        }
    }
}
