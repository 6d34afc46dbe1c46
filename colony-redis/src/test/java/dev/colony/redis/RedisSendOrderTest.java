package dev.colony.redis;

import static dev.colony.bus.BusTesting.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.DeadLetter;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.InboxOptions;
import dev.colony.messaging.Messenger;
import dev.colony.messaging.SendOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link Messenger#sendAsync} on Redis keeps one thread's messages to one recipient in call order when the
 * recipient's BLOCK inbox is full (ADR 0070): the node's lane for that recipient and its barrier in Redis.
 */
class RedisSendOrderTest {
    private static final AtomicInteger SWARMS = new AtomicInteger();
    private static final AgentId BOB = AgentId.of("bob");

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private final List<AutoCloseable> resources = new ArrayList<>();
    private String swarm;

    @org.junit.jupiter.api.BeforeEach
    void newSwarm() {
        swarm = "order" + SWARMS.incrementAndGet();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    private RedisMessenger node() {
        RedisLink link = RedisLink.open(redis.server().target(swarm));
        RedisMessenger messenger =
                RedisMessenger.open(link, Messenger.builder(), link.settings().messenger());
        resources.add(link);
        resources.add(0, messenger); // messengers close before their links
        return messenger;
    }

    private static Envelope message(String from, Object payload) {
        return Envelope.of(AgentId.of(from), BOB, "test.message", payload);
    }

    /** A handler that takes 5 ms for each of the first {@code slow} messages, so that the inbox fills at once. */
    private static void slowAtFirst(RedisMessenger node, int capacity, int slow, List<Object> received) {
        node.open(BOB, InboxOptions.defaults().withCapacity(capacity)).attach(m -> {
            received.add(m.payload());
            if (received.size() <= slow) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
    }

    @Test
    void sendAsync_500InFlightIntoAFullBlockInboxOfFour_everyMessageOnceInCallOrder() {
        for (boolean sameNode : new boolean[] {false, true}) {
            newSwarm();
            RedisMessenger sender = node();
            RedisMessenger receiver = sameNode ? sender : node();
            List<Object> received = new CopyOnWriteArrayList<>();
            slowAtFirst(receiver, 4, 40, received);
            int count = 600;

            List<CompletableFuture<SendOutcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                outcomes.add(sender.sendAsync(message("alice", i)));
            }

            assertThat(outcomes).allSatisfy(f -> assertThat(f.join()).isEqualTo(SendOutcome.DELIVERED));
            eventually().until(() -> received.size() >= count);
            assertThat(received)
                    .as("same node: " + sameNode)
                    .containsExactlyElementsOf(IntStream.range(0, count).boxed().toList());
            assertThat(sender.deadLetters().size()).isZero();
            assertThat(sender.sender().lanes().busy()).isZero();
            assertThat(exists(sender.sender().lanes().barrierKey(BOB))).isZero();
        }
    }

    @Test
    void sendAsync_twoNodesIntoOneFullBlockInbox_eachNodesMessagesOnceInItsCallOrder() throws Exception {
        RedisMessenger receiver = node();
        List<Object> received = new CopyOnWriteArrayList<>();
        slowAtFirst(receiver, 4, 40, received);
        int count = 400;
        List<RedisMessenger> senders = List.of(node(), node());
        List<Thread> threads = new ArrayList<>();
        AtomicInteger notDelivered = new AtomicInteger();
        for (int n = 0; n < senders.size(); n++) {
            RedisMessenger sender = senders.get(n);
            String name = "node" + n;
            threads.add(Thread.ofPlatform().start(() -> {
                List<CompletableFuture<SendOutcome>> outcomes = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    outcomes.add(sender.sendAsync(message(name, name + "-" + i)));
                }
                outcomes.forEach(f -> {
                    if (f.join() != SendOutcome.DELIVERED) {
                        notDelivered.incrementAndGet();
                    }
                });
            }));
        }
        for (Thread thread : threads) {
            assertThat(thread.join(Duration.ofMinutes(2))).isTrue();
        }

        eventually().until(() -> received.size() >= 2 * count);
        assertThat(notDelivered).hasValue(0);
        assertThat(received).hasSize(2 * count);
        for (int n = 0; n < senders.size(); n++) {
            String prefix = "node" + n + "-";
            assertThat(received.stream().map(String::valueOf).filter(p -> p.startsWith(prefix)))
                    .containsExactlyElementsOf(
                            IntStream.range(0, count).mapToObj(i -> prefix + i).toList());
        }
    }

    @Test
    void sendAndSendAsyncMixed_intoAFullBlockInboxOfFour_everyMessageOnceInCallOrder() {
        RedisMessenger sender = node();
        RedisMessenger receiver = node();
        List<Object> received = new CopyOnWriteArrayList<>();
        slowAtFirst(receiver, 4, 40, received);
        int count = 300;

        List<CompletableFuture<SendOutcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Envelope message = message("alice", i);
            outcomes.add(
                    i % 10 == 9 ? CompletableFuture.completedFuture(sender.send(message)) : sender.sendAsync(message));
        }

        assertThat(outcomes).allSatisfy(f -> assertThat(f.join()).isEqualTo(SendOutcome.DELIVERED));
        eventually().until(() -> received.size() >= count);
        assertThat(received)
                .containsExactlyElementsOf(IntStream.range(0, count).boxed().toList());
    }

