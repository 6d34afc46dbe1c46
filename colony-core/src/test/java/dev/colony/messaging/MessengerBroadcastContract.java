package dev.colony.messaging;

import static dev.colony.messaging.MessengerFixture.message;
import static dev.colony.messaging.MessengerFixture.next;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.bus.OverflowPolicy;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.Test;

/** Part of {@link MessengerContract}: broadcast to a role, to ids matching a pattern, to everyone. */
public interface MessengerBroadcastContract extends MessengerFixture {

    @Test
    default void broadcast_toRole_everyAgentWithTheRoleButTheSender() throws Exception {
        Messenger messenger = messenger();
        BlockingQueue<Envelope> alice =
                collect(messenger, ALICE, InboxOptions.defaults().withRoles("worker"));
        BlockingQueue<Envelope> bob =
                collect(messenger, BOB, InboxOptions.defaults().withRoles("worker", "cook"));
        BlockingQueue<Envelope> carol =
                collect(messenger, CAROL, InboxOptions.defaults().withRoles("boss"));

        BroadcastResult result = messenger.broadcast(Audience.role("worker"), message(ALICE, null, "shift"));

        assertThat(result).isEqualTo(new BroadcastResult(1, 1));
        Envelope got = next(bob);
        assertThat(got.payload()).isEqualTo("shift");
        assertThat(got.recipient()).isEqualTo(BOB);
        assertThat(alice).isEmpty();
        assertThat(carol).isEmpty();
    }

    @Test
    default void broadcast_includeSender_senderReceivesToo() throws Exception {
        Messenger messenger = messenger();
        BlockingQueue<Envelope> alice =
                collect(messenger, ALICE, InboxOptions.defaults().withRoles("worker"));
        BlockingQueue<Envelope> bob =
                collect(messenger, BOB, InboxOptions.defaults().withRoles("worker"));

        BroadcastResult result = messenger.broadcast(Audience.role("worker"), message(ALICE, null, "all"), true);

        assertThat(result).isEqualTo(new BroadcastResult(2, 2));
        assertThat(next(alice).recipient()).isEqualTo(ALICE);
        assertThat(next(bob).recipient()).isEqualTo(BOB);
    }

    @Test
    default void broadcast_idsMatchingAndEveryone_matchTheRightAgents() throws Exception {
        Messenger messenger = messenger();
        BlockingQueue<Envelope> w1 = collect(messenger, AgentId.of("worker-1"));
        BlockingQueue<Envelope> w2 = collect(messenger, AgentId.of("worker-2"));
        BlockingQueue<Envelope> boss = collect(messenger, AgentId.of("boss"));

        assertThat(messenger.broadcast(Audience.idsMatching("worker-\\d+"), message(CAROL, null, "a")))
                .isEqualTo(new BroadcastResult(2, 2));
        assertThat(messenger.broadcast(Audience.everyone(), message(AgentId.of("boss"), null, "b")))
                .isEqualTo(new BroadcastResult(2, 2));

        assertThat(next(w1).payload()).isEqualTo("a");
        assertThat(next(w2).payload()).isEqualTo("a");
        assertThat(next(w1).payload()).isEqualTo("b");
        assertThat(next(w2).payload()).isEqualTo("b");
        assertThat(boss).isEmpty();
    }

    @Test
    default void broadcast_someInboxesFull_countsUndeliveredAndDeadLettersThem() {
        Messenger messenger = messenger();
        InboxOptions tiny =
                InboxOptions.defaults().withRoles("w").withCapacity(1).withOverflow(OverflowPolicy.FAIL);
        messenger.open(ALICE, tiny);
        messenger.open(BOB, tiny);
        messenger.send(message(CAROL, BOB, "fills bob"));

        BroadcastResult result = messenger.broadcast(Audience.role("w"), message(CAROL, null, "x"));

        assertThat(result).isEqualTo(new BroadcastResult(2, 1));
        assertThat(result.undelivered()).isEqualTo(1);
        DeadLetter letter = messenger.deadLetters().poll();
        assertThat(letter.recipient()).isEqualTo(BOB);
        assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.MAILBOX_FULL);
    }

    @Test
    default void broadcast_nobodyMatches_zeroCounts() {
        Messenger messenger = messenger();
        collect(messenger, BOB);

        assertThat(messenger.broadcast(Audience.role("nobody"), message(ALICE, null, "x")))
                .isEqualTo(new BroadcastResult(0, 0));
    }

    @Test
    default void audience_badInput_refusedWithClearErrors() {
        assertThatThrownBy(() -> Audience.role("two words"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two words");
        assertThatThrownBy(() -> Audience.idsMatching("worker-("))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("worker-(");
        assertThat(Audience.idsMatching("a.*")).isEqualTo(Audience.idsMatching("a.*"));
    }
}
