package dev.colony.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.bus.EventBus;
import dev.colony.bus.TestSeeds;
import dev.colony.messaging.AgentId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kill -9 in the middle of a workload: a child JVM ({@link CrashWorkload}) runs operations on a durable
 * state (fsync on every operation; group commit in two more runs) and prints each acknowledged one; the test kills it at a seeded
 * random moment, reopens the directory and checks that every acknowledged operation survived and that
 * the state's invariants hold.
 */
class DurableStateCrashTest {
    private static final int MAX_OPS = 5_000;
    /**
     * A safety net, not a budget: the child is killed at its seeded point, or exits after {@link #MAX_OPS};
     * only a child that hangs meets this bound. It is minutes because a loaded machine may take tens of
     * seconds just to start a JVM (a 10-second budget failed there).
     */
    private static final Duration CHILD_BOUND = Duration.ofMinutes(5);

    /** The acknowledged operations, as the child printed them. */
    private static final class Acks {
        long lastRevision;
        final Set<String> agents = new HashSet<>();
        final Set<String> submitted = new HashSet<>();
        final Map<String, Long> claimedTokens = new HashMap<>();
        final Set<String> completed = new HashSet<>();
        final Map<String, List<Long>> electedTerms = new HashMap<>();
        final Map<String, String> leaderOfTerm = new HashMap<>();
        long counter;
        long maxToken;
        int count;
        int checkpoints;

        void add(String line) {
            String[] f = line.split(" ");
            long revision = Long.parseLong(f[1]);
            assertThat(revision)
                    .as("revisions of acknowledged operations grow: %s", line)
                    .isGreaterThanOrEqualTo(lastRevision);
            lastRevision = revision;
            count++;
            switch (f[2]) {
                case "register" -> agents.add(f[3]);
                case "submit" -> submitted.add(f[3]);
                case "claim" -> {
                    long token = Long.parseLong(f[5]);
                    claimedTokens.put(f[3], token);
                    maxToken = Math.max(maxToken, token);
                }
                case "complete" -> completed.add(f[3]);
                case "elected" -> {
                    long term = Long.parseLong(f[4]);
                    List<Long> terms = electedTerms.computeIfAbsent(f[3], g -> new ArrayList<>());
                    assertThat(terms).as("terms of %s grow", f[3]).allMatch(t -> t < term);
                    terms.add(term);
                    assertThat(leaderOfTerm.put(f[3] + "#" + term, f[5]))
                            .as("one leader per term")
                            .isNull();
                }
                case "counter" -> counter = Long.parseLong(f[3]);
                case "resigned" -> {}
                case "checkpoint" -> checkpoints++;
                default -> throw new AssertionError("unknown acknowledgement: " + line);
            }
        }
    }

    static Stream<Arguments> runs() {
        return Stream.of(
                Arguments.of(1, FsyncPolicy.EVERY_OPERATION),
                Arguments.of(2, FsyncPolicy.EVERY_OPERATION),
                Arguments.of(3, FsyncPolicy.EVERY_OPERATION),
                Arguments.of(4, FsyncPolicy.EVERY_OPERATION),
                Arguments.of(5, FsyncPolicy.EVERY_OPERATION),
                Arguments.of(6, FsyncPolicy.BATCHED),
                Arguments.of(7, FsyncPolicy.BATCHED));
    }

    @ParameterizedTest(name = "run {0}, {1}")
    @MethodSource("runs")
    @Timeout(value = 11, unit = TimeUnit.MINUTES) // above the child's bound and its wait: see CHILD_BOUND
    void kill9_midWorkload_everyAcknowledgedOperationSurvives(int run, FsyncPolicy fsync, @TempDir Path dir)
            throws IOException, InterruptedException {
        long seed = TestSeeds.seed("DurableStateCrashTest.kill9#" + run, 0x5EED_0000L + run);
        Random random = new Random(seed);
        int killAfter = 10 + random.nextInt(400);
        Path state = dir.resolve("state");
        Acks acks = runAndKill(state, random.nextLong(), killAfter, fsync, dir.resolve("child.err"));
        System.out.printf(
                "[crash] run %d (%s): killed after %d acknowledged operations (%d checkpoints), revision %d%n",
                run, fsync, acks.count, acks.checkpoints, acks.lastRevision);
        assertThat(acks.count).isGreaterThanOrEqualTo(Math.min(killAfter, 1));

        try (EventBus bus = EventBus.create();
                DurableState recovered = CoordinationState.open(
                        bus, StateOptions.defaults().withSweepInterval(Duration.ZERO), Durability.in(state))) {
            checkAcknowledged(recovered, acks);
            checkInvariants(recovered);
            checkCarriesOn(recovered, acks);
        }
    }

