package dev.colony.redis;

import static dev.colony.bus.BusTesting.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.Messenger;
import dev.colony.messaging.SendOutcome;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Redis restarts (append-only file, fsync always) in the middle of a workload between two nodes: every send
 * that returned DELIVERED is handled, and none twice.
 */
class RedisMessengerRestartTest {
    private static final AgentId SINK = AgentId.of("sink");
    private static final AgentId SOURCE = AgentId.of("source");
    private static final int MESSAGES = 1_500;

    @Test
    void redisRestartMidWorkload_noDeliveredSendLostNoneHandledTwice() throws Exception {
        try (RedisServer server = RedisServer.start(true);
                RedisLink senderLink = RedisLink.open(server.target("restart"));
                RedisLink receiverLink = RedisLink.open(server.target("restart"))) {
            RedisMessenger sender =
                    RedisMessenger.open(senderLink, Messenger.builder(), RedisMessengerRedeliveryTest.FAST);
            RedisMessenger receiver =
                    RedisMessenger.open(receiverLink, Messenger.builder(), RedisMessengerRedeliveryTest.FAST);
            try {
                Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
                receiver.open(SINK)
                        .attach(m -> handled.computeIfAbsent(m.id(), k -> new AtomicInteger())
                                .incrementAndGet());
                Set<String> delivered = ConcurrentHashMap.newKeySet();
                Map<SendOutcome, Integer> outcomes = new EnumMap<>(SendOutcome.class);
                AtomicInteger progress = new AtomicInteger();
                Thread workload = Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < MESSAGES; i++) {
                        Envelope message = Envelope.of(SOURCE, SINK, "work", i);
                        SendOutcome outcome = sender.send(message);
                        if (outcome == SendOutcome.DELIVERED) {
                            delivered.add(message.id());
                        }
                        synchronized (outcomes) {
                            outcomes.merge(outcome, 1, Integer::sum);
                        }
                        progress.incrementAndGet();
                    }
                });
                eventually().until(() -> progress.get() >= MESSAGES / 3);

                server.restart();

                workload.join(Duration.ofMinutes(2));
                assertThat(workload.isAlive()).isFalse();
                try {
                    eventually().until(() -> handled.keySet().containsAll(delivered));
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    System.out.println("restart test, not handled: "
                            + delivered.stream()
                                    .filter(d -> !handled.containsKey(d))
                                    .count()
                            + " xlen " + server.command("XLEN colony:{restart}:inbox:sink")
                            + " pending " + server.command("XPENDING colony:{restart}:inbox:sink colony")
                            + " groups " + server.command("XINFO GROUPS colony:{restart}:inbox:sink")
                            + " outcomes " + outcomes + " dups " + receiver.duplicatesSuppressed() + " reclaimed "
                            + receiver.reclaimedEntries()
                            + " failures " + receiver.redisFailures());
                    throw e;
                }
                System.out.printf(
                        "restart test: outcomes %s, handled %d distinct, duplicates suppressed %d, reclaimed %d,"
                                + " redis failures sender %d receiver %d%n",
                        outcomes,
                        handled.size(),
                        receiver.duplicatesSuppressed(),
                        receiver.reclaimedEntries(),
                        sender.redisFailures(),
                        receiver.redisFailures());
                assertThat(delivered).hasSizeGreaterThan(MESSAGES / 3);
                assertThat(handled.values())
                        .allSatisfy(count -> assertThat(count).hasValue(1));
                // the inbox goes on after the restart
                Envelope after = Envelope.of(SOURCE, SINK, "work", "after");
                assertThat(sender.send(after)).isEqualTo(SendOutcome.DELIVERED);
                eventually().until(() -> handled.containsKey(after.id()));
            } finally {
                receiver.close();
                sender.close();
            }
        }
    }
}
