package dev.colony.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.colony.Colony;
import dev.colony.bus.Subscription;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.SendOutcome;
import dev.colony.state.AgentRecord;
import dev.colony.state.AgentStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AgentRuntimeTest {
    private static final AgentId TESTER = AgentId.of("tester");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final RestartPolicy QUICK = new RestartPolicy(2, Duration.ofMillis(1), Duration.ofMillis(2));

    private Colony colony;

    @BeforeEach
    void open() {
        colony = Colony.embedded();
    }

    @AfterEach
    void close() {
        colony.close();
    }

    private AgentStatus registryStatus(AgentId id) {
        return colony.registry().get(id).map(AgentRecord::status).orElse(null);
    }

    private SendOutcome sendTo(AgentId to, String type, Object payload) {
        return colony.messenger().send(Envelope.of(TESTER, to, type, payload));
    }

    @Test
    void spawn_newAgent_registeredIdleAndReceivesMessages() {
        AgentId id = AgentId.of("worker-1");
        var received = new ConcurrentLinkedQueue<Object>();
        AgentHandle handle = colony.spawn(
                AgentSpec.of(id, "worker").withCapabilities(Set.of("gpu")).withMetadata(Map.of("zone", "a")),
                (ctx, message) -> received.add(message.payload()));

        await().atMost(WAIT).until(() -> handle.status() == AgentRunState.RUNNING);
        AgentRecord record = colony.registry().get(id).orElseThrow();
        assertThat(record.status()).isEqualTo(AgentStatus.IDLE);
        assertThat(record.role()).isEqualTo("worker");
        assertThat(record.capabilities()).containsExactly("gpu");
        assertThat(record.metadata()).containsEntry("zone", "a");
        assertThat(colony.agents()).containsExactly(handle);

        assertThat(sendTo(id, "greet", "hello")).isEqualTo(SendOutcome.DELIVERED);
        assertThat(sendTo(id, "greet", "again")).isEqualTo(SendOutcome.DELIVERED);
        await().atMost(WAIT).until(() -> received.size() == 2);
        assertThat(received).containsExactly("hello", "again");
    }

    @Test
    void spawn_messagesSentBeforeStart_waitAndArrive() {
        AgentId id = AgentId.of("slow-starter");
        var release = new CountDownLatch(1);
        var received = new ConcurrentLinkedQueue<Object>();
        colony.spawn(AgentSpec.of(id, "worker"), new Behavior() {
            @Override
            public void onStart(AgentContext ctx) throws InterruptedException {
                release.await();
            }

            @Override
            public void onMessage(AgentContext ctx, Envelope message) {
                received.add(message.payload());
            }
        });
        assertThat(sendTo(id, "early", 1)).isEqualTo(SendOutcome.DELIVERED);
        release.countDown();
        await().atMost(WAIT).until(() -> received.size() == 1);
    }

    @Test
    void heartbeat_runningAgents_beatAtTheirInterval() {
        AgentId fast = AgentId.of("fast");
        AgentId slow = AgentId.of("slow");
        colony.spawn(AgentSpec.of(slow, "worker").withHeartbeatInterval(Duration.ofHours(1)), (ctx, message) -> {});
        colony.spawn(AgentSpec.of(fast, "worker").withHeartbeatInterval(Duration.ofMillis(20)), (ctx, message) -> {});
        AgentRecord first = colony.registry().get(fast).orElseThrow();

        await().atMost(WAIT)
                .until(() -> colony.registry()
                        .get(fast)
                        .orElseThrow()
                        .lastHeartbeat()
                        .isAfter(first.lastHeartbeat()));
        AgentRecord slowRecord = colony.registry().get(slow).orElseThrow();
        assertThat(slowRecord.lastHeartbeat()).isEqualTo(slowRecord.registeredAt());
    }

    @Test
    void spawn_liveIdTwice_throws() {
        AgentSpec spec = AgentSpec.of(AgentId.of("twin"), "worker");
        colony.spawn(spec, (ctx, message) -> {});
        assertThatThrownBy(() -> colony.spawn(spec, (ctx, message) -> {})).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void spawn_afterStop_replacesStoppedRecord() {
        AgentSpec spec = AgentSpec.of(AgentId.of("phoenix"), "worker");
        AgentHandle first = colony.spawn(spec, (ctx, message) -> {});
        assertThat(first.stop(WAIT)).isTrue();
        assertThat(registryStatus(spec.id())).isEqualTo(AgentStatus.STOPPED);

        AgentHandle second = colony.spawn(spec, (ctx, message) -> {});
        await().atMost(WAIT).until(() -> second.status() == AgentRunState.RUNNING);
        assertThat(registryStatus(spec.id())).isEqualTo(AgentStatus.IDLE);
    }

    @Test
    void request_betweenTwoAgents_replyArrives() throws Exception {
        AgentId server = AgentId.of("server");
        AgentId client = AgentId.of("client");
        colony.spawn(AgentSpec.of(server, "server"), (ctx, message) -> ctx.reply(message, "pong:" + message.payload()));
        var answer = new CompletableFuture<Object>();
        colony.spawn(AgentSpec.of(client, "client"), (ctx, message) -> {
            Envelope reply =
                    ctx.request(server, "ping", message.payload(), WAIT).get();
            answer.complete(reply.payload());
        });

        sendTo(client, "go", "42");

        assertThat(answer.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("pong:42");
    }

    @Test
    void subscribe_throughContext_receivesUntilStopThenClosed() {
        AgentId id = AgentId.of("listener");
        var subscription = new AtomicReference<Subscription>();
        var events = new ConcurrentLinkedQueue<Object>();
        AgentHandle handle = colony.spawn(AgentSpec.of(id, "listener"), new Behavior() {
            @Override
            public void onStart(AgentContext ctx) {
                subscription.set(ctx.subscribe("test.>", event -> events.add(event.payload())));
            }

            @Override
            public void onMessage(AgentContext ctx, Envelope message) {}
        });
        await().atMost(WAIT).until(() -> handle.status() == AgentRunState.RUNNING);
        colony.bus().publish("test.one", "first");
        await().atMost(WAIT).until(() -> events.size() == 1);
        assertThat(subscription.get().isOpen()).isTrue();

        assertThat(handle.stop(WAIT)).isTrue();

        assertThat(subscription.get().isOpen()).isFalse();
        colony.bus().publish("test.two", "second");
        assertThat(events).containsExactly("first");
    }

    @Test
    void onMessage_throws_restartedAndCountedThenFailed() {
        AgentId id = AgentId.of("crasher");
        var starts = new AtomicInteger();
        var stops = new AtomicInteger();
        var subscriptions = new ConcurrentLinkedQueue<Subscription>();
        AgentHandle handle = colony.spawn(AgentSpec.of(id, "worker").withRestart(QUICK), new Behavior() {
            @Override
            public void onStart(AgentContext ctx) {
                starts.incrementAndGet();
                subscriptions.add(ctx.subscribe("crash.>", event -> {}));
            }

            @Override
            public void onMessage(AgentContext ctx, Envelope message) {
                throw new IllegalStateException("boom " + message.payload());
            }

            @Override
            public void onStop(AgentContext ctx) {
                stops.incrementAndGet();
            }
        });
        await().atMost(WAIT).until(() -> handle.status() == AgentRunState.RUNNING);

        sendTo(id, "work", 1);
        await().atMost(WAIT).until(() -> handle.restarts() == 1 && handle.status() == AgentRunState.RUNNING);
        assertThat(starts).hasValue(2);
        assertThat(registryStatus(id)).isEqualTo(AgentStatus.IDLE);

        sendTo(id, "work", 2);
        await().atMost(WAIT).until(() -> handle.restarts() == 2 && handle.status() == AgentRunState.RUNNING);
        assertThat(starts).hasValue(3);

        sendTo(id, "work", 3);
        await().atMost(WAIT).until(() -> handle.status() == AgentRunState.FAILED);
        await().atMost(WAIT).until(() -> registryStatus(id) == AgentStatus.FAILED);
        assertThat(handle.restarts()).isEqualTo(2);
        assertThat(starts).hasValue(3);
        assertThat(stops).hasValue(0);
        assertThat(handle.lastFailure()).get().extracting(Throwable::getMessage).isEqualTo("boom 3");
        assertThat(subscriptions).hasSize(3).noneMatch(Subscription::isOpen);
        assertThat(sendTo(id, "work", 4)).isEqualTo(SendOutcome.NO_SUCH_AGENT);
        assertThat(colony.agents()).doesNotContain(handle);
        assertThat(handle.stop(WAIT)).isTrue();
    }

    @Test
    void request_toCrashingAgent_failsAndIsNotRedelivered() {
        AgentId id = AgentId.of("flaky");
        var handled = new AtomicInteger();
        colony.spawn(AgentSpec.of(id, "worker").withRestart(QUICK), (ctx, message) -> {
            if (handled.incrementAndGet() == 1) {
                throw new IllegalStateException("first one fails");
            }
            ctx.reply(message, "ok");
        });

        CompletableFuture<Envelope> first = colony.messenger().request(Envelope.of(TESTER, id, "job", 1), WAIT);
        CompletableFuture<Envelope> second = colony.messenger().request(Envelope.of(TESTER, id, "job", 2), WAIT);

        await().atMost(WAIT).until(first::isDone);
        assertThat(first).isCompletedExceptionally();
        assertThat(second.join().payload()).isEqualTo("ok");
        assertThat(handled).hasValue(2);
    }

    @Test
    void onStart_throws_retriedThenFailed() {
        AgentId id = AgentId.of("never-starts");
        var starts = new AtomicInteger();
        var stops = new AtomicInteger();
        AgentHandle handle = colony.spawn(AgentSpec.of(id, "worker").withRestart(QUICK), new Behavior() {
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

        await().atMost(WAIT).until(() -> handle.status() == AgentRunState.FAILED);
        await().atMost(WAIT).until(() -> registryStatus(id) == AgentStatus.FAILED);
        assertThat(starts).hasValue(3);
        assertThat(handle.restarts()).isEqualTo(2);
        assertThat(stops).hasValue(0);
        assertThat(handle.lastFailure()).get().extracting(Throwable::getMessage).isEqualTo("no start 3");
        assertThat(sendTo(id, "work", 1)).isEqualTo(SendOutcome.NO_SUCH_AGENT);
    }

    @Test
    void onStart_throwsOnce_restartedAndRuns() {
        AgentId id = AgentId.of("second-try");
        var starts = new AtomicInteger();
        var received = new ConcurrentLinkedQueue<Object>();
        AgentHandle handle = colony.spawn(AgentSpec.of(id, "worker").withRestart(QUICK), new Behavior() {
            @Override
            public void onStart(AgentContext ctx) {
                if (starts.incrementAndGet() == 1) {
                    throw new IllegalStateException("not yet");
                }
            }

            @Override
            public void onMessage(AgentContext ctx, Envelope message) {
                received.add(message.payload());
            }
        });
        sendTo(id, "work", "queued");

        await().atMost(WAIT).until(() -> received.size() == 1);
        assertThat(handle.status()).isEqualTo(AgentRunState.RUNNING);
        assertThat(handle.restarts()).isEqualTo(1);
        assertThat(registryStatus(id)).isEqualTo(AgentStatus.IDLE);
    }

    @Test
    void stop_duringMessage_finishesItCallsOnStopOnceAndDropsQueued() throws Exception {
        AgentId id = AgentId.of("graceful");
        var entered = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var finished = new ConcurrentLinkedQueue<Object>();
        var stops = new AtomicInteger();
        AgentHandle handle = colony.spawn(AgentSpec.of(id, "worker"), new Behavior() {
            @Override
            public void onMessage(AgentContext ctx, Envelope message) throws InterruptedException {
                entered.countDown();
                release.await();
                finished.add(message.payload());
            }

            @Override
            public void onStop(AgentContext ctx) {
                stops.incrementAndGet();
            }
        });
        sendTo(id, "work", "current");
        sendTo(id, "work", "queued");
        entered.await();

        CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> handle.stop(WAIT));
        await().atMost(WAIT).until(() -> registryStatus(id) == AgentStatus.STOPPING);
        assertThat(handle.status()).isEqualTo(AgentRunState.STOPPING);
        assertThat(sendTo(id, "work", "late")).isEqualTo(SendOutcome.NO_SUCH_AGENT);
        release.countDown();

        assertThat(stopped.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(finished).containsExactly("current");
        assertThat(stops).hasValue(1);
        assertThat(handle.status()).isEqualTo(AgentRunState.STOPPED);
        assertThat(registryStatus(id)).isEqualTo(AgentStatus.STOPPED);
        assertThat(handle.stop(WAIT)).isTrue();
        assertThat(stops).hasValue(1);
    }

    @Test
    void stop_behaviorIgnoresTimeout_interruptedAndReturnsFalse() throws Exception {
        AgentId id = AgentId.of("stubborn");
        var entered = new CountDownLatch(1);
        var interrupted = new CountDownLatch(1);
        AgentHandle handle = colony.spawn(AgentSpec.of(id, "worker"), (ctx, message) -> {
            entered.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        sendTo(id, "work", 1);
        entered.await();

        assertThat(handle.stop(Duration.ofMillis(50))).isFalse();

        assertThat(interrupted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(handle.awaitTermination(WAIT)).isTrue();
        assertThat(handle.status()).isEqualTo(AgentRunState.STOPPED);
    }

    @Test
    void stop_rightAfterSpawn_stopsCleanly() {
        var starts = new AtomicInteger();
        var stops = new AtomicInteger();
        Behavior behavior = new Behavior() {
            @Override
            public void onStart(AgentContext ctx) {
                starts.incrementAndGet();
            }

            @Override
            public void onMessage(AgentContext ctx, Envelope message) {}

            @Override
            public void onStop(AgentContext ctx) {
                stops.incrementAndGet();
            }
        };
        for (int i = 0; i < 200; i++) {
            AgentId id = AgentId.of("brief-" + i);
            AgentHandle handle = colony.spawn(AgentSpec.of(id, "worker"), behavior);

            assertThat(handle.stop(WAIT)).isTrue();

            assertThat(handle.status()).isEqualTo(AgentRunState.STOPPED);
            assertThat(registryStatus(id)).isEqualTo(AgentStatus.STOPPED);
            assertThat(stops).hasValue(starts.get());
        }
        assertThat(colony.agents()).isEmpty();
    }

    @Test
    void stop_duringRestartBackoff_stopsWithoutOnStop() {
        AgentId id = AgentId.of("backing-off");
        var stops = new AtomicInteger();
        RestartPolicy slow = new RestartPolicy(1, Duration.ofHours(1), Duration.ofHours(1));
        AgentHandle handle = colony.spawn(AgentSpec.of(id, "worker").withRestart(slow), new Behavior() {
            @Override
            public void onMessage(AgentContext ctx, Envelope message) {
                throw new IllegalStateException("crash");
            }

            @Override
            public void onStop(AgentContext ctx) {
                stops.incrementAndGet();
            }
        });
        sendTo(id, "work", 1);
        sendTo(id, "work", 2);
        await().atMost(WAIT).until(() -> handle.status() == AgentRunState.RESTARTING);

        assertThat(handle.stop(WAIT)).isTrue();

        assertThat(handle.status()).isEqualTo(AgentRunState.STOPPED);
        assertThat(handle.restarts()).isEqualTo(1);
        assertThat(stops).hasValue(0);
        assertThat(registryStatus(id)).isEqualTo(AgentStatus.STOPPED);
    }

    @Test
    void contextStop_fromOnMessage_stopsAfterCurrentMessage() {
        AgentId id = AgentId.of("quitter");
        var stops = new AtomicInteger();
        AgentHandle handle = colony.spawn(AgentSpec.of(id, "worker"), new Behavior() {
            @Override
            public void onMessage(AgentContext ctx, Envelope message) {
                ctx.stop();
            }

            @Override
            public void onStop(AgentContext ctx) {
                stops.incrementAndGet();
            }
        });
        sendTo(id, "quit", 1);

        await().atMost(WAIT).until(() -> handle.status() == AgentRunState.STOPPED);
        assertThat(stops).hasValue(1);
        assertThat(registryStatus(id)).isEqualTo(AgentStatus.STOPPED);
    }

    @Test
    void spawn_idleAgent_holdsNoInboxThreadUntilItsFirstMessage() {
        var received = new ConcurrentLinkedQueue<Object>();
        AgentHandle handle = colony.spawn(
                AgentSpec.of(AgentId.of("lazy-1"), "worker"), (ctx, message) -> received.add(message.payload()));
        await().atMost(WAIT).until(() -> handle.status() == AgentRunState.RUNNING);
        await().atMost(WAIT)
                .until(() -> ThreadDump.threadsNamed("colony-inbox-lazy-1") == 0
                        && ThreadDump.threadsNamed("colony-agent-lazy-1.*") == 0);

        assertThat(sendTo(handle.id(), "greet", "first")).isEqualTo(SendOutcome.DELIVERED);
        assertThat(sendTo(handle.id(), "greet", "second")).isEqualTo(SendOutcome.DELIVERED);

        await().atMost(WAIT).until(() -> received.size() == 2);
        assertThat(received).containsExactly("first", "second");
        assertThat(ThreadDump.threadsNamed("colony-inbox-lazy-1")).isEqualTo(1);
    }

    @Test
    void colonyClose_afterThousandAgents_leavesNoThreadsBehind() {
        colony.close();
        int platformBefore = colonyPlatformThreads();
        Colony swarm = Colony.embedded();
        LocalAgents runtime = null;
        List<AgentHandle> handles = new java.util.ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            handles.add(swarm.spawn(AgentSpec.of(AgentId.of("a" + i), "worker"), (ctx, message) -> {}));
        }
        await().atMost(WAIT).until(() -> handles.stream().allMatch(h -> h.status() == AgentRunState.RUNNING));
        runtime = ((LocalAgent) handles.getFirst()).runtime();
        // an inbox starts its thread with its first message (ADR 0038): give each one, so there are threads to end
        for (AgentHandle handle : handles) {
            swarm.messenger().send(Envelope.of(TESTER, handle.id(), "wake", "up"));
        }
        await().atMost(WAIT).until(() -> ThreadDump.threadsNamed("colony-(inbox|agent)-") >= 1_000);

        swarm.close();

        assertThat(runtime.runningThreads()).isZero();
        assertThat(handles).allMatch(h -> h.status() == AgentRunState.STOPPED);
        assertThat(swarm.agents()).isEmpty();
        assertThat(ThreadDump.threadsNamed("colony-(inbox|agent)-")).isZero();
        // the messenger's timer thread ends asynchronously after its executor's shutdownNow
        await().atMost(WAIT).until(() -> colonyPlatformThreads() <= platformBefore);
    }

    @Test
    void spawn_tenThousandAgents_allRegistered() {
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            colony.spawn(AgentSpec.of(AgentId.of("agent-" + i), "worker"), (ctx, message) -> {});
        }
        await().atMost(WAIT)
                .until(() -> colony.registry().byStatus(AgentStatus.IDLE).size() == n);
        assertThat(colony.agents()).hasSize(n);
    }

    @Test
    void spec_invalidValues_rejected() {
        AgentId id = AgentId.of("x");
        assertThatThrownBy(() -> AgentSpec.of(id, "bad role"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad role");
        assertThatThrownBy(() -> AgentSpec.of(id, "r").withHeartbeatInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("heartbeatInterval");
        assertThatThrownBy(() -> new RestartPolicy(-1, Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> new RestartPolicy(1, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxBackoff");
    }

    @Test
    void restartPolicy_backoff_doublesUpToMax() {
        RestartPolicy policy = RestartPolicy.defaults();
        assertThat(policy.backoff(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.backoff(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.backoff(6)).isEqualTo(Duration.ofMillis(3200));
        assertThat(policy.backoff(7)).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.backoff(1000)).isEqualTo(Duration.ofSeconds(5));
    }

    private static int colonyPlatformThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("colony-") && t.isAlive())
                .count();
    }
}
