package dev.colony.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.SendOutcome;
import dev.colony.state.AgentStatus;
import dev.colony.state.Lease;
import dev.colony.state.TaskSpec;
import dev.colony.state.TaskStatus;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Part of {@link AgentsContract}: a crash restarts the agent in place, up to its policy's limit; the next
 * crash makes it FAILED, in its handle and in the registry, which releases its task leases.
 */
public interface AgentsSupervisionContract extends AgentsFixture {

    /** Counts onStart calls; every message crashes it. */
    final class Crashing implements Behavior {
        final AtomicInteger starts = new AtomicInteger();
        final AtomicInteger stops = new AtomicInteger();

        Crashing() {}

        @Override
        public void onStart(AgentContext ctx) {
            starts.incrementAndGet();
        }

        @Override
        public void onMessage(AgentContext ctx, Envelope message) {
            throw new IllegalStateException("boom " + message.payload());
        }

        @Override
        public void onStop(AgentContext ctx) {
            stops.incrementAndGet();
        }
    }

    @Test
    default void onMessage_throwsUpToTheLimit_restartedInPlaceEachTime() {
        AgentId id = AgentId.of("sup-1");
        Crashing behavior = new Crashing();
        AgentHandle handle = colony().spawn(AgentSpec.of(id, "worker").withRestart(TWO_QUICK_RESTARTS), behavior);
        eventually().until(() -> handle.status() == AgentRunState.RUNNING);

        for (int crash = 1; crash <= 2; crash++) {
            send(id, crash);
            int restarts = crash;
            eventually().until(() -> handle.restarts() == restarts && handle.status() == AgentRunState.RUNNING);
            assertThat(behavior.starts).hasValue(crash + 1);
            assertThat(registryStatus(id)).isEqualTo(AgentStatus.IDLE);
        }
        assertThat(handle.lastFailure()).get().extracting(Throwable::getMessage).isEqualTo("boom 2");
        assertThat(behavior.stops).hasValue(0);
    }

    @Test
    default void onMessage_throwsPastTheLimit_failedEverywhereAndLeasesReleased() throws Exception {
        AgentId id = AgentId.of("sup-2");
        colony().tasks().submit(TaskSpec.of("sup-task", "job", new byte[] {1}));
        var leases = new AtomicInteger();
        AgentHandle handle = colony().spawn(AgentSpec.of(id, "worker").withRestart(TWO_QUICK_RESTARTS), (ctx, m) -> {
            if (ctx.tasks()
                    .claim(ctx.id(), Set.of(), Duration.ofHours(1))
                    .map(Lease::taskId)
                    .isPresent()) {
                leases.incrementAndGet();
            }
            throw new IllegalStateException("boom " + m.payload());
        });
        eventually().until(() -> handle.status() == AgentRunState.RUNNING);

        for (int crash = 1; crash <= 3; crash++) {
            int restarts = Math.min(crash, 2);
            send(id, crash);
            if (crash < 3) {
                eventually().until(() -> handle.restarts() == restarts && handle.status() == AgentRunState.RUNNING);
            }
        }

        assertThat(handle.awaitTermination(WAIT)).isTrue();
        assertThat(handle.status()).isEqualTo(AgentRunState.FAILED);
        assertThat(handle.restarts()).isEqualTo(2);
        assertThat(handle.lastFailure()).get().extracting(Throwable::getMessage).isEqualTo("boom 3");
        eventually().until(() -> registryStatus(id) == AgentStatus.FAILED);
        assertThat(leases).hasValue(1); // claimed by the first message; held until the agent failed
        assertThat(colony().tasks().get("sup-task").orElseThrow().status()).isEqualTo(TaskStatus.QUEUED);
        assertThat(send(id, 4)).isEqualTo(SendOutcome.NO_SUCH_AGENT);
        assertThat(colony().agents()).doesNotContain(handle);
        assertThat(handle.stop(WAIT)).isTrue();
    }

    @Test
    default void onStart_alwaysThrows_failedAfterOnePlusMaxRestartsStarts() throws Exception {
        AgentId id = AgentId.of("sup-3");
        var starts = new AtomicInteger();
        var stops = new AtomicInteger();
        AgentHandle handle = colony().spawn(AgentSpec.of(id, "worker").withRestart(TWO_QUICK_RESTARTS), new Behavior() {
            @Override
            public void onStart(AgentContext ctx) {
                throw new IllegalStateException("no start " + starts.incrementAndGet());
            }

            @Override
            public void onMessage(AgentContext ctx, Envelope message) {}

            @Override
            public void onStop(AgentContext ctx) {
                stops.incrementAndGet();
            }
        });

        assertThat(handle.awaitTermination(WAIT)).isTrue();
        assertThat(handle.status()).isEqualTo(AgentRunState.FAILED);
        assertThat(starts).hasValue(3);
        assertThat(stops).hasValue(0);
        assertThat(handle.lastFailure()).get().extracting(Throwable::getMessage).isEqualTo("no start 3");
        eventually().until(() -> registryStatus(id) == AgentStatus.FAILED);
    }

    @Test
    default void request_toAgentThatCrashesOnIt_failsOnceAndIsNotRedelivered() {
        AgentId id = AgentId.of("sup-4");
        var handled = new AtomicInteger();
        colony().spawn(AgentSpec.of(id, "worker").withRestart(TWO_QUICK_RESTARTS), (ctx, message) -> {
            if (handled.incrementAndGet() == 1) {
                throw new IllegalStateException("first one fails");
            }
            ctx.reply(message, "ok");
        });

        CompletableFuture<Envelope> first = colony().messenger().request(Envelope.of(TESTER, id, "job", 1), WAIT);
        CompletableFuture<Envelope> second = colony().messenger().request(Envelope.of(TESTER, id, "job", 2), WAIT);

        eventually().until(() -> first.isDone() && second.isDone());
        assertThat(first).isCompletedExceptionally();
        assertThat(second.join().payload()).isEqualTo("ok");
        assertThat(handled).hasValue(2);
    }
}
