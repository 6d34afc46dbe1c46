package dev.colony.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.colony.bus.EventBus;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.Messenger;
import dev.colony.messaging.SendOutcome;
import dev.colony.state.AgentRecord;
import dev.colony.state.AgentStatus;
import dev.colony.state.CoordinationState;
import dev.colony.state.StateOptions;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The supervisor's decisions with time taken out: restarts begin only when the test runs the manual timer,
 * so backoffs, counts and FAILED are exact, and the log lines are read from a recording logger.
 */
class SupervisorTest {
    private static final AgentId TESTER = AgentId.of("tester");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final RestartPolicy TWO = new RestartPolicy(2, Duration.ofMillis(100), Duration.ofSeconds(5));

    private final ManualRestartTimer timer = new ManualRestartTimer();
    private final RecordingLogger log = new RecordingLogger();
    private EventBus bus;
    private Messenger messenger;
    private CoordinationState state;
    private LocalAgents agents;

    @BeforeEach
    void open() {
        bus = EventBus.create();
        messenger = Messenger.create();
        state = CoordinationState.create(bus, StateOptions.defaults());
        agents = new LocalAgents(bus, messenger, state, timer, log);
    }

    @AfterEach
    void close() {
        agents.close();
        state.close();
        messenger.close();
        bus.close();
    }

    private SendOutcome send(AgentId to, Object payload) {
        return messenger.send(Envelope.of(TESTER, to, "work", payload));
    }

    private AgentStatus registryStatus(AgentId id) {
        return state.registry().get(id).map(AgentRecord::status).orElse(null);
    }

