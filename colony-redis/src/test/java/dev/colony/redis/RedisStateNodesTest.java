package dev.colony.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.bus.EventBus;
import dev.colony.messaging.AgentId;
import dev.colony.state.CasOutcome;
import dev.colony.state.CoordinationState;
import dev.colony.state.Leadership;
import dev.colony.state.Lease;
import dev.colony.state.LeaseOutcome;
import dev.colony.state.ManualClock;
import dev.colony.state.MemoryEntry;
import dev.colony.state.StateOptions;
import dev.colony.state.Task;
import dev.colony.state.TaskSpec;
import dev.colony.state.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two processes' worth of state on one swarm: two {@link RedisState}s, each with its own link, bus and
 * connection, sharing a manual clock (processes of a swarm share a clock). Also stale tokens, the
 * advisory TTL keys and data corrupted by hand.
 */
class RedisStateNodesTest {
    private static final AtomicInteger SWARMS = new AtomicInteger();
    private static final Duration LEASE = Duration.ofSeconds(30);

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private final List<AutoCloseable> resources = new ArrayList<>();
    private ManualClock clock;
    private String swarm;
    private CoordinationState a;
    private CoordinationState b;

    @BeforeEach
    void twoNodes() {
        clock = new ManualClock();
        swarm = "nodes-" + SWARMS.incrementAndGet();
        a = node();
        b = node();
    }

