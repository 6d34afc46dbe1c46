package dev.colony.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.colony.Colony;
import dev.colony.state.Task;
import dev.colony.state.TaskSpec;
import dev.colony.state.TaskStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three JVMs form one swarm through Redis (with its append-only file fsynced on every write). A producer
 * in this JVM submits tasks; the children claim and complete them and campaign for one leadership. The
 * test kills the leader's process, then restarts Redis, in the middle of the work, and checks: another
 * process takes over with a higher term, every task ends COMPLETED, no task is acknowledged as completed
 * twice, and every acknowledged completion survived the restart.
 *
 * <p>How fast the takeover is, is a measurement, not an assertion (no timed assertions): the test prints
 * it, and {@code colony bench --redis} reports it. The waits below are generous liveness bounds only.
 */
class MultiProcessSwarmTest {

    private static final int TASKS = 400;
    private static final long LEADER_LEASE_MS = 1_000;

    private final List<Node> nodes = new ArrayList<>();
    private RedisServer server;

    @AfterEach
    void stopEverything() {
        nodes.forEach(node -> node.process.destroyForcibly());
        if (server != null) {
            server.close();
        }
    }

    @Test
    void tasksFlowAcrossProcessesThroughALeaderCrashAndARedisRestart() throws Exception {
        server = RedisServer.start(true);
        String uri = server.uri("multi");
        try (Colony producer = Colony.builder().redis(uri).build()) {
            for (int i = 0; i < TASKS / 2; i++) {
                producer.tasks().submit(TaskSpec.of("task-" + i, "work", new byte[] {(byte) i}));
            }
            for (int i = 0; i < 3; i++) {
                nodes.add(Node.start(uri, "node-" + i));
            }
            Duration liveness = Duration.ofSeconds(60);
            await().atMost(liveness).until(() -> leaders().size() == 1);
            Node leader = leaders().getFirst();
            long firstTerm = leader.terms().getFirst();

            await().atMost(liveness).until(() -> done().size() >= TASKS / 8);
            long killedAt = System.nanoTime();
            leader.process.destroyForcibly().waitFor();
            await().atMost(liveness)
                    .until(() -> nodes.stream()
                            .filter(node -> node != leader)
                            .anyMatch(node -> !node.terms().isEmpty()));
            Node successor = nodes.stream()
                    .filter(node -> node != leader && !node.terms().isEmpty())
                    .findFirst()
                    .orElseThrow();
            long failoverMillis = (successor.firstLeaderAt - killedAt) / 1_000_000;
            System.out.printf(
                    "leader %s (term %d) killed; %s took over with term %d after %d ms (lease %d ms)%n",
                    leader.name, firstTerm, successor.name, successor.terms().getFirst(), failoverMillis,
                    LEADER_LEASE_MS);
            assertThat(successor.terms().getFirst()).isGreaterThan(firstTerm);

            for (int i = TASKS / 2; i < TASKS; i++) {
                producer.tasks().submit(TaskSpec.of("task-" + i, "work", new byte[] {(byte) i}));
            }
            await().atMost(liveness).until(() -> done().size() >= TASKS * 5 / 8);
            Set<String> acknowledgedBeforeRestart = new HashSet<>(done());
            server.restart();

            await().atMost(Duration.ofSeconds(120))
                    .ignoreExceptions()
                    .until(() -> producer.tasks().byStatus(TaskStatus.COMPLETED).size() == TASKS);
            producer.memory().put("swarm", "stop", new byte[] {1});

            List<String> doneLines = nodes.stream()
                    .flatMap(node -> node.lines.stream())
                    .filter(line -> line.startsWith("DONE "))
                    .map(line -> line.substring(5))
                    .toList();
            assertThat(doneLines).doesNotHaveDuplicates();
            Map<String, Task> completed = producer.tasks().byStatus(TaskStatus.COMPLETED).stream()
                    .collect(Collectors.toMap(Task::id, task -> task));
            assertThat(completed).hasSize(TASKS);
            assertThat(completed.keySet()).containsAll(acknowledgedBeforeRestart);
            for (String id : doneLines) {
                String holder = new String(completed.get(id).result(), StandardCharsets.UTF_8);
                assertThat(nodes.stream().anyMatch(node -> node.name.equals(holder) && node.lines.contains("DONE " + id)))
                        .as("task %s's result names the process that acknowledged it", id)
                        .isTrue();
            }
        }
        for (Node node : nodes) {
            assertThat(node.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS))
                    .as("%s stops once swarm/stop is set", node.name)
                    .isTrue();
        }
    }

    private List<Node> leaders() {
        return nodes.stream().filter(node -> !node.terms().isEmpty()).toList();
    }

    private Set<String> done() {
        return nodes.stream()
                .flatMap(node -> node.lines.stream())
                .filter(line -> line.startsWith("DONE "))
                .map(line -> line.substring(5))
                .collect(Collectors.toSet());
    }

    /** A child JVM running {@link SwarmNode}, its stdout collected line by line. */
    private static final class Node {
        final String name;
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();
        volatile long firstLeaderAt;

        private Node(String name, Process process) {
            this.name = name;
            this.process = process;
        }

        static Node start(String uri, String name) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process process = new ProcessBuilder(
                            java,
                            "-Xmx256m",
                            "-cp",
                            System.getProperty("java.class.path"),
                            SwarmNode.class.getName(),
                            uri,
                            name,
                            Long.toString(LEADER_LEASE_MS))
                    .redirectErrorStream(true)
                    .start();
            Node node = new Node(name, process);
            Thread.ofVirtual().start(node::collect);
            return node;
        }

        List<Long> terms() {
            return lines.stream()
                    .filter(line -> line.startsWith("LEADER "))
                    .map(line -> Long.parseLong(line.substring(7)))
                    .toList();
        }

        private void collect() {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.startsWith("LEADER ") && firstLeaderAt == 0) {
                        firstLeaderAt = System.nanoTime();
                    }
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("ERROR reading output: " + e);
            }
        }
    }
}
