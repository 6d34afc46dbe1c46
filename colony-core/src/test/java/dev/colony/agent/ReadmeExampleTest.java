package dev.colony.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.Colony;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The README's "Agents in five minutes" example, kept compiling and true. */
class ReadmeExampleTest {

    @Test
    void readmeExample_echoAgentAnswersTheClientsRequest() throws Exception {
        CompletableFuture<Object> shouted = new CompletableFuture<>();
        try (Colony colony = Colony.embedded()) {
            colony.spawn(
                    AgentSpec.of(AgentId.of("echo"), "worker").withCapabilities(Set.of("text")),
                    (ctx, message) ->
                            ctx.reply(message, message.payload().toString().toUpperCase()));

            colony.spawn(AgentSpec.of(AgentId.of("client"), "client"), new Behavior() {
                @Override
                public void onStart(AgentContext ctx) {
                    ctx.subscribe("colony.agent.*.failed", event -> {});
                    ctx.request(AgentId.of("echo"), "shout", "hi", Duration.ofSeconds(30))
                            .thenAccept(reply -> shouted.complete(reply.payload()));
                }

                @Override
                public void onMessage(AgentContext ctx, Envelope message) {}
            });

            assertThat(shouted.get(30, TimeUnit.SECONDS)).isEqualTo("HI");
        }
    }
}