    @Test
    void send_interruptedWhileItsMessageWaitsInTheLane_rejectedWithADeadLetterAndTheRestInOrder() throws Exception {
        RedisMessenger sender = node();
        RedisMessenger receiver = node();
        CountDownLatch release = new CountDownLatch(1);
        List<Object> received = new CopyOnWriteArrayList<>();
        receiver.open(BOB, InboxOptions.defaults().withCapacity(4)).attach(m -> {
            received.add(m.payload());
            release.await(1, TimeUnit.MINUTES);
        });
        int count = 100; // more than a read batch (64) and the capacity (4): some wait in the lane
        List<CompletableFuture<SendOutcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            outcomes.add(sender.sendAsync(message("alice", i)));
        }
        eventually().until(() -> exists(sender.sender().lanes().barrierKey(BOB)) == 1);
        java.util.concurrent.atomic.AtomicReference<SendOutcome> interrupted =
                new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean stillInterrupted = new java.util.concurrent.atomic.AtomicBoolean();
        Thread blocked = Thread.ofPlatform().start(() -> {
            interrupted.set(sender.send(message("alice", "interrupted")));
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        eventually().until(() -> blocked.getState() == Thread.State.WAITING);
        blocked.interrupt();
        assertThat(blocked.join(Duration.ofMinutes(1))).isTrue();

        assertThat(interrupted.get()).isEqualTo(SendOutcome.REJECTED);
        assertThat(stillInterrupted).isTrue();
        DeadLetter letter = sender.deadLetters().poll();
        assertThat(letter.envelope().payload()).isEqualTo("interrupted");
        assertThat(letter.detail()).contains("interrupted");
        release.countDown();
        assertThat(outcomes).allSatisfy(f -> assertThat(f.join()).isEqualTo(SendOutcome.DELIVERED));
        eventually().until(() -> received.size() >= count);
        assertThat(received)
                .containsExactlyElementsOf(IntStream.range(0, count).boxed().toList());
    }

    @Test
    void close_whileTheLaneIsStalled_everyFutureCompletesAndNoBarrierIsLeft() throws Exception {
        RedisMessenger receiver = node();
        RedisMessenger sender = node();
        CountDownLatch release = new CountDownLatch(1);
        List<Object> received = new CopyOnWriteArrayList<>();
        receiver.open(BOB, InboxOptions.defaults().withCapacity(4)).attach(m -> {
            received.add(m.payload());
            release.await(1, TimeUnit.MINUTES);
        });
        int count = 100;
        List<CompletableFuture<SendOutcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            outcomes.add(sender.sendAsync(message("alice", i)));
        }
        String barrier = sender.sender().lanes().barrierKey(BOB);
        eventually().until(() -> exists(barrier) == 1);

        sender.close();

        CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
        long delivered =
                outcomes.stream().filter(f -> f.join() == SendOutcome.DELIVERED).count();
        long rejected =
                outcomes.stream().filter(f -> f.join() == SendOutcome.REJECTED).count();
        assertThat(delivered + rejected).isEqualTo(count);
        assertThat(rejected).isPositive();
        List<DeadLetter> letters = new ArrayList<>();
        for (DeadLetter letter; (letter = sender.deadLetters().poll()) != null; ) {
            letters.add(letter);
        }
        assertThat(letters).hasSize((int) rejected);
        assertThat(letters).allSatisfy(l -> assertThat(l.reason()).isEqualTo(DeadLetter.Reason.REJECTED));
        assertThat(exists(barrier)).as("barrier left behind").isZero();

        release.countDown();
        eventually().until(() -> received.size() >= delivered);
        assertThat(received)
                .as("the delivered ones are the first, in order")
                .containsExactlyElementsOf(IntStream.range(0, (int) delivered)
                        .boxed()
                        .map(i -> (Object) i)
                        .toList());
    }

    private long exists(String key) {
        try (RedisLink link = RedisLink.open(redis.server().target(swarm));
                RedisLinkConnection<String, String> connection = link.connectStrings()) {
            return connection.sync().exists(key);
        }
    }
}
