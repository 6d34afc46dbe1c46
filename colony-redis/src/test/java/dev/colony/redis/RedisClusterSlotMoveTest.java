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
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node connected through Lettuce's cluster client follows its swarm's slot when the slot moves to another
 * master while the node runs (ADR 0074): the task submitted before the move is claimed and completed after it
 * exactly once, memory reads and writes, the messenger's blocked reader and the bus go on, and the state's
 * functions run on the new master, which had no library until the node met it there.
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

            long moved = cluster.moveSlot(swarm, to);
            System.out.println("[cluster] swarm " + swarm + ": " + moved + " keys moved from :" + from.port() + " to :"
                    + to.port());
            assertThat(moved).isGreaterThan(10);
            assertThat(from.command("DBSIZE")).isEqualTo(":0");

            Lease lease = node.tasks()
                    .claim(AgentId.of("w"), Set.of(), Duration.ofSeconds(30))
                    .orElseThrow();
            assertThat(lease.taskId()).isEqualTo("t1");
            assertThat(node.tasks().complete(lease, new byte[] {3})).isEqualTo(LeaseOutcome.OK);
            assertThat(node.tasks().complete(lease, new byte[] {4})).isNotEqualTo(LeaseOutcome.OK);
            assertThat(node.tasks().claim(AgentId.of("w2"), Set.of(), Duration.ofSeconds(30)))
                    .isEmpty();
            assertThat(node.tasks().get("t1").orElseThrow().status()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(node.tasks().get("t1").orElseThrow().attempts()).isEqualTo(1);

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

    /** The FCALL calls master {@code server} has answered ({@code INFO commandstats}). */
    private static long fcalls(RedisServer server) {
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            for (String line : connection.sync().info("commandstats").split("\\R")) {
                if (line.startsWith("cmdstat_fcall:calls=")) {
                    return Long.parseLong(line.substring("cmdstat_fcall:calls=".length(), line.indexOf(',')));
                }
            }
            return 0;
        } finally {
            client.shutdown();
        }
    }
}
