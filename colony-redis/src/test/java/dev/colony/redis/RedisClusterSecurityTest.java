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
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS and ACL users on a real three-master Redis Cluster: every master serves TLS beside its plain port, with the
 * cluster bus over TLS ({@code tls-cluster yes}, so a TLS client is given the masters' TLS ports), and every
 * master knows user {@code alice}, who may touch only the keys of swarms named {@code sec-*}. A node reaches the
 * swarm's slot through a master that does not serve it, so the cluster client's redirections and topology carry
 * the credentials and the TLS settings to the other masters (ADR 0074).
 */
class RedisClusterSecurityTest {
    @TempDir
    static Path certs;

    private static RedisCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        RedisTlsTest.generateCertificates(certs);
        cluster = RedisCluster.start(
                0,
                List.of(
                        "--tls-port",
                        "{port2}",
                        "--tls-cert-file",
                        certs.resolve("server.crt").toString(),
                        "--tls-key-file",
                        certs.resolve("server.key").toString(),
                        "--tls-ca-cert-file",
                        certs.resolve("ca.crt").toString(),
                        "--tls-auth-clients",
                        "no",
                        "--tls-cluster",
                        "yes"));
        for (RedisServer server : cluster.servers()) {
            assertThat(server.command("ACL SETUSER alice on >s3cret ~colony:{sec-*}:* &* +@all"))
                    .isEqualTo("+OK");
        }
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Colony.Builder tls(String credentials, String swarm) {
        RedisServer seed = cluster.otherThanMasterOf(swarm);
        return Colony.builder()
                .redis("rediss://" + credentials + "127.0.0.1:" + seed.secondPort())
                .swarm(swarm)
                .backendOption("tlsCaFile", certs.resolve("ca.crt").toString());
    }

    private static Colony.Builder plain(String credentials, String swarm) {
        RedisServer seed = cluster.otherThanMasterOf(swarm);
        return Colony.builder()
                .redis("redis://" + credentials + "127.0.0.1:" + seed.port())
                .swarm(swarm);
    }

    @Test
    void rediss_throughAnotherMaster_everyPartWorksOverTls() throws Exception {
        workload(tls("", "tlsonly"), "tlsonly");
    }

    @Test
    void aclUser_throughAnotherMaster_everyPartWorksAsThatUser() throws Exception {
        workload(plain("alice:s3cret@", "sec-plain"), "sec-plain");
    }

    @Test
    void aclUserOverRediss_throughAnotherMaster_everyPartWorks() throws Exception {
        workload(tls("alice:s3cret@", "sec-tls"), "sec-tls");
    }

    @Test
    void aclUser_outsideItsKeys_refusedByRedisNotWithAnotherUsersRights() {
        assertThatThrownBy(() -> plain("alice:s3cret@", "other").build()).hasStackTraceContaining("NOPERM");
    }

    @Test
    void aclUser_wrongPassword_refusedNamingTheTargetWithoutThePassword() {
        assertThatThrownBy(() -> plain("alice:wrong-secret@", "sec-plain").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot reach Redis at redis://alice:****@127.0.0.1:")
                .hasMessageContaining("WRONGPASS")
                .hasMessageNotContaining("wrong-secret");
    }

    @Test
    void rediss_withoutTrustingTheCertificate_refusedAsUnreachable() {
        RedisServer seed = cluster.otherThanMasterOf("tlsonly");
        assertThatThrownBy(() -> Colony.builder()
                        .redis("rediss://127.0.0.1:" + seed.secondPort())
                        .swarm("tlsonly")
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot reach Redis at rediss://127.0.0.1:" + seed.secondPort());
    }

    /** Tasks, memory, the bus and the messenger between two nodes of one swarm, then the swarm dropped. */
    private static void workload(Colony.Builder builder, String swarm) throws Exception {
        try (Colony a = builder.build();
                Colony b = builder.build()) {
            List<Event> events = new CopyOnWriteArrayList<>();
            b.bus().subscribe("sec.>", events::add);
            List<Envelope> received = new CopyOnWriteArrayList<>();
            b.messenger().open(AgentId.of("bob")).attach(received::add);
            a.tasks().submit(TaskSpec.of("t1", "work", new byte[] {1}));
            Lease lease = b.tasks()
                    .claim(AgentId.of("w"), Set.of(), Duration.ofSeconds(30))
                    .orElseThrow();
            assertThat(b.tasks().complete(lease, new byte[] {2})).isEqualTo(LeaseOutcome.OK);
            a.memory().put("plans", "k", new byte[] {7});
            assertThat(b.memory().get("plans", "k").orElseThrow().value()).containsExactly(7);
            assertThat(a.messenger().send(Envelope.of(AgentId.of("alice"), AgentId.of("bob"), "hi", "there")))
                    .isEqualTo(SendOutcome.DELIVERED);
            // a subscription is live once an event published after it arrives
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                a.bus().publish("sec.hello", "x");
                return !events.isEmpty() && received.size() == 1;
            });
        }
        assertThat(cluster.masterOf(swarm)
                        .command("EXISTS "
                                + cluster.masterOf(swarm).target(swarm).key("layout")))
                .isEqualTo(":1");
        cluster.masterOf(swarm).colony(swarm).drop(true);
    }
}
