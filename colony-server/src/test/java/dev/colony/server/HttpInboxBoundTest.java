package dev.colony.server;

import static dev.colony.bus.BusTesting.eventually;
import static dev.colony.messaging.MessengerFixture.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.Colony;
import dev.colony.bus.OverflowPolicy;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.DeadLetter;
import dev.colony.messaging.InboxOptions;
import dev.colony.messaging.Messenger;
import dev.colony.messaging.SendOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The most an HTTP inbox of capacity C holds unacknowledged is 3C (the class comment of {@link HttpInbox}): C in
 * its buffer, a batch of up to C in the hand of the Colony inbox's thread, C in the Colony inbox. Driven step
 * by step to that state, each step awaited on what the inbox shows, so the count is exact on either backend.
 */
class HttpInboxBoundTest {
    private static final int CAPACITY = 2;
    private static final AgentId ALICE = AgentId.of("alice");
    private static final AgentId BOB = AgentId.of("bob");

    private Colony colony;
    private Messenger messenger;
    private HttpInbox inbox;

    /** The colony behind the inbox (embedded here). */
    Colony colony() {
        return Colony.embedded();
    }

    @BeforeEach
    void open() {
        colony = colony();
        messenger = colony.messenger();
        InboxOptions options = InboxOptions.defaults().withCapacity(CAPACITY).withOverflow(OverflowPolicy.FAIL);
        inbox = new HttpInbox(messenger.open(BOB, options), messenger, CAPACITY);
    }

    @AfterEach
    void close() {
        inbox.close();
        colony.close();
    }

    @Test
    void fill_bufferFullAsABatchEnds_threeTimesCapacityUnacknowledgedThenMailboxFull() throws Exception {
        assertThat(send(1)).isEqualTo(SendOutcome.DELIVERED);
        assertThat(send(2)).isEqualTo(SendOutcome.DELIVERED);
        eventually().until(() -> inbox.held(2).isPresent()); // buffer: 1 2
        assertThat(send(3)).isEqualTo(SendOutcome.DELIVERED);
        eventually().until(inbox::deliveryWaiting); // in hand: 3, a batch of its own
        assertThat(send(4)).isEqualTo(SendOutcome.DELIVERED);
        assertThat(send(5)).isEqualTo(SendOutcome.DELIVERED); // queued: 4 5
        assertThat(send(-1)).isEqualTo(SendOutcome.MAILBOX_FULL); // 5 unacknowledged: 2C + 1

        inbox.ack(1); // 3 fills the buffer as its batch ends; the next batch is the whole queue
        eventually().until(() -> inbox.held(3).isPresent() && inbox.deliveryWaiting()); // in hand: 4 5
        assertThat(send(6)).isEqualTo(SendOutcome.DELIVERED);
        assertThat(send(7)).isEqualTo(SendOutcome.DELIVERED); // queued: 6 7
        assertThat(send(-2)).isEqualTo(SendOutcome.MAILBOX_FULL);

        assertThat(readThrough(1, 7)).containsExactly(2, 3, 4, 5, 6, 7); // 3C unacknowledged at once, all kept
        List<DeadLetter> letters = messenger.deadLetters().drain();
        assertThat(letters).extracting(DeadLetter::reason).containsOnly(DeadLetter.Reason.MAILBOX_FULL);
        assertThat(letters).extracting(l -> l.envelope().payload()).containsExactly(-1, -2);
    }

    private SendOutcome send(int n) {
        return messenger.send(message(ALICE, BOB, n));
    }

    /** Reads and acknowledges every message after number {@code after} up to number {@code last}; their payloads. */
    private List<Object> readThrough(long after, long last) throws InterruptedException {
        List<Object> payloads = new ArrayList<>();
        long deadline = System.nanoTime() + HttpInbox.nanos(SseClient.generous());
        while (after < last && System.nanoTime() < deadline) {
            for (HttpInbox.Numbered n : inbox.read(after, 16, HttpInbox.nanos(Duration.ofMillis(100)))) {
                payloads.add(n.message().payload());
                after = n.seq();
            }
        }
        inbox.ack(after);
        return payloads;
    }
}
