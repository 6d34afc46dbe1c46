package dev.colony.validation.scenarios;

import dev.colony.bus.EventBus;
import dev.colony.messaging.AgentId;
import dev.colony.state.AgentStatus;
import dev.colony.state.CoordinationState;
import dev.colony.state.Snapshot;
import dev.colony.state.StateOptions;
import dev.colony.state.TaskSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The state of the {@code snapshot} scenario: the original report's shape held in Colony's real
 * {@link CoordinationState}, on a manual clock so snapshots are reproducible.
 *
 * <p>The mapping, per agent of the original (status, 10 tasks {@code {taskId, progress}}, a 100-character
 * memory):
 *
 * <ul>
 *   <li>the agent is a registered agent ({@code agent-007}, role {@code worker}, a capability, metadata
 *       with its name and zone) in status IDLE or BUSY;
 *   <li>its 10 tasks {@code {taskId, progress}} are one shared-memory entry {@code progress/agent-007} whose
 *       value lists them as JSON ({@code [{"id":"task-007-0","p":0.42},…]}): the agent's own, versioned, frequently
 *       updated record of how far it is, which is what shared memory is for (Colony's task queue holds work
 *       waiting for an agent, below). One entry per agent rather than one per task keeps the encoded state
 *       near the original's 60 KB: 1,000 separate entries would add about 25 KB of keys and versions;
 *   <li>its memory is a shared-memory entry {@code memory/agent-007} of 100 characters.
 * </ul>
 *
 * Then a queue of half as many tasks as agents (50 for 100 agents), QUEUED with priorities 0-9 and a small
 * payload, and a leader election group {@code swarm} whose term is 5 (four earlier leaders resigned).
 * With 100 agents this encodes to about 60 KB in the binary format; larger states scale the agent count.
 *
 * <p>{@link #change(int)} makes one agent send a heartbeat and update one task's progress: the state
 * changes between snapshots. Not thread-safe for {@code change}; the state itself is.
 */
public final class SnapshotWorkload implements AutoCloseable {
    /** Agents in the original state. */
    public static final int AGENTS = 100;

    static final int TASKS_PER_AGENT = 10;
    static final int MEMORY_CHARS = 100;
    static final Instant START = Instant.parse("2026-11-27T12:00:00Z");

    final int agents;
    final SettableClock clock = new SettableClock(START);
    final CoordinationState state;
    private final EventBus bus;
    private final AgentId[] ids;
    private final int[][] progress;
    private final SplittableRandom random = new SplittableRandom(20261127L);

    /** Builds the state with {@code agents} agents (100 for the original shape). */
    public SnapshotWorkload(int agents) {
        if (agents < 1) {
            throw new IllegalArgumentException("agents must be positive, got " + agents);
        }
        this.agents = agents;
        this.bus = EventBus.create();
        this.state = CoordinationState.create(bus, options(clock));
        this.ids = new AgentId[agents];
        this.progress = new int[agents][TASKS_PER_AGENT];
        build();
    }

    /** State options for the workload: {@code clock}, and no background sweeper, so nothing moves alone. */
    static StateOptions options(InstantSource clock) {
        return StateOptions.defaults()
                .withClock(clock)
                .withHeartbeatTimeout(Duration.ofDays(365))
                .withSweepInterval(Duration.ZERO);
    }

    /** A snapshot of the original 100-agent state, as {@code colony snapshot sample} writes it. */
    public static Snapshot sample() {
        try (SnapshotWorkload workload = new SnapshotWorkload(AGENTS)) {
            return workload.state.snapshot();
        }
    }

    private void build() {
        for (int a = 0; a < agents; a++) {
            ids[a] = AgentId.of(String.format("agent-%03d", a));
            state.registry()
                    .register(
                            ids[a],
                            "worker",
                            Set.of(a % 2 == 0 ? "compute" : "search"),
                            Map.of("name", "Agent " + a, "zone", "zone-" + (a % 4)));
            state.registry().transition(ids[a], AgentStatus.IDLE);
            if (a % 3 == 0) {
                state.registry().transition(ids[a], AgentStatus.BUSY);
            }
            for (int t = 0; t < TASKS_PER_AGENT; t++) {
                progress[a][t] = random.nextInt(100);
            }
            state.memory().put("progress", ids[a].value(), progress(a));
            state.memory().put("memory", ids[a].value(), memory(a));
        }
        for (int q = 0; q < Math.max(1, agents / 2); q++) {
            byte[] payload = ("{\"step\":" + q + "}").getBytes(StandardCharsets.UTF_8);
            state.tasks()
                    .submit(TaskSpec.of(String.format("queued-%04d", q), "work", payload)
                            .withPriority(q % 10));
        }
        for (int term = 1; term <= 5; term++) {
            var leadership = state.leaders()
                    .campaign("swarm", ids[term % agents], Duration.ofDays(1))
                    .orElseThrow();
            if (term < 5) {
                state.leaders().resign(leadership);
            }
        }
    }

    /** Change {@code n}: agent {@code n % agents} sends a heartbeat and updates one task's progress. */
    void change(int n) {
        clock.advance(1_000);
        int a = Math.floorMod(n, agents);
        state.registry().heartbeat(ids[a]);
        progress[a][Math.floorMod(n / agents, TASKS_PER_AGENT)] = random.nextInt(100);
        state.memory().put("progress", ids[a].value(), progress(a));
    }

    AgentId agent(int n) {
        return ids[Math.floorMod(n, agents)];
    }

    /** The agent's tasks and their progress in percent, as its progress entry holds them. */
    private byte[] progress(int agent) {
        StringBuilder text = new StringBuilder(TASKS_PER_AGENT * 30).append('[');
        for (int t = 0; t < TASKS_PER_AGENT; t++) {
            if (t > 0) {
                text.append(',');
            }
            text.append(
                    String.format(Locale.ROOT, "{\"id\":\"task-%03d-%d\",\"p\":0.%02d}", agent, t, progress[agent][t]));
        }
        return text.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    private byte[] memory(int agent) {
        StringBuilder text = new StringBuilder(MEMORY_CHARS);
        String seed = "Agent " + agent + " remembers: ";
        while (text.length() < MEMORY_CHARS) {
            text.append(seed);
            text.append((char) ('a' + random.nextInt(26)));
        }
        text.setLength(MEMORY_CHARS);
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        state.close();
        bus.close();
    }

    /** A clock that moves only when told: reproducible snapshot times. Thread-safe. */
    static final class SettableClock implements InstantSource {
        private volatile Instant now;

        SettableClock(Instant start) {
            this.now = start;
        }

        @Override
        public Instant instant() {
            return now;
        }

        synchronized void advance(long nanos) {
            now = now.plusNanos(nanos);
        }
    }
}
