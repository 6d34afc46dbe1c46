package dev.colony.server.dashboard;

import dev.colony.Colony;
import dev.colony.messaging.AgentId;
import dev.colony.server.auth.Principal;
import dev.colony.state.Lease;
import dev.colony.state.TaskSpec;
import dev.colony.state.TaskStatus;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Server render time of the dashboard's pages over a large swarm: 10,000 agents and 100,000 tasks (some
 * claimed, some dead) in an embedded colony. Not a test (no timed assertion): run it with
 * {@code java -cp ... dev.colony.server.dashboard.DashboardRenderBench} (see docs/benchmarks/serve.md).
 */
public final class DashboardRenderBench {
    private DashboardRenderBench() {}

    public static void main(String[] args) {
        int agents = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int tasks = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        try (Colony colony = Colony.builder().build()) {
            Viewer viewer = new Viewer(new Principal("acme", "admin", true), "t");
            for (int i = 0; i < agents; i++) {
                colony.registry()
                        .register(
                                AgentId.of(String.format("acme_agent-%05d", i)),
                                "acme_worker",
                                Set.of("acme_w"),
                                Map.of());
            }
            for (int i = 0; i < tasks; i++) {
                colony.tasks()
                        .submit(TaskSpec.of("acme_task-" + i, "acme_t" + (i % 10), new byte[16])
                                .withMaxAttempts(1));
            }
            for (int i = 0; i < tasks / 10; i++) { // a tenth claimed, half of those failed to DEAD
                Lease lease = colony.tasks()
                        .claim(
                                AgentId.of(String.format("acme_agent-%05d", i % agents)),
                                Set.of(),
                                Duration.ofMinutes(10))
                        .orElseThrow();
                if (i % 2 == 0) {
                    colony.tasks().fail(lease, "bench", false);
                }
            }
            System.out.printf(
                    "swarm: %d agents, %d tasks (queued %d, claimed %d, dead %d)%n",
                    agents,
                    tasks,
                    colony.tasks().count(TaskStatus.QUEUED),
                    colony.tasks().count(TaskStatus.CLAIMED),
                    colony.tasks().count(TaskStatus.DEAD));
            Counts counts = Counts.of(colony, viewer);
            time(
                    "overview, counts computed (cold)",
                    () -> OverviewPage.render(viewer, Counts.of(colony, viewer), Figures.Now.ZERO, null));
            time(
                    "overview, counts shared (feed period)",
                    () -> OverviewPage.render(viewer, counts, Figures.Now.ZERO, null));
            time("agents, page 1", () -> AgentsPage.render(colony, viewer, a -> java.util.OptionalInt.empty(), 1));
            time(
                    "agents, page 200 (last)",
                    () -> AgentsPage.render(colony, viewer, a -> java.util.OptionalInt.empty(), 200));
            time(
                    "tasks, any status, page 1, counts cold",
                    () -> TasksPage.render(
                            colony, viewer, new TasksPage.Filter(null, null, 1), Counts.of(colony, viewer)));
            time(
                    "tasks, any status, page 1",
                    () -> TasksPage.render(colony, viewer, new TasksPage.Filter(null, null, 1), counts));
            time(
                    "tasks, any status, page 1500",
                    () -> TasksPage.render(colony, viewer, new TasksPage.Filter(null, null, 1500), counts));
            time(
                    "tasks, QUEUED, page 1000",
                    () -> TasksPage.render(
                            colony, viewer, new TasksPage.Filter(TaskStatus.QUEUED, null, 1000), counts));
            time(
                    "tasks, type t3, page 1",
                    () -> TasksPage.render(colony, viewer, new TasksPage.Filter(null, "t3", 1), counts));
            for (int i = 0; i < 1000; i++) {
                colony.memory().put("acme_ns" + (i % 10), "key-" + i, new byte[64]);
            }
            time("memory, namespaces (1,000 keys)", () -> MemoryPage.render(colony, viewer, null, 1));
            time("memory, namespace ns3, page 1", () -> MemoryPage.render(colony, viewer, "ns3", 1));
            TaskHistory history = new TaskHistory(colony.bus()); // one, as the dashboard has
            time("task detail", () -> TasksPage.detail(colony, viewer, history, "task-77"));
        }
    }

    private static void time(String name, Supplier<String> render) {
        for (int i = 0; i < 20; i++) { // warm-up
            render.get();
        }
        long[] ms = new long[50];
        int bytes = 0;
        for (int i = 0; i < ms.length; i++) {
            long t = System.nanoTime();
            bytes = render.get().length();
            ms[i] = System.nanoTime() - t;
        }
        Arrays.sort(ms);
        System.out.printf(
                "%-36s p50 %6.1f ms  p90 %6.1f ms  max %6.1f ms  (%d chars)%n",
                name, ms[25] / 1e6, ms[45] / 1e6, ms[49] / 1e6, bytes);
    }
}
