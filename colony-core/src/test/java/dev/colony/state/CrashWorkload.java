package dev.colony.state;

import dev.colony.bus.EventBus;
import dev.colony.messaging.AgentId;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * The child process of {@link DurableStateCrashTest}: runs a random workload on a durable state and prints one line per acknowledged operation, {@code ack <revision> <op> <args>},
 * until it is killed or has run {@code maxOps} operations ({@code done}).
 *
 * <p>Arguments: directory, seed, maxOps, fsync policy.
 */
public final class CrashWorkload {
    private static final Duration LONG = Duration.ofMinutes(5); // nothing lapses while the child runs

    private CrashWorkload() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        Random random = new Random(Long.parseLong(args[1]));
        int maxOps = Integer.parseInt(args[2]);
        FsyncPolicy fsync = FsyncPolicy.valueOf(args[3]);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        StateOptions options = StateOptions.defaults().withSweepInterval(Duration.ZERO);
        try (EventBus bus = EventBus.create();
                DurableState state =
                        CoordinationState.open(bus, options, Durability.in(dir).withFsync(fsync))) {
            new CrashWorkload().run(state, random, maxOps, out);
        }
        out.println("done");
    }

    private final List<AgentId> agents = new ArrayList<>();
    private final List<Lease> held = new ArrayList<>();
    private final Map<String, Leadership> leading = new HashMap<>();
    private int nextAgent;
    private int nextTask;

    private void run(DurableState state, Random random, int maxOps, PrintStream out) {
        for (int op = 0; op < maxOps; op++) {
            int choice = random.nextInt(100);
            String line;
            if (agents.size() < 3 || choice < 5) {
                AgentId agent = AgentId.of("a-" + nextAgent++);
                state.registry().register(agent, "worker", Set.of(), Map.of());
                agents.add(agent);
                line = "register " + agent.value();
            } else if (choice < 30) {
                String id = "t-" + nextTask++;
                state.tasks().submit(TaskSpec.of(id, "work", ("payload " + id).getBytes(StandardCharsets.UTF_8)));
                line = "submit " + id;
            } else if (choice < 50) {
                AgentId agent = agents.get(random.nextInt(agents.size()));
                Optional<Lease> lease = state.tasks().claim(agent, Set.of(), LONG);
                if (lease.isEmpty()) {
                    continue;
                }
                held.add(lease.get());
                line = "claim " + lease.get().taskId() + " " + agent.value() + " "
                        + lease.get().token();
            } else if (choice < 68) {
                if (held.isEmpty()) {
                    continue;
                }
                Lease lease = held.remove(random.nextInt(held.size()));
                LeaseOutcome outcome = state.tasks().complete(lease, "done".getBytes(StandardCharsets.UTF_8));
                if (outcome != LeaseOutcome.OK) {
                    throw new IllegalStateException("complete " + lease.taskId() + ": " + outcome);
                }
                line = "complete " + lease.taskId();
            } else if (choice < 80) {
                String group = "g-" + random.nextInt(2);
                Leadership current = leading.remove(group);
                if (current != null) {
                    state.leaders().resign(current);
                    line = "resigned " + group + " " + current.term();
                } else {
                    AgentId agent = agents.get(random.nextInt(agents.size()));
                    Leadership won =
                            state.leaders().campaign(group, agent, LONG).orElseThrow();
                    leading.put(group, won);
                    line = "elected " + group + " " + won.term() + " " + agent.value();
                }
            } else if (choice < 97) {
                Optional<MemoryEntry> entry = state.memory().get("ctr", "n");
                long value =
                        entry.map(e -> Long.parseLong(e.valueAsString()) + 1).orElse(1L);
                CasOutcome outcome = state.memory()
                        .compareAndSet(
                                "ctr",
                                "n",
                                entry.map(MemoryEntry::version).orElse(0L),
                                Long.toString(value).getBytes(StandardCharsets.UTF_8),
                                null,
                                null);
                if (outcome != CasOutcome.OK) {
                    throw new IllegalStateException("counter CAS: " + outcome);
                }
                line = "counter " + value;
            } else {
                state.checkpoint();
                line = "checkpoint";
            }
            out.println("ack " + state.revision() + " " + line);
        }
    }
}
