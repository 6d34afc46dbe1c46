package dev.colony.redis;

import static dev.colony.bus.BusTesting.awaitLatch;
import static dev.colony.bus.BusTesting.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.Messenger;
import dev.colony.messaging.SendOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node crashes in the middle of a handler: the messages it held unacknowledged go to the node that opens
 * the inbox next, after the claim idle time; a copy of a handled message is suppressed.
 */
class RedisMessengerRedeliveryTest {
    static final RedisMessengerOptions FAST = RedisMessengerOptions.defaults()
            .withNodeTtl(Duration.ofMillis(600))
            .withClaimIdle(Duration.ofSeconds(1))
            .withReadBlock(Duration.ofMillis(200));
    private static final AgentId WORKER = AgentId.of("worker");
    private static final AgentId BOSS = AgentId.of("boss");

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    @Test
    void crashMidHandler_unacknowledgedMessagesRedeliveredToTheNextOwnerOnceAndCopiesSuppressed() throws Exception {
        String swarm = "crash";
        RedisLink senderLink = RedisLink.open(redis.server().target(swarm));
        RedisLink crashingLink = RedisLink.open(redis.server().target(swarm));
        RedisLink takeoverLink = RedisLink.open(redis.server().target(swarm));
        RedisMessenger sender = RedisMessenger.open(senderLink, Messenger.builder(), FAST);
        RedisMessenger crashing = RedisMessenger.open(crashingLink, Messenger.builder(), FAST);
        RedisMessenger takeover = null;
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        try {
            List<Envelope> sent = new ArrayList<>();
            var inbox = crashing.open(WORKER);
            for (int i = 0; i < 10; i++) { // waiting before attach: one batch of ten
                sent.add(Envelope.of(BOSS, WORKER, "job", i));
                assertThat(sender.send(sent.get(i))).isEqualTo(SendOutcome.DELIVERED);
            }
            List<Object> firstHandled = new CopyOnWriteArrayList<>();
            inbox.attach(m -> {
                firstHandled.add(m.payload());
                if (m.payload().equals(5)) {
                    stuck.countDown();
                    never.await(); // the process "dies" in here
                }
            });
            awaitLatch(stuck);
            for (int i = 10; i < 20; i++) { // never read by the crashing node
                sent.add(Envelope.of(BOSS, WORKER, "job", i));
                assertThat(sender.send(sent.get(i))).isEqualTo(SendOutcome.DELIVERED);
            }

            crashingLink.close(); // no acknowledgement, no heartbeat from here on

            takeover = RedisMessenger.open(takeoverLink, Messenger.builder(), FAST);
            RedisMessenger next = takeover;
            List<Object> handled = new CopyOnWriteArrayList<>();
            eventually().until(() -> opened(next, handled)); // once the crashed node's heartbeat expired
            eventually().until(() -> handled.size() == 20);
            assertThat(handled)
                    .containsExactlyInAnyOrderElementsOf(
                            IntStream.range(0, 20).boxed().toList());
            assertThat(firstHandled).containsExactly(0, 1, 2, 3, 4, 5);
            assertThat(takeover.reclaimedEntries()).isEqualTo(10);

            // a copy of a handled message (a retried send, a second delivery) is skipped and acknowledged
            try (RedisLinkConnection<String, byte[]> raw = senderLink.connectBytes()) {
                raw.sync()
                        .xadd(
                                senderLink.target().key("inbox:worker"),
                                Map.of("m", sender.codec().encode(sent.get(12))));
            }
            Envelope last = Envelope.of(BOSS, WORKER, "job", 20);
            assertThat(sender.send(last)).isEqualTo(SendOutcome.DELIVERED);
            eventually().until(() -> handled.size() == 21);
            assertThat(takeover.duplicatesSuppressed()).isEqualTo(1);
            assertThat(handled).filteredOn(p -> p.equals(12)).hasSize(1);
            assertThat(takeover.deadLetters().total()).isZero();
        } finally {
            never.countDown();
            if (takeover != null) {
                takeover.close();
            }
            crashing.close();
            sender.close();
            takeoverLink.close();
            senderLink.close();
        }
    }

    private static boolean opened(Messenger node, List<Object> handled) {
        try {
            node.open(WORKER).attach(m -> handled.add(m.payload()));
            return true;
        } catch (IllegalStateException e) {
            return false; // still open on the crashed node until its heartbeat key expires
        }
    }
}
