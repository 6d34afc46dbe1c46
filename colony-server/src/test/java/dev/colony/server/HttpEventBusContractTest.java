package dev.colony.server;

import static dev.colony.bus.BusTesting.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.Colony;
import dev.colony.bus.EventBus;
import dev.colony.bus.EventBusContract;
import dev.colony.bus.OverflowPolicy;
import dev.colony.bus.PublishResult;
import dev.colony.bus.SubjectPattern;
import dev.colony.bus.SubscribeOptions;
import dev.colony.bus.Subscription;
import dev.colony.bus.SubscriptionStats;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The event bus contract with every event crossing a server over an embedded colony: {@link HttpBus}
 * publishes with {@code POST /v1/events/{subject}} and its subscriptions are fed by an SSE stream. The buses
 * of one test class share the server (as the Redis contract's share a swarm), each ignoring the others'
 * events (one server per class: the instance lives as long as the class). Two tests have HTTP counterparts, the two of the Redis cross-node contract (ADR 0016), for the
 * same reason: the subscriber's side is another thread than the publisher's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpEventBusContractTest extends EventBusContract {
    private Colony colony;
    private ColonyServer server;

    /** The settings of the colony behind the server (embedded here). */
    Colony.Builder colony() {
        return Colony.builder();
    }

    @BeforeAll
    void startServer() {
        colony = colony().build();
        server = ColonyServer.builder()
                .port(0)
                .colony(colony)
                .guard(new TestGuard())
                .build()
                .start();
    }

    @AfterAll
    void stopServer() throws Exception {
        server.close();
        colony.close();
    }

    @Override
    protected EventBus newBus(EventBus.Builder builder) {
        return new HttpBus(server.uri(), "admin", builder);
    }

    /**
     * Over HTTP, DIRECT handlers cannot run on the publisher's thread (the event comes back on the SSE
     * stream); what holds instead: they run on the stream's reader, one thread, highest priority first, ties
     * in subscription order, with the same result as in one JVM.
     */
    @Override
    @ParameterizedTest(name = "routeCachedBeforeSubscribing={0}")
    @ValueSource(booleans = {false, true})
    public void publish_directSubscribers_runOnThePublisherThreadHighestPriorityFirstTiesInSubscriptionOrder(
            boolean routeCachedBeforeSubscribing) {
        EventBus bus = bus();
        if (routeCachedBeforeSubscribing) {
            assertThat(bus.publish("job.run", "warm-up").isDead()).isTrue();
        }
        List<String> order = new CopyOnWriteArrayList<>();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        String[][] subs = {
            {"job.*", "1", "low"},
            {"job.run", "6", "tie1"},
            {">", "9", "top"},
            {"job.run", "6", "tie2"},
            {"job.>", "0", "zero"},
            {"job.walk", "9", "other-subject"}
        };
        for (String[] sub : subs) {
            bus.subscribe(
                    SubjectPattern.of(sub[0]),
                    e -> {
                        order.add(sub[2]);
                        threads.add(Thread.currentThread());
                    },
                    SubscribeOptions.direct().withPriority(Integer.parseInt(sub[1])));
        }

        PublishResult result = bus.publish("job.run", "x");

        assertThat(order).containsExactly("top", "tie1", "tie2", "low", "zero");
        assertThat(threads.stream().distinct()).singleElement().isNotSameAs(Thread.currentThread());
        assertThat(result).isEqualTo(new PublishResult(5, 5, 0, 0, 0));
    }

    /**
     * Over HTTP, a handler publishing through the facade would wait for the stream's reader, which waits for
     * that handler's full mailbox; a handler publishes on the subscriber's side, and there the contract's rule
     * holds: the publish into its own full BLOCK mailbox is rejected instead of deadlocking.
     */
    @Override
    @Test
    public void publish_handlerIntoItsOwnFullBlockMailbox_isRejectedInsteadOfDeadlocking() {
        HttpBus bus = (HttpBus) bus();
        EventBus handlersSide = bus.subscriberSide();
        AtomicReference<PublishResult> overflow = new AtomicReference<>();
        List<Object> received = new CopyOnWriteArrayList<>();
        Subscription subscription = bus.subscribe(
                SubjectPattern.of("self.x"),
                e -> {
                    received.add(e.payload());
                    if (e.payload().equals("first")) {
                        handlersSide.publish("self.x", "fill"); // takes the only slot
                        overflow.set(handlersSide.publish("self.x", "overflow"));
                    }
                },
                SubscribeOptions.async().withCapacity(1).withOverflow(OverflowPolicy.BLOCK));

        bus.publish("self.x", "first");

        eventually().until(() -> received.size() == 2 && overflow.get() != null);
        assertThat(overflow.get()).isEqualTo(new PublishResult(1, 0, 0, 1, 0));
        assertThat(received).containsExactly("first", "fill");
        eventually().until(() -> subscription.stats().delivered() == 2);
        assertThat(subscription.stats()).isEqualTo(new SubscriptionStats(2, 0, 0, 1, 0, 0));
    }
}