    private CoordinationState node() {
        RedisLink link = RedisLink.open(redis.server().target(swarm));
        EventBus bus = EventBus.create();
        CoordinationState state = RedisState.open(
                link, bus, StateOptions.defaults().withClock(clock).withSweepInterval(Duration.ZERO));
        resources.add(link);
        resources.add(bus);
        resources.add(state);
        return state;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void twoNodes_workersOnBoth_everyTaskCompletedExactlyOnce() throws Exception {
        int tasks = 1_000;
        for (int i = 0; i < tasks; i++) {
            (i % 2 == 0 ? a : b).tasks().submit(TaskSpec.of("t" + i, "work", bytes("x")));
        }
        Map<String, AtomicInteger> completions = new ConcurrentHashMap<>();
        AtomicInteger refused = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < 40; w++) {
                CoordinationState node = w % 2 == 0 ? a : b;
                AgentId agent = AgentId.of("w" + w);
                workers.add(pool.submit(() -> {
                    for (Optional<Lease> next = node.tasks().claim(agent, Set.of(), LEASE);
                            next.isPresent();
                            next = node.tasks().claim(agent, Set.of(), LEASE)) {
                        if (node.tasks().complete(next.get(), bytes(agent.value())) == LeaseOutcome.OK) {
                            completions
                                    .computeIfAbsent(next.get().taskId(), k -> new AtomicInteger())
                                    .incrementAndGet();
                        } else {
                            refused.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(60, TimeUnit.SECONDS);
            }
        }

        assertThat(refused).hasValue(0);
        assertThat(completions).hasSize(tasks);
        assertThat(completions.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        assertThat(a.tasks().byStatus(TaskStatus.COMPLETED))
                .hasSize(tasks)
                .allSatisfy(t -> assertThat(t.attempts()).isEqualTo(1));
        assertThat(b.tasks().byStatus(TaskStatus.QUEUED)).isEmpty();
        assertThat(a.revision()).isEqualTo(b.revision()).isEqualTo(3L * tasks);
    }

    @Test
    void twoNodes_candidatesOnBoth_oneLeaderPerTerm() throws Exception {
        int candidates = 100;
        ConcurrentLinkedQueue<Leadership> granted = new ConcurrentLinkedQueue<>();
        CountDownLatch done = new CountDownLatch(candidates);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < candidates; c++) {
                CoordinationState node = c % 2 == 0 ? a : b;
                AgentId me = AgentId.of("candidate-" + c);
                pool.submit(() -> {
                    try {
                        for (int round = 0; round < 10; round++) {
                            node.leaders().campaign("planners", me, LEASE).ifPresent(won -> {
                                granted.add(won);
                                if (won.term() % 2 == 0) {
                                    node.leaders().resign(won);
                                }
                            });
                        }
                    } finally {
                        done.countDown();
                    }
                });
            }
            while (!done.await(1, TimeUnit.MILLISECONDS)) {
                clock.advance(LEASE);
            }
        }

        Map<Long, Set<AgentId>> byTerm = granted.stream()
                .collect(Collectors.groupingBy(
                        Leadership::term, Collectors.mapping(Leadership::leader, Collectors.toSet())));
        long last = a.leaders().currentTerm("planners");
        assertThat(b.leaders().currentTerm("planners")).isEqualTo(last);
        assertThat(byTerm.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        LongStream.rangeClosed(1, last).boxed().toList());
        assertThat(byTerm.values()).allSatisfy(who -> assertThat(who).hasSize(1));
    }

    @Test
    void backgroundSweeper_systemClock_failsSilentAgentAndRequeuesItsTask() {
        try (RedisLink link = RedisLink.open(redis.server().target(swarm + "-sweeper"));
                EventBus bus = EventBus.create();
                CoordinationState state = RedisState.open(
                        link,
                        bus,
                        StateOptions.defaults()
                                .withHeartbeatTimeout(Duration.ofMillis(300))
                                .withSweepInterval(Duration.ofMillis(50)))) {
            List<String> failed = new java.util.concurrent.CopyOnWriteArrayList<>();
            bus.subscribe(
                    dev.colony.bus.SubjectPattern.of("colony.agent.*.failed"),
                    e -> failed.add(e.subject().value()),
                    dev.colony.bus.SubscribeOptions.direct());
            AgentId silent = AgentId.of("silent");
            state.tasks().submit(TaskSpec.of("t1", "work", bytes("x")));
            state.tasks().claim(silent, Set.of(), Duration.ofHours(1)).orElseThrow();
            state.registry().register(silent, "worker", Set.of(), Map.of()); // then never beats again

            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> state.tasks().get("t1").orElseThrow().status() == TaskStatus.QUEUED);

            assertThat(state.registry().get(silent).orElseThrow().status())
                    .isEqualTo(dev.colony.state.AgentStatus.FAILED);
            assertThat(failed).containsExactly("colony.agent.silent.failed");
            assertThat(((RedisState) state).sweepFailures()).isZero();
            assertThat(state.tasks().get("t1").orElseThrow().lastError()).contains("heartbeat");
        }
    }

    @Test
    void staleLeaseToken_refusedOnEitherNode() {
        a.tasks().submit(TaskSpec.of("t1", "work", bytes("x")));
        Lease old = a.tasks().claim(AgentId.of("alice"), Set.of(), LEASE).orElseThrow();
        clock.advance(LEASE);
        Lease current = b.tasks().claim(AgentId.of("bob"), Set.of(), LEASE).orElseThrow();
        Lease forged = new Lease(old.taskId(), old.holder(), current.token() + 100, old.expiresAt(), 1, old.task());

        assertThat(current.token()).isGreaterThan(old.token());
        assertThat(a.tasks().complete(old, bytes("alice"))).isEqualTo(LeaseOutcome.STALE_LEASE);
        assertThat(a.tasks().renew(forged, LEASE)).isEqualTo(LeaseOutcome.STALE_LEASE);
        assertThat(a.tasks().complete(forged, bytes("forged"))).isEqualTo(LeaseOutcome.STALE_LEASE);
        assertThat(b.tasks().complete(current, bytes("bob"))).isEqualTo(LeaseOutcome.OK);
        assertThat(b.tasks().complete(old, bytes("alice"))).isEqualTo(LeaseOutcome.NOT_CLAIMED);
        Task task = a.tasks().get("t1").orElseThrow();
        assertThat(task.result()).isEqualTo(bytes("bob"));
        assertThat(task.attempts()).isEqualTo(2);
    }

    @Test
    void casAcrossNodes_noLostUpdate() throws Exception {
        int threads = 50;
        int increments = 10;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                CoordinationState node = t % 2 == 0 ? a : b;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < increments; i++) {
                        while (true) {
                            Optional<MemoryEntry> current = node.memory().get("plan", "counter");
                            long version = current.map(MemoryEntry::version).orElse(0L);
                            long value = current.map(e -> Long.parseLong(e.valueAsString()))
                                    .orElse(0L);
                            if (node.memory()
                                            .compareAndSet(
                                                    "plan",
                                                    "counter",
                                                    version,
                                                    bytes(Long.toString(value + 1)),
                                                    null,
                                                    null)
                                    == CasOutcome.OK) {
                                break;
                            }
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        }

        MemoryEntry counter = b.memory().get("plan", "counter").orElseThrow();
        assertThat(counter.valueAsString()).isEqualTo(String.valueOf(threads * increments));
        assertThat(counter.version()).isEqualTo(threads * increments);
    }

    @Test
    void ttlKeys_leaseAndAliveKeysMirrorTheDeadlinesAndGoWithThem() {
        a.registry().register(AgentId.of("alice"), "worker", Set.of(), Map.of());
        a.tasks().submit(TaskSpec.of("t1", "work", bytes("x")));
        Lease lease = a.tasks().claim(AgentId.of("alice"), Set.of(), LEASE).orElseThrow();
        String prefix = redis.server().target(swarm).key("s:");

        long leaseTtl = Long.parseLong(
                redis.server().command("PTTL " + prefix + "lease:t1").replace(":", ""));
        long aliveTtl = Long.parseLong(
                redis.server().command("PTTL " + prefix + "alive:alice").replace(":", ""));

        assertThat(leaseTtl).isBetween(1L, 2 * LEASE.toMillis());
        assertThat(aliveTtl)
                .isBetween(1L, 2 * StateOptions.defaults().heartbeatTimeout().toMillis());
        assertThat(a.tasks().complete(lease, bytes("done"))).isEqualTo(LeaseOutcome.OK);
        assertThat(redis.server().command("EXISTS " + prefix + "lease:t1")).isEqualTo(":0");
        a.registry().deregister(AgentId.of("alice"));
        assertThat(redis.server().command("EXISTS " + prefix + "alive:alice")).isEqualTo(":0");
    }

    @Test
    void claim_afterARetryBackoff_dropsTheBackoffAndCountsTheAttempt() {
        a.tasks().submit(TaskSpec.of("t1", "work", bytes("x")).withMaxAttempts(3));
        Lease first = a.tasks().claim(AgentId.of("alice"), Set.of(), LEASE).orElseThrow();
        assertThat(a.tasks().fail(first, "flaky", true)).isEqualTo(LeaseOutcome.OK);
        String key = redis.server().target(swarm).key("s:") + "task:t1";
        assertThat(redis.server().command("HEXISTS " + key + " nb")).isEqualTo(":1");
        assertThat(b.tasks().claim(AgentId.of("bob"), Set.of(), LEASE)).isEmpty();

        clock.advance(Duration.ofMinutes(10));
        Lease second = b.tasks().claim(AgentId.of("bob"), Set.of(), LEASE).orElseThrow();

        assertThat(second.task().attempts()).isEqualTo(2);
        assertThat(redis.server().command("HEXISTS " + key + " nb")).isEqualTo(":0");
        assertThat(redis.server().command("HGET " + key + " att")).endsWith("\n2");
        assertThat(b.tasks().complete(second, bytes("done"))).isEqualTo(LeaseOutcome.OK);
        assertThat(a.tasks().get("t1").orElseThrow().attempts()).isEqualTo(2);
    }

    @Test
    void claim_attemptsCorruptedByHand_clearErrorNamingTheKey() {
        String prefix = redis.server().target(swarm).key("s:");
        a.tasks().submit(TaskSpec.of("t1", "work", bytes("x")));
        redis.server().command("HSET " + prefix + "task:t1 att many");

        assertThatThrownBy(() -> b.tasks().claim(AgentId.of("bob"), Set.of(), LEASE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(prefix + "task:t1")
                .hasMessageContaining("many");
    }

    @Test
    void corruptData_writtenByHand_clearErrorNamingTheKey() {
        String prefix = redis.server().target(swarm).key("s:");
        a.tasks().submit(TaskSpec.of("t1", "work", bytes("x")).withPriority(9));
        a.tasks().submit(TaskSpec.of("t2", "work", bytes("x")));
        Lease lease = a.tasks().claim(AgentId.of("alice"), Set.of(), LEASE).orElseThrow();
        a.registry().register(AgentId.of("alice"), "worker", Set.of(), Map.of());
        redis.server().command("HSET " + prefix + "task:t1 status BOGUS");
        redis.server().command("HSET " + prefix + "agent:alice meta not-json");
        redis.server().command("HSET " + prefix + "terms planners many");
        redis.server().command("DEL " + prefix + "task:t2");
        redis.server().command("SET " + prefix + "task:t2 garbage");

        assertThatThrownBy(() -> b.tasks().get("t1"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("corrupt")
                .hasMessageContaining("t1")
                .hasMessageContaining("BOGUS");
        assertThatThrownBy(() -> b.tasks().complete(lease, bytes("done")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(prefix + "task:t1")
                .hasMessageContaining("BOGUS");
        assertThatThrownBy(() -> b.registry().get(AgentId.of("alice")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("alice")
                .hasMessageContaining("meta");
        assertThatThrownBy(() -> b.leaders().currentTerm("planners"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("planners")
                .hasMessageContaining("many");
        assertThatThrownBy(() -> b.tasks().claim(AgentId.of("bob"), Set.of(), LEASE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("task_claim")
                .hasMessageContaining("WRONGTYPE");
        assertThatThrownBy(() -> b.tasks().get("t2"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("WRONGTYPE");
    }
}