    /** Runs the child until it has acknowledged {@code killAfter} operations, kills it, returns every ack it printed. */
    private static Acks runAndKill(Path state, long childSeed, int killAfter, FsyncPolicy fsync, Path stderr)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(
                        java,
                        "-Xshare:off",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CrashWorkload.class.getName(),
                        state.toString(),
                        Long.toString(childSeed),
                        Integer.toString(MAX_OPS),
                        fsync.name())
                .redirectError(stderr.toFile())
                .start();
        // bound the child whatever happens: reading ends at end of stream once it is gone
        AtomicBoolean hung = new AtomicBoolean();
        CompletableFuture.delayedExecutor(CHILD_BOUND.toSeconds(), TimeUnit.SECONDS)
                .execute(() -> {
                    hung.set(child.isAlive());
                    child.toHandle().destroyForcibly();
                });
        Acks acks = new Acks();
        boolean killed = false;
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("ack ")) {
                    acks.add(line); // printed lines after the kill order were acknowledged too
                    if (!killed && acks.count >= killAfter) {
                        // SIGKILL on Linux; through the handle, so that stdout stays open for what was printed
                        child.toHandle().destroyForcibly();
                        killed = true;
                    }
                }
            }
        }
        assertThat(child.waitFor(CHILD_BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(hung.get())
                .as("the child still ran after %s (%d of %d acknowledgements)", CHILD_BOUND, acks.count, killAfter)
                .isFalse();
        assertThat(killed || child.exitValue() == 0)
                .as("child failed: %s", Files.exists(stderr) ? Files.readString(stderr) : "")
                .isTrue();
        return acks;
    }

    private static void checkAcknowledged(DurableState state, Acks acks) {
        assertThat(state.revision()).isGreaterThanOrEqualTo(acks.lastRevision);
        for (String agent : acks.agents) {
            assertThat(state.registry().get(AgentId.of(agent)))
                    .as("agent %s", agent)
                    .isPresent();
        }
        for (String task : acks.submitted) {
            assertThat(state.tasks().get(task)).as("task %s", task).isPresent();
        }
        acks.claimedTokens.forEach((task, token) -> {
            Task t = state.tasks().get(task).orElseThrow();
            assertThat(t.status()).as("claimed task %s", task).isIn(TaskStatus.CLAIMED, TaskStatus.COMPLETED);
            if (t.status() == TaskStatus.CLAIMED) {
                assertThat(t.leaseToken()).as("token of %s", task).isGreaterThanOrEqualTo(token);
            }
        });
        for (String task : acks.completed) {
            assertThat(state.tasks().get(task).orElseThrow().status())
                    .as("completed task %s", task)
                    .isEqualTo(TaskStatus.COMPLETED);
        }
        long counter = state.memory()
                .get("ctr", "n")
                .map(e -> Long.parseLong(e.valueAsString()))
                .orElse(0L);
        assertThat(counter).isGreaterThanOrEqualTo(acks.counter);
        acks.electedTerms.forEach((group, terms) ->
                assertThat(state.leaders().currentTerm(group)).isGreaterThanOrEqualTo(terms.getLast()));
    }

    private static void checkInvariants(DurableState state) {
        Set<String> completed = new HashSet<>();
        state.tasks().byStatus(TaskStatus.COMPLETED).forEach(t -> completed.add(t.id()));
        for (Task queued : state.tasks().byStatus(TaskStatus.QUEUED)) {
            assertThat(completed).as("completed and queued").doesNotContain(queued.id());
        }
        Set<String> leased = new HashSet<>();
        for (AgentRecord agent : state.registry().all()) {
            for (Lease lease : state.tasks().leasesOf(agent.id())) {
                assertThat(leased.add(lease.taskId()))
                        .as("task %s has one holder", lease.taskId())
                        .isTrue();
            }
        }
        for (Task claimed : state.tasks().byStatus(TaskStatus.CLAIMED)) {
            assertThat(claimed.holder()).isNotNull();
            assertThat(leased)
                    .as("claimed task %s is its holder's", claimed.id())
                    .contains(claimed.id());
        }
    }

    /** The recovered state continues: tokens and terms above every acknowledged one. */
    private static void checkCarriesOn(DurableState state, Acks acks) {
        AgentId survivor = AgentId.of("survivor");
        state.registry().register(survivor, "worker", Set.of(), Map.of());
        state.tasks().submit(TaskSpec.of("after-crash", "work", new byte[] {1}));
        Lease lease;
        do {
            lease = state.tasks()
                    .claim(survivor, Set.of(), Duration.ofMinutes(1))
                    .orElseThrow();
        } while (!lease.taskId().equals("after-crash"));
        assertThat(lease.token()).isGreaterThan(acks.maxToken);
        acks.electedTerms.forEach((group, terms) -> {
            state.leaders().leader(group).ifPresent(state.leaders()::resign);
            Leadership next = state.leaders()
                    .campaign(group, survivor, Duration.ofMinutes(1))
                    .orElseThrow();
            assertThat(next.term()).as("term of %s is not reused", group).isGreaterThan(terms.getLast());
        });
    }
}