    @Test
    void onMessage_crashesPastPolicy_backoffsDoubleThenFailedAndEveryStepLogged() throws Exception {
        AgentId id = AgentId.of("crasher");
        AtomicInteger starts = new AtomicInteger();
        AgentHandle handle = agents.spawn(AgentSpec.of(id, "worker").withRestart(TWO), new Behavior() {
            @Override
            public void onStart(AgentContext ctx) {
                starts.incrementAndGet();
            }

            @Override
            public void onMessage(AgentContext ctx, Envelope message) {
                throw new IllegalStateException("boom " + message.payload());
            }
        });
        await().atMost(WAIT).until(() -> handle.status() == AgentRunState.RUNNING);

        for (int crash = 1; crash <= 2; crash++) {
            send(id, crash);
            int scheduled = crash;
            await().atMost(WAIT).until(() -> timer.scheduled().size() == scheduled);
            assertThat(handle.status()).isEqualTo(AgentRunState.RESTARTING);
            assertThat(starts).hasValue(crash); // the restart waits for the timer, however long it takes

            assertThat(timer.runNext()).isTrue();

            assertThat(handle.status()).isEqualTo(AgentRunState.RUNNING);
            assertThat(handle.restarts()).isEqualTo(crash);
            assertThat(starts).hasValue(crash + 1);
        }
        send(id, 3);

        assertThat(handle.awaitTermination(WAIT)).isTrue();
        assertThat(handle.status()).isEqualTo(AgentRunState.FAILED);
        assertThat(registryStatus(id)).isEqualTo(AgentStatus.FAILED);
        assertThat(timer.delays()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(timer.runNext()).isFalse();
        assertThat(log.at(Level.WARNING))
                .containsExactly(
                        "agent crasher crashed in onMessage: java.lang.IllegalStateException: boom 1",
                        "agent crasher crashed in onMessage: java.lang.IllegalStateException: boom 2",
                        "agent crasher crashed in onMessage: java.lang.IllegalStateException: boom 3");
        assertThat(log.at(Level.INFO))
                .containsExactly(
                        "agent crasher restarting: attempt 1 of 2, backoff PT0.1S",
                        "agent crasher restarting: attempt 2 of 2, backoff PT0.2S");
        assertThat(log.at(Level.ERROR))
                .containsExactly("agent crasher FAILED after 2 restart(s) of 2; last cause: "
                        + "java.lang.IllegalStateException: boom 3");
        assertThat(log.lines().stream().filter(l -> l.thrown() != null))
                .hasSize(3)
                .allMatch(l -> l.level() == Level.DEBUG && l.thrown() instanceof IllegalStateException);
    }

    @Test
    void onStart_crashesOnce_restartBeginsOnlyWhenTimerFiresThenAttachesInbox() {
        AgentId id = AgentId.of("late-starter");
        AtomicInteger starts = new AtomicInteger();
        AtomicInteger handled = new AtomicInteger();
        AgentHandle handle = agents.spawn(AgentSpec.of(id, "worker").withRestart(TWO), new Behavior() {
            @Override
            public void onStart(AgentContext ctx) {
                if (starts.incrementAndGet() == 1) {
                    throw new IllegalArgumentException("not yet");
                }
            }

            @Override
            public void onMessage(AgentContext ctx, Envelope message) {
                handled.incrementAndGet();
            }
        });
        await().atMost(WAIT).until(() -> timer.scheduled().size() == 1);
        assertThat(send(id, "queued")).isEqualTo(SendOutcome.DELIVERED);
        assertThat(handle.status()).isEqualTo(AgentRunState.RESTARTING);
        assertThat(handled).hasValue(0);

        assertThat(timer.runNext()).isTrue();

        assertThat(handle.status()).isEqualTo(AgentRunState.RUNNING);
        assertThat(registryStatus(id)).isEqualTo(AgentStatus.IDLE);
        await().atMost(WAIT).until(() -> handled.get() == 1);
        assertThat(log.at(Level.WARNING))
                .containsExactly("agent late-starter crashed in onStart: java.lang.IllegalArgumentException: not yet");
        assertThat(log.at(Level.INFO)).containsExactly("agent late-starter restarting: attempt 1 of 2, backoff PT0.1S");
        assertThat(log.at(Level.ERROR)).isEmpty();
    }

    @Test
    void stop_whileBackingOff_cancelsTheRestartAndSkipsOnStop() {
        AgentId id = AgentId.of("backing-off");
        AtomicInteger starts = new AtomicInteger();
        AtomicInteger stops = new AtomicInteger();
        AgentHandle handle = agents.spawn(AgentSpec.of(id, "worker").withRestart(TWO), new Behavior() {
            @Override
            public void onStart(AgentContext ctx) {
                starts.incrementAndGet();
            }

            @Override
            public void onMessage(AgentContext ctx, Envelope message) {
                throw new IllegalStateException("crash");
            }

            @Override
            public void onStop(AgentContext ctx) {
                stops.incrementAndGet();
            }
        });
        await().atMost(WAIT).until(() -> handle.status() == AgentRunState.RUNNING);
        send(id, 1);
        await().atMost(WAIT).until(() -> timer.scheduled().size() == 1);

        assertThat(handle.stop(WAIT)).isTrue();

        assertThat(timer.scheduled().getFirst().cancelled()).isTrue();
        assertThat(timer.runNext()).isFalse();
        assertThat(handle.status()).isEqualTo(AgentRunState.STOPPED);
        assertThat(registryStatus(id)).isEqualTo(AgentStatus.STOPPED);
        assertThat(starts).hasValue(1);
        assertThat(stops).hasValue(0);
        assertThat(log.at(Level.ERROR)).isEmpty();
    }

    @Test
    void onStop_throws_loggedAndStillStopped() {
        AgentId id = AgentId.of("messy");
        AgentHandle handle = agents.spawn(AgentSpec.of(id, "worker"), new Behavior() {
            @Override
            public void onMessage(AgentContext ctx, Envelope message) {}

            @Override
            public void onStop(AgentContext ctx) {
                throw new UnsupportedOperationException("no cleanup");
            }
        });
        await().atMost(WAIT).until(() -> handle.status() == AgentRunState.RUNNING);

        assertThat(handle.stop(WAIT)).isTrue();

        assertThat(handle.status()).isEqualTo(AgentRunState.STOPPED);
        assertThat(log.at(Level.WARNING))
                .containsExactly("agent messy crashed in onStop: java.lang.UnsupportedOperationException: no cleanup");
        assertThat(timer.scheduled()).isEmpty();
    }

    @Test
    void cleanLife_spawnWorkStop_logsNothingAboveDebug() {
        AgentId id = AgentId.of("calm");
        AtomicInteger handled = new AtomicInteger();
        AgentHandle handle = agents.spawn(AgentSpec.of(id, "worker"), (ctx, message) -> handled.incrementAndGet());
        send(id, 1);
        await().atMost(WAIT).until(() -> handled.get() == 1);

        assertThat(handle.stop(WAIT)).isTrue();

        assertThat(log.lines()).isEmpty();
    }

    @Test
    void runStateTable_finalStatesAreFinalAndBackoffOnlyRestartsOrStops() {
        assertThat(RunState.STOPPED.next()).isEmpty();
        assertThat(RunState.FAILED.next()).isEmpty();
        assertThat(RunState.BACKING_OFF.next()).containsExactlyInAnyOrder(RunState.RESTARTING, RunState.STOPPING);
        assertThat(RunState.STOPPING.next()).containsExactly(RunState.STOPPED);
        for (RunState state : RunState.values()) {
            assertThat(state.next()).doesNotContain(RunState.STARTING);
        }
        assertThat(List.of(RunState.BACKING_OFF.visible(), RunState.RESTARTING.visible()))
                .containsOnly(AgentRunState.RESTARTING);
    }
}
