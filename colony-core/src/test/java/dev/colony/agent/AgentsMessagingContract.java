package dev.colony.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.SendOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Part of {@link AgentsContract}: an agent gets its messages one at a time, in order, and can answer. */
public interface AgentsMessagingContract extends AgentsFixture {

    @Test
    default void send_hundredMessages_allHandledOnceInOrder() {
        AgentId id = AgentId.of("msg-1");
        var received = new ConcurrentLinkedQueue<Object>();
        colony().spawn(AgentSpec.of(id, "worker"), (ctx, message) -> received.add(message.payload()));

        for (int i = 0; i < 100; i++) {
            assertThat(send(id, i)).isEqualTo(SendOutcome.DELIVERED);
        }

        eventually().until(() -> received.size() >= 100);
        assertThat(new ArrayList<>(received))
                .containsExactlyElementsOf(IntStream.range(0, 100).boxed().toList());
    }

    @Test
    default void send_beforeOnStartReturns_waitsInTheInboxAndArrives() {
        AgentId id = AgentId.of("msg-2");
        var release = new CountDownLatch(1);
        var received = new ConcurrentLinkedQueue<Object>();
        colony().spawn(AgentSpec.of(id, "worker"), new Behavior() {
            @Override
            public void onStart(AgentContext ctx) throws InterruptedException {
                release.await();
            }

            @Override
            public void onMessage(AgentContext ctx, Envelope message) {
                received.add(message.payload());
            }
        });

        assertThat(send(id, "early")).isEqualTo(SendOutcome.DELIVERED);
        assertThat(received).isEmpty(); // onStart has not returned: the latch holds it
        release.countDown();

        eventually().until(() -> received.size() == 1);
        assertThat(received).containsExactly("early");
    }

    @Test
    default void request_betweenTwoAgents_replyArrives() {
        AgentId echo = AgentId.of("echo");
        AgentId asker = AgentId.of("asker");
        var answers = new ConcurrentLinkedQueue<Object>();
        colony().spawn(AgentSpec.of(echo, "echo"), (ctx, message) -> ctx.reply(message, "re:" + message.payload()));
        colony().spawn(AgentSpec.of(asker, "asker"), (ctx, message) -> {
            CompletableFuture<Envelope> reply = ctx.request(echo, "ask", message.payload(), WAIT);
            answers.add(reply.join().payload());
        });

        send(asker, "ping");

        eventually().until(() -> answers.size() == 1);
        assertThat(answers).containsExactly("re:ping");
    }

    @Test
    default void send_toStoppedAgent_noSuchAgentAndNotHandled() {
        AgentId id = AgentId.of("msg-3");
        List<Object> received = new ArrayList<>();
        AgentHandle handle = colony().spawn(AgentSpec.of(id, "worker"), (ctx, message) -> {
            synchronized (received) {
                received.add(message.payload());
            }
        });
        eventually().until(() -> handle.status() == AgentRunState.RUNNING);
        assertThat(handle.stop(WAIT)).isTrue();

        assertThat(send(id, "late")).isEqualTo(SendOutcome.NO_SUCH_AGENT);
        synchronized (received) {
            assertThat(received).isEmpty();
        }
    }
}
