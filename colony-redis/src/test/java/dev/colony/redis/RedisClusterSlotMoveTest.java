package dev.colony.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.colony.Colony;
import dev.colony.bus.Event;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.SendOutcome;
import dev.colony.state.Lease;
import dev.colony.state.LeaseOutcome;
import dev.colony.state.TaskSpec;
import dev.colony.state.TaskStatus;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node connected through Lettuce's cluster client follows its swarm's slot when the slot moves to another
 * master while the node runs (ADR 0074): the task submitted before the move is claimed and completed after it
 * exactly once, a task submitted while the slot is half-moved waits (TRYAGAIN) and is then there once, memory
 * reads and writes, the messenger's blocked reader and the bus go on, and the state's functions run on the new
 * master, which had no library until the node met it there.
 */
class RedisClusterSlotMoveTest {
    private static RedisCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void slotMovedToAnotherMaster_nodeConnected_everyPartFollowsItAndTheTaskIsDoneOnce() {
        String swarm = "moving";
        RedisServer from = cluster.masterOf(swarm);
        RedisServer to = cluster.otherThanMasterOf(swarm);
        // connected through the slot's master: a single-server client would be left with MOVED answers
        try (Colony node = from.colony(swarm).build()) {
            List<Event> events = new CopyOnWriteArrayList<>();
            node.bus().subscribe("jobs.>", events::add);
            List<Envelope> received = new CopyOnWriteArrayList<>();
            node.messenger().open(AgentId.of("bob")).attach(received::add);
            node.memory().put("plans", "k", new byte[] {1});
            node.tasks().submit(TaskSpec.of("t1", "work", new byte[] {2}));
            assertThat(node.messenger().send(Envelope.of(AgentId.of("alice"), AgentId.of("bob"), "hi", "before")))
                    .isEqualTo(SendOutcome.DELIVERED);
            await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 1);
            // the new master loses the library: the first FCALL there finds no function and loads it again
            assertThat(to.command("FUNCTION DELETE colony")).isEqualTo("+OK");

            // a submit while the slot is half-way: Redis answers TRYAGAIN (nothing runs) until the move ends
            CompletableFuture<Void> submitted = new CompletableFuture<>();
            Thread submitter = Thread.ofVirtual().unstarted(() -> {
                try {
                    node.tasks().submit(TaskSpec.of("t3", "work", new byte[] {8}));
                    submitted.complete(null);
                } catch (RuntimeException e) {
                    submitted.completeExceptionally(e);
                }
            });
            long moved = cluster.moveSlot(swarm, to, () -> {
                submitter.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> tryAgains(from) + tryAgains(to) > 0);
            });
            System.out.println("[cluster] swarm " + swarm + ": " + moved + " keys moved from :" + from.port() + " to :"
                    + to.port());
            assertThat(moved).isGreaterThan(10);
            assertThat(from.command("DBSIZE")).isEqualTo(":0");

            assertThat(submitted).succeedsWithin(Duration.ofSeconds(60));
            List<String> done = new ArrayList<>();
            for (Optional<Lease> lease = claim(node); lease.isPresent(); lease = claim(node)) {
                assertThat(node.tasks().complete(lease.get(), new byte[] {3})).isEqualTo(LeaseOutcome.OK);
                assertThat(node.tasks().complete(lease.get(), new byte[] {4})).isNotEqualTo(LeaseOutcome.OK);
                done.add(lease.get().taskId());
            }
            assertThat(done).containsExactlyInAnyOrder("t1", "t3");
            for (String id : done) {
                assertThat(node.tasks().get(id).orElseThrow().status()).isEqualTo(TaskStatus.COMPLETED);
                assertThat(node.tasks().get(id).orElseThrow().attempts()).isEqualTo(1);
            }

            assertThat(node.memory().get("plans", "k").orElseThrow().value()).containsExactly(1);
            node.memory().put("plans", "k2", new byte[] {5});
            assertThat(node.memory().get("plans", "k2").orElseThrow().value()).containsExactly(5);

            assertThat(node.messenger().send(Envelope.of(AgentId.of("alice"), AgentId.of("bob"), "hi", "after")))
                    .isEqualTo(SendOutcome.DELIVERED);
            node.bus().publish("jobs.done", "t1");
            await().atMost(Duration.ofSeconds(60)).until(() -> received.size() == 2 && events.size() == 1);
            assertThat(received.get(1).payload()).isEqualTo("after");

            assertThat(to.command("FUNCTION LIST LIBRARYNAME colony")).contains("colony_task_claim");
            long before = fcalls(to);
            node.tasks().submit(TaskSpec.of("t2", "work", new byte[] {6}));
            assertThat(fcalls(to)).isGreaterThan(before);
            assertThat(from.command("DBSIZE")).isEqualTo(":0");
        }
    }

    @Test
    void clusterUri_closedPort_refusedSayingRedisCannotBeReached() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        assertThatThrownBy(() -> Colony.builder()
                        .redis("redis://127.0.0.1:" + closed)
                        .swarm("nowhere")
                        .build())
                .hasMessageContaining("cannot reach Redis at redis://127.0.0.1:" + closed + " swarm nowhere");
    }

    private static Optional<Lease> claim(Colony node) {
        return node.tasks().claim(AgentId.of("w"), Set.of(), Duration.ofSeconds(30));
    }

    /** The TRYAGAIN errors master {@code server} has answered ({@code INFO errorstats}). */
    private static long tryAgains(RedisServer server) {
        return stat(server, "errorstats", "errorstat_TRYAGAIN:count=");
    }

    /** The FCALL calls master {@code server} has answered ({@code INFO commandstats}). */
    private static long fcalls(RedisServer server) {
        return stat(server, "commandstats", "cmdstat_fcall:calls=");
    }

    /** The number after {@code field} in section {@code section} of {@code server}'s INFO, or 0. */
    private static long stat(RedisServer server, String section, String field) {
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            for (String line : connection.sync().info(section).split("\\R")) {
                if (line.startsWith(field)) {
                    int end = line.indexOf(',');
                    return Long.parseLong(line.substring(field.length(), end < 0 ? line.length() : end));
                }
            }
            return 0;
        } finally {
            client.shutdown();
        }
    }
}
