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
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
    private static final long LEADER_LEASE_MS = 2_000;

    private final List<Node> nodes = new ArrayList<>();
    private RedisServer server;

    @AfterEach
    void stopEverything() {
        for (Node node : nodes) {
            List<String> errors = node.lines.stream()
                    .filter(line -> !line.startsWith("DONE "))
                    .limit(20)
                    .toList();
            System.out.printf("%s: %d lines; other than DONE: %s%n", node.name, node.lines.size(), errors);
        }
        nodes.forEach(node -> node.process.destroyForcibly());
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // three JVMs on two cores; the waits below bound each step
    void tasksFlowAcrossProcessesThroughALeaderCrashAndARedisRestart() throws Exception {
        server = RedisServer.start(true);
        String uri = server.uri();
        try (Colony producer = Colony.builder().redis(uri).swarm("multi").build()) {
            for (int i = 0; i < TASKS / 2; i++) {
                producer.tasks().submit(TaskSpec.of("task-" + i, "work", new byte[] {(byte) i}));
            }
            for (int i = 0; i < 3; i++) {
                nodes.add(Node.start(uri, "node-" + i));
            }
            Duration liveness = Duration.ofSeconds(60);
            await().atMost(liveness).until(() -> currentLeader() != null);
            await().atMost(liveness).until(() -> done().size() >= TASKS / 8);
            // read once, when there is one: on a loaded machine a leader can lose its lease between two reads
            Won killed = await().atMost(liveness).until(this::currentLeader, Objects::nonNull);
            long killedAt = System.nanoTime();
            killed.node().process.destroyForcibly().waitFor();
            await().atMost(liveness).until(() -> wins().stream().anyMatch(won -> won.term() > killed.term()));
            Won successor = wins().stream()
                    .filter(won -> won.term() > killed.term())
                    .findFirst()
                    .orElseThrow();
            System.out.printf(
                    "leader %s (term %d) killed; %s took over with term %d %d ms later (lease %d ms)%n",
                    killed.node().name,
                    killed.term(),
                    successor.node().name,
                    successor.term(),
                    (successor.at() - killedAt) / 1_000_000,
                    LEADER_LEASE_MS);
            assertThat(successor.node()).isNotSameAs(killed.node());
            assertThat(wins().stream().map(Won::term)).doesNotHaveDuplicates();

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
                assertThat(nodes.stream()
                                .anyMatch(node -> node.name.equals(holder) && node.lines.contains("DONE " + id)))
                        .as("task %s's result names the process that acknowledged it", id)
                        .isTrue();
            }
        }
        for (Node node : nodes) {
            assertThat(node.process.waitFor(30, TimeUnit.SECONDS))
                    .as("%s stops once swarm/stop is set", node.name)
                    .isTrue();
        }
    }

    /** Every leadership won so far, in the order the test saw them. */
    private List<Won> wins() {
        return nodes.stream()
                .flatMap(node -> node.wins.stream())
                .sorted(java.util.Comparator.comparingLong(Won::at))
                .toList();
    }

    /** The newest leadership not yet reported lost, or null. */
    private Won currentLeader() {
        List<Won> wins = wins();
        if (wins.isEmpty()) {
            return null;
        }
        Won newest = wins.getLast();
        return newest.node().lines.contains("LOST " + newest.term()) ? null : newest;
    }

    /** A leadership a node reported: its term, and when the test read the line. */
    private record Won(Node node, long term, long at) {}

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
        final List<Won> wins = new CopyOnWriteArrayList<>();

        private Node(String name, Process process) {
            this.name = name;
            this.process = process;
        }

        static Node start(String uri, String name) throws IOException {
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
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

        private void collect() {
            try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.startsWith("LEADER ")) {
                        wins.add(new Won(this, Long.parseLong(line.substring(7)), System.nanoTime()));
                    }
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("ERROR reading output: " + e);
            }
        }
    }
}
