package dev.colony.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.colony.Colony;
import dev.colony.LogCapture;
import dev.colony.bus.Event;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.Messenger;
import dev.colony.messaging.SendOutcome;
import dev.colony.state.Lease;
import dev.colony.state.LeaseOutcome;
import dev.colony.state.TaskSpec;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A swarm on a real three-master Redis Cluster is one hash slot: after a workload of every part (tasks, leader,
 * memory, bus between two nodes, messages), every key of the swarm is in its tag's slot on one master, the other
 * masters hold none of them, and a drop through another master deletes them all; a node pointed at another master
 * reaches the slot's master through the cluster client.
 */
class RedisClusterTest {
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
    void swarm_everyPartAtWork_allItsKeysInOneSlotOnOneMaster() {
        String swarm = "spread";
        RedisServer master = cluster.masterOf(swarm);
        try (Colony a = master.colony(swarm).build();
                Colony b = master.colony(swarm).build()) {
            List<Event> events = new CopyOnWriteArrayList<>();
            b.bus().subscribe("jobs.>", events::add);
            List<Envelope> received = new CopyOnWriteArrayList<>();
            b.messenger().open(AgentId.of("bob")).attach(received::add);
            a.leaders()
                    .campaign("g", AgentId.of("lead"), Duration.ofSeconds(30))
                    .orElseThrow();
            a.memory().put("plans", "k", new byte[] {1});
            a.tasks().submit(TaskSpec.of("t1", "work", new byte[] {2}));
            Lease lease = b.tasks()
                    .claim(AgentId.of("w"), Set.of(), Duration.ofSeconds(30))
                    .orElseThrow();
            assertThat(b.tasks().complete(lease, new byte[] {3})).isEqualTo(LeaseOutcome.OK);
            a.bus().publish("jobs.done", "t1");
            assertThat(a.messenger().send(Envelope.of(AgentId.of("alice"), AgentId.of("bob"), "hi", "there")))
                    .isEqualTo(SendOutcome.DELIVERED);
            await().atMost(Duration.ofSeconds(30)).until(() -> events.size() == 1 && received.size() == 1);

            String slot = master.command(
                            "CLUSTER KEYSLOT " + master.target(swarm).key("layout"))
                    .substring(1);
            long keys = Long.parseLong(master.command("DBSIZE").substring(1));
            System.out.println(
                    "[cluster] swarm " + swarm + ": slot " + slot + ", " + keys + " keys on master :" + master.port());
            assertThat(keys).isGreaterThan(10);
            assertThat(master.command("CLUSTER COUNTKEYSINSLOT " + slot)).isEqualTo(":" + keys);
            for (RedisServer other : cluster.masters()) {
                if (other != master) {
                    assertThat(other.command("DBSIZE")).isEqualTo(":0");
                }
            }
            assertThat(master.command("FUNCTION LIST LIBRARYNAME colony")).contains("colony_task_claim");
        }
        // dropped through another master: the cluster client's SCAN visits every master
        RedisServer other = cluster.otherThanMasterOf(swarm);
        assertThat(other.colony(swarm).drop(true)).isGreaterThan(10);
        assertThat(master.command("DBSIZE")).isEqualTo(":0");
    }

    @Test
    void colony_onAMasterWithoutTheSwarmsSlot_connectsThroughTheClusterClientToTheSlotsMaster() {
        String swarm = "elsewhere";
        RedisServer owner = cluster.masterOf(swarm);
        RedisServer other = cluster.otherThanMasterOf(swarm);
        try (Colony colony = other.colony(swarm).build()) {
            colony.memory().put("plans", "k", new byte[] {7});
            assertThat(colony.memory().get("plans", "k").orElseThrow().value()).containsExactly(7);
        }
        assertThat(owner.command("EXISTS " + owner.target(swarm).key("layout"))).isEqualTo(":1");
        assertThat(other.command("DBSIZE")).isEqualTo(":0");
        owner.colony(swarm).drop(true); // the other tests count every master's keys
    }

    @Test
    void colony_userWithoutInfoOnAnotherMaster_singleServerClientRefusedNamingTheSlotsMaster() {
        String swarm = "noinfo";
        RedisServer owner = cluster.masterOf(swarm);
        RedisServer other = cluster.otherThanMasterOf(swarm);
        assertThat(other.command("ACL SETUSER noinfo on >pw ~* &* +@all -info")).isEqualTo("+OK");
        assertThatThrownBy(() -> Colony.builder()
                        .redis("redis://noinfo:pw@127.0.0.1:" + other.port())
                        .swarm(swarm)
                        .build())
                .hasMessageContaining("not served by this Redis Cluster node")
                .hasMessageContaining("127.0.0.1:" + owner.port())
                .hasMessageContaining("allow INFO");
    }

    @Test
    void colony_clusterUriWithADatabase_refusedSayingClusterHasDatabaseZeroOnly() {
        RedisServer any = cluster.masters().getFirst();
        assertThatThrownBy(() ->
                        Colony.builder().redis(any.uri() + "/3").swarm("db3").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names database 3")
                .hasMessageContaining("database 0 only");
    }

    @Test
    void link_closedBeforeItsParts_noConnectionLogsALoss() {
        String swarm = "quiet";
        try (LogCapture log = LogCapture.of("dev.colony.redis")) {
            RedisLink link = RedisLink.open(cluster.target(swarm));
            Messenger messenger = RedisMessenger.open(link, Messenger.builder());
            List<Envelope> received = new CopyOnWriteArrayList<>();
            messenger.open(AgentId.of("bob")).attach(received::add);
            messenger.send(Envelope.of(AgentId.of("alice"), AgentId.of("bob"), "hi", "there"));
            await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 1);
            assertThat(link.cluster()).isTrue();
            link.close(); // its client closes the messenger's connections, the reader's blocked one among them
            messenger.close();
            assertThat(log.containing("Redis connection lost")).isEmpty();
        }
        cluster.masterOf(swarm).colony(swarm).drop(true); // the other tests count every master's keys
    }
}
