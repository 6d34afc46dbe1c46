package dev.colony.server.dashboard;

import dev.colony.Colony;
import dev.colony.messaging.AgentId;
import dev.colony.server.ColonyServer;
import dev.colony.state.Lease;
import dev.colony.state.TaskSpec;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.openqa.selenium.By;

/**
 * The browser's memory while a dashboard page stays open on a large, busy swarm: 10,000 agents and 100,000
 * tasks, a worker thread completing tasks and heartbeating all the time, so the page's SSE feed sends a round
 * every 500 ms. Reads Chromium's JavaScript heap ({@code performance.memory.usedJSHeapSize}, after a forced
 * {@code gc()}) and the page's DOM node count every {@code sampleSeconds}, for each page in turn. Bounded
 * means: flat after the first samples, not growing with time. Not a test (it takes minutes); run by hand:
 *
 * <pre>java -cp ... dev.colony.server.dashboard.DashboardBrowserMemoryBench [minutes per page] [sample s]</pre>
 */
public final class DashboardBrowserMemoryBench {
    private DashboardBrowserMemoryBench() {}

    public static void main(String[] args) throws Exception {
        double minutes = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        int sampleSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong completed = new AtomicLong();
        try (Colony colony = Colony.builder().build();
                ColonyServer server = ColonyServer.builder()
                        .colony(colony)
                        .guard(new DashGuard())
                        .port(0)
                        .checkpointEvery(null)
                        .build()
                        .start();
                Browser browser = new Browser("--js-flags=--expose-gc", "--enable-precise-memory-info")) {
            fill(colony, 10_000, 100_000);
            Thread worker = Thread.ofPlatform().name("bench-worker").start(() -> work(colony, running, completed));
            String base = server.uri().toString();
            browser.driver.get(base + "/dash/login");
            browser.driver.findElement(By.id("token")).sendKeys("admin-token");
            browser.driver.findElement(By.id("sign-in")).click();
            for (String page : new String[] {"/dash/", "/dash/agents", "/dash/tasks"}) {
                browser.driver.get(base + page);
                long end = System.nanoTime() + (long) (minutes * 60e9);
                int t = 0;
                while (true) {
                    Object heap =
                            browser.driver.executeScript("window.gc(); return performance.memory.usedJSHeapSize;");
                    Object nodes = browser.driver.executeScript("return document.getElementsByTagName('*').length;");
                    System.out.printf(
                            "%-14s t=%4ds  JS heap %6.2f MB  DOM elements %6s  tasks completed %,d%n",
                            page, t, ((Number) heap).longValue() / 1e6, nodes, completed.get());
                    if (System.nanoTime() > end) {
                        break;
                    }
                    Thread.sleep(sampleSeconds * 1000L);
                    t += sampleSeconds;
                }
                System.out.println("console errors on " + page + ": "
                        + browser.consoleErrors().size());
            }
            running.set(false);
            worker.join();
        }
    }

    private static void fill(Colony colony, int agents, int tasks) {
        for (int i = 0; i < agents; i++) {
            colony.registry()
                    .register(
                            AgentId.of(String.format("acme_agent-%05d", i)), "acme_worker", Set.of("acme_w"), Map.of());
        }
        for (int i = 0; i < tasks; i++) {
            colony.tasks().submit(TaskSpec.of("acme_task-" + i, "acme_t" + (i % 10), new byte[16]));
        }
    }

    /** Claims and completes tasks and heartbeats agents until stopped, so every feed round has news. */
    private static void work(Colony colony, AtomicBoolean running, AtomicLong completed) {
        int i = 0;
        while (running.get()) {
            AgentId agent = AgentId.of(String.format("acme_agent-%05d", i++ % 10_000));
            colony.registry().heartbeat(agent);
            Optional<Lease> lease = colony.tasks().claim(agent, Set.of(), Duration.ofMinutes(1));
            if (lease.isPresent()) {
                colony.tasks().complete(lease.get(), new byte[0], null);
                completed.incrementAndGet();
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
