package dev.colony.redis;

import static dev.colony.bus.BusTesting.awaitLatch;
import static dev.colony.bus.BusTesting.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.Inbox;
import dev.colony.messaging.InboxOptions;
import dev.colony.messaging.Messenger;
import dev.colony.messaging.SendOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An inbox reads ahead while its stream is deep (ADR 0071): never more than its limit of entries read and
 * not yet handled, whatever the handler's speed; a node that dies holding a read-ahead loses none of it.
 */
class RedisInboxReadAheadTest {
    private static final int READ_AHEAD = 128; // two batches of 64
    private static final int MESSAGES = 1_000;
    private static final RedisMessengerOptions OPTIONS = RedisMessengerRedeliveryTest.FAST.withReadAhead(READ_AHEAD);
    private static final InboxOptions BIG = InboxOptions.defaults().withCapacity(10_000);
    private static final AgentId WORKER = AgentId.of("worker");
    private static final AgentId BOSS = AgentId.of("boss");

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    @Test
    void slowHandler_deepStream_readsAheadToItsLimitAndNoFurther() throws Exception {
        String swarm = "ahead";
        try (RedisLink link = RedisLink.open(redis.server().target(swarm));
                RedisMessenger node = RedisMessenger.open(link, Messenger.builder(), OPTIONS)) {
            Inbox inbox = node.open(WORKER, BIG);
            sendAll(node, 0, MESSAGES);
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            List<Object> handled = new CopyOnWriteArrayList<>();
            inbox.attach(m -> {
                handled.add(m.payload());
                entered.countDown();
                release.await(); // every handler call waits until the test lets them all go
            });
            awaitLatch(entered);
            String stream = link.target().key("inbox:worker");

            eventually().until(() -> pending(link, stream) == READ_AHEAD);
            long reads = reads(link);
            eventually().until(() -> reads(link) >= reads + 3); // the reader went on reading (its reply stream)
            assertThat(pending(link, stream)).isEqualTo(READ_AHEAD);
            assertThat(handled).containsExactly(0);

            release.countDown();
            eventually().until(() -> handled.size() == MESSAGES);
            assertThat(handled).containsExactlyElementsOf(range(0, MESSAGES)); // one sender, one priority: in order
            eventually().until(() -> length(link, stream) == 0);
            assertThat(node.duplicatesSuppressed()).isZero();
            assertThat(node.deadLetters().total()).isZero();
        }
    }

    @Test
    void handlerTooSlowForTheClaimIdleTime_noReadAhead() throws Exception {
        String swarm = "slow";
        try (RedisLink link = RedisLink.open(redis.server().target(swarm));
                RedisMessenger node = RedisMessenger.open(link, Messenger.builder(), OPTIONS)) {
            Inbox inbox = node.open(WORKER, BIG);
            sendAll(node, 0, 300);
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            List<Object> handled = new CopyOnWriteArrayList<>();
            inbox.attach(m -> {
                handled.add(m.payload());
                if ((int) m.payload() < 64) {
                    Thread.sleep(10); // the first chunk's pace: 128 entries would take 1.28 s > claimIdle / 2
                } else if (m.payload().equals(64)) {
                    entered.countDown();
                    release.await();
                }
            });
            awaitLatch(entered);
            String stream = link.target().key("inbox:worker");
            eventually().until(() -> pending(link, stream) == 64); // the first chunk acknowledged
            long reads = reads(link);
            eventually().until(() -> reads(link) >= reads + 3);
            assertThat(pending(link, stream)).isEqualTo(64); // the chunk in hand, nothing read ahead

            release.countDown();
            eventually().until(() -> handled.size() == 300);
            assertThat(handled).containsExactlyElementsOf(range(0, 300));
        }
    }

    @Test
    void shallowStream_noReadAhead_nextReadOnlyOnceTheBatchWasHandled() throws Exception {
        String swarm = "shallow";
        try (RedisLink link = RedisLink.open(redis.server().target(swarm));
                RedisMessenger node = RedisMessenger.open(link, Messenger.builder(), OPTIONS)) {
            Inbox inbox = node.open(WORKER, BIG);
            sendAll(node, 0, 10); // fewer than a batch: the stream is shallow
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            List<Object> handled = new CopyOnWriteArrayList<>();
            inbox.attach(m -> {
                handled.add(m.payload());
                entered.countDown();
                release.await();
            });
            awaitLatch(entered);
            sendAll(node, 10, 20);
            String stream = link.target().key("inbox:worker");
            long reads = reads(link);
            eventually().until(() -> reads(link) >= reads + 3);
            assertThat(pending(link, stream)).isEqualTo(10); // the ten sent later stay undelivered in Redis

            release.countDown();
            eventually().until(() -> handled.size() == 20);
            assertThat(handled).containsExactlyElementsOf(range(0, 20));
        }
    }

