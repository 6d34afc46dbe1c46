package dev.colony.redis;

import dev.colony.bus.EventBus;
import dev.colony.state.AgentRegistry;
import dev.colony.state.CoordinationState;
import dev.colony.state.LeaderChangeLog;
import dev.colony.state.LeaderElection;
import dev.colony.state.Leadership;
import dev.colony.state.SharedMemory;
import dev.colony.state.Snapshot;
import dev.colony.state.SnapshotCheck;
import dev.colony.state.StateChange;
import dev.colony.state.StateOptions;
import dev.colony.state.TaskQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The coordination state of a swarm, in Redis: every record is a hash under {@code colony:{swarm}:s:},
 * every multi-step operation one Lua script ({@link RedisStateScripts}), so each operation is atomic and
 * linearizable with respect to every other operation of every process on the swarm. Layout, scripts and
 * their arguments: docs/redis-protocol.md; decisions: ADR 0018.
 *
 * <p>Time: every script gets "now" from {@link StateOptions#clock()} (milliseconds since the epoch), and
 * every expiry is decided from the deadlines stored in the hashes, never from Redis TTLs or Redis TIME.
 * Processes of one swarm must therefore share a clock, to within the precision their leases need.
 *
 * <p>Announcements: the changes each script made come back with their revisions (from the swarm's one
 * revision counter) and are published on this process's {@code bus} after the script, in order, exactly
 * like the embedded state. Other processes announce their own changes on their own buses. Task changes come
 * back only while some node watches them ({@link RedisTaskWatch}, ADR 0076): nobody can see the others.
 *
 * <p>One connection (Lettuce pipelines the commands of all threads on it). {@link #close()} stops the
 * sweeper and closes that connection, never the link nor the bus.
 */
final class RedisState implements CoordinationState {
    private static final System.Logger LOG = System.getLogger(RedisState.class.getName());
    /** The longest duration a script is given, in milliseconds (about 31,700 years): longer ones saturate. */
    static final long MAX_MILLIS = 1_000_000_000_000_000L;

    final StateOptions options;
    final EventBus bus;
    final RedisStateScripts scripts;
    final RedisLinkConnection<String, byte[]> connection;
    final String prefix;
    /** The blocking connections of waiting claims (ADR 0076). */
    final RedisTaskWaiters waiters;

    private final RedisStateRegistry registry;
    private final RedisStateTasks tasks;
    private final RedisStateLeaders leaders;
    private final RedisStateMemory memory;
    /** This state's own entry in the task watch when its bus is not a Redis bus (ADR 0076), else null. */
    private final RedisTaskWatch taskWatch;

    private final AtomicLong sweepFailures = new AtomicLong();
    private Thread sweeper;
    private volatile boolean closed;

    private RedisState(RedisLink link, EventBus bus, StateOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.bus = Objects.requireNonNull(bus, "bus");
        this.prefix = link.target().key("s:");
        this.connection = link.connectBytes();
        this.scripts =
                new RedisStateScripts(connection.async(), prefix, link.target().key("layout"));
        this.waiters = new RedisTaskWaiters(link, prefix);
        this.registry = new RedisStateRegistry(this);
        this.tasks = new RedisStateTasks(this);
        this.leaders = new RedisStateLeaders(this);
        this.memory = new RedisStateMemory(this);
        // a Redis bus registers its own subscriptions; another bus's are not known here, so watch always
        this.taskWatch = bus instanceof RedisEventBus
                ? null
                : new RedisTaskWatch(
                        link,
                        "state-"
                                + java.util.HexFormat.of()
                                        .toHexDigits(java.util.concurrent.ThreadLocalRandom.current()
                                                .nextLong()));
    }

    /**
     * The coordination state of {@code link}'s swarm, announcing on {@code bus}; loads the scripts and
     * starts the sweeper unless {@code options} has a zero sweep interval. Closing it closes neither the
     * link nor the bus.
     */
    static CoordinationState open(RedisLink link, EventBus bus, StateOptions options) {
        Objects.requireNonNull(link, "link");
        RedisState state = new RedisState(link, bus, options);
        try {
            state.scripts.load();
            RedisTaskRetention.write(state.connection, state.prefix, options.taskRetention());
            if (state.taskWatch != null) {
                state.taskWatch.watch();
            }
        } catch (RuntimeException e) {
            if (state.taskWatch != null) {
                state.taskWatch.close();
            }
            state.connection.close();
            throw e;
        }
        if (!options.sweepInterval().isZero()) {
            state.sweeper =
                    Thread.ofVirtual().name("colony-redis-state-sweeper").start(state::sweepPeriodically);
        }
        return state;
    }

    /** The size of the sorted set at {@code suffix} of the state prefix: one ZCARD, O(1). */
    long cardinality(String suffix) {
        return await(connection.async().zcard(prefix + suffix));
    }

    /** Now by the state's clock, in milliseconds since the epoch. */
    long now() {
        return options.clock().millis();
    }

    static long millis(Duration duration) {
        try {
            return Math.min(duration.toMillis(), MAX_MILLIS);
        } catch (ArithmeticException e) {
            return MAX_MILLIS;
        }
    }

    /**
     * Runs script {@code name} with now and {@code args}, announces the changes it made, and returns its
     * result.
     */
    Object run(String name, Object... args) {
        if (closed) {
            throw new IllegalStateException("the coordination state is closed");
        }
        Object[] all = new Object[args.length + 1];
        all[0] = now();
        System.arraycopy(args, 0, all, 1, args.length);
        List<Object> reply = scripts.run(name, all);
        announce((List<?>) reply.get(1));
        return reply.get(0);
    }

    private void announce(List<?> changes) {
        for (Object item : changes) {
            List<?> change = (List<?>) item;
            String subject = RedisStateCodec.text(change.get(0));
            String name = RedisStateCodec.text(change.get(1));
            long revision = RedisStateCodec.number(change.get(2));
            Object value = RedisStateCodec.record(RedisStateCodec.text(change.get(3)), change.get(4));
            if (value instanceof Leadership leadership) {
                LeaderChangeLog.changed(name, leadership);
            }
            bus.publish(subject, new StateChange(revision, name, value));
        }
    }

    /** Whether a script's result is the integer 0 (nothing done). */
    static boolean none(Object result) {
        return result instanceof Long l && l == 0;
    }

    @Override
    public AgentRegistry registry() {
        return registry;
    }

    @Override
    public TaskQueue tasks() {
        return tasks;
    }

    @Override
    public LeaderElection leaders() {
        return leaders;
    }

    @Override
    public SharedMemory memory() {
        return memory;
    }

    @Override
    public int sweep() {
        return (int) RedisStateCodec.number(run("state_sweep", millis(options.heartbeatTimeout())));
    }

    @Override
    public Snapshot snapshot() {
        Instant takenAt = options.clock().instant();
        return RedisStateSnapshots.decode((List<?>) run("state_snapshot"), takenAt);
    }

    @Override
    public void restore(Snapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        SnapshotCheck.check(snapshot);
        run("state_restore", RedisStateSnapshots.encode(snapshot).toArray());
        bus.publish("colony.state.restored", new StateChange(snapshot.revision(), "restored", snapshot));
    }

    @Override
    public long revision() {
        byte[] value = await(connection.async().get(prefix + "rev"));
        if (value == null) {
            return 0;
        }
        try {
            return Long.parseLong(new String(value, java.nio.charset.StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            throw new RedisStateException("corrupt coordination state in Redis: key " + prefix + "rev is not a number");
        }
    }

    /** The hash at {@code suffix} of the state prefix (one HGETALL: atomic), empty if there is none. */
    java.util.Map<String, byte[]> hash(String suffix) {
        return await(connection.async().hgetall(prefix + suffix));
    }

    /** Waits for a plain command's reply, translating failures into {@link RedisStateException}s. */
    static <T> T await(io.lettuce.core.RedisFuture<T> future) {
        try {
            return future.get(
                    RedisLink.MAX_COMMAND_TIMEOUT.toMillis() + 1_000, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisStateException("interrupted while waiting for Redis", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new RedisStateException(
                    "Redis command failed: " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new RedisStateException("Redis command got no reply in time", e);
        }
    }

    /** How many background sweeps failed (Redis unreachable, say); each is also logged. */
    long sweepFailures() {
        return sweepFailures.get();
    }

    private void sweepPeriodically() {
        Duration pause = options.sweepInterval();
        while (!closed) {
            try {
                Thread.sleep(pause);
                if (!closed) {
                    sweep();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                sweepFailures.incrementAndGet();
                LOG.log(System.Logger.Level.WARNING, "coordination state sweep failed: " + e.getMessage());
            }
        }
    }

    /** Every element of a list reply. */
    static List<?> list(Object reply) {
        return reply instanceof List<?> l ? l : new ArrayList<>();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (sweeper != null) {
            sweeper.interrupt();
            try {
                sweeper.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (taskWatch != null) {
            taskWatch.close();
        }
        waiters.close();
        connection.close();
    }

    /** Checks that {@code duration} is positive, naming it as {@code name} otherwise. */
    static Duration positive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
        return duration;
    }
}