    @Test
    void crashHoldingReadAhead_everyEntryRedeliveredToTheNextOwnerNoneLost() throws Exception {
        String swarm = "aheadcrash";
        RedisLink senderLink = RedisLink.open(redis.server().target(swarm));
        RedisLink crashingLink = RedisLink.open(redis.server().target(swarm));
        RedisLink takeoverLink = RedisLink.open(redis.server().target(swarm));
        RedisMessenger sender = RedisMessenger.open(senderLink, Messenger.builder(), OPTIONS);
        RedisMessenger crashing = RedisMessenger.open(crashingLink, Messenger.builder(), OPTIONS);
        RedisMessenger takeover = null;
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        try {
            Inbox inbox = crashing.open(WORKER, BIG);
            sendAll(sender, 0, MESSAGES);
            List<Object> firstHandled = new CopyOnWriteArrayList<>();
            inbox.attach(m -> {
                firstHandled.add(m.payload());
                if (m.payload().equals(5)) {
                    stuck.countDown();
                    never.await(); // the process "dies" in here
                }
            });
            awaitLatch(stuck);
            String stream = senderLink.target().key("inbox:worker");
            eventually().until(() -> pending(senderLink, stream) == READ_AHEAD); // a chunk in hand, one read ahead

            crashingLink.close(); // no acknowledgement, no heartbeat from here on

            takeover = RedisMessenger.open(takeoverLink, Messenger.builder(), OPTIONS);
            RedisMessenger next = takeover;
            List<Object> handled = new CopyOnWriteArrayList<>();
            eventually().until(() -> opened(next, handled));
            eventually().until(() -> handled.size() == MESSAGES);
            assertThat(handled).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(range(0, MESSAGES));
            assertThat(firstHandled).containsExactly(0, 1, 2, 3, 4, 5);
            assertThat(takeover.reclaimedEntries()).isEqualTo(READ_AHEAD);
            assertThat(takeover.duplicatesSuppressed()).isZero();
            assertThat(takeover.deadLetters().total()).isZero();
            eventually().until(() -> length(senderLink, stream) == 0);
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

    @Test
    void readAheadFor_smallInboxOrSmallSetting_oneBatch() {
        RedisMessengerOptions defaults = RedisMessengerOptions.defaults();
        assertThat(defaults.readAheadFor(1)).isEqualTo(64);
        assertThat(defaults.readAheadFor(100)).isEqualTo(100);
        assertThat(defaults.readAheadFor(16_384)).isEqualTo(256);
        assertThat(defaults.withReadAhead(10).readAheadFor(16_384)).isEqualTo(64);
    }

    @Test
    void readAheadOption_parsedAndCheckedByName() {
        assertThat(RedisSettings.from(Map.of("readAhead", "1024")).messenger().readAhead())
                .isEqualTo(1024);
        assertThatThrownBy(() -> RedisSettings.from(Map.of("readAhead", "0")))
                .hasMessageContaining("readAhead must be between 1 and 65536, got 0");
    }

    private static void sendAll(Messenger node, int from, int to) {
        for (int i = from; i < to; i++) {
            assertThat(node.send(Envelope.of(BOSS, WORKER, "job", i))).isEqualTo(SendOutcome.DELIVERED);
        }
    }

    private static List<Object> range(int from, int to) {
        return new ArrayList<>(IntStream.range(from, to).boxed().toList());
    }

    /** Entries delivered to a consumer and not acknowledged: read and not yet handled. */
    private static long pending(RedisLink link, String stream) {
        try (RedisLinkConnection<String, byte[]> raw = link.connectBytes()) {
            return raw.sync().xpending(stream, RedisMessenger.GROUP).getCount();
        }
    }

    private static long length(RedisLink link, String stream) {
        try (RedisLinkConnection<String, byte[]> raw = link.connectBytes()) {
            return raw.sync().xlen(stream);
        }
    }

    /** XREADGROUP calls the server ran so far (each node's reader blocks at most readBlock per call). */
    private static long reads(RedisLink link) {
        String stats;
        try (RedisLinkConnection<String, byte[]> raw = link.connectBytes()) {
            stats = raw.sync().info("commandstats");
        }
        int at = stats.indexOf("cmdstat_xreadgroup:calls=");
        if (at < 0) {
            return 0;
        }
        int from = at + "cmdstat_xreadgroup:calls=".length();
        return Long.parseLong(stats.substring(from, stats.indexOf(',', from)));
    }

    private static boolean opened(Messenger node, List<Object> handled) {
        try {
            node.open(WORKER, BIG).attach(m -> handled.add(m.payload()));
            return true;
        } catch (IllegalStateException e) {
            return false; // still open on the crashed node until its heartbeat key expires
        }
    }
}
