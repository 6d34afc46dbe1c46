package dev.colony.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.Colony;
import dev.colony.state.TaskSpec;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Connecting with a Lettuce URI: ACL users, database numbers, client names, the swarm option, the layout. */
class RedisConnectionTest {

    private static RedisServer server;
    private static RedisClient admin;
    private static StatefulRedisConnection<String, String> adminConnection;

    @BeforeAll
    static void startServer() {
        server = RedisServer.start();
        // alice may only touch her swarm's keys and channels; the default user needs another password
        server.command("ACL SETUSER alice on >s3cret ~colony:{acl}:* &colony:{acl}:* +@all");
        server.command("ACL SETUSER root on >rootpw ~* &* +@all");
        server.command("ACL SETUSER default on >defaultpw ~* &* +@all");
        admin = RedisClient.create("redis://root:rootpw@127.0.0.1:" + server.port());
        adminConnection = admin.connect();
    }

    @AfterAll
    static void stopServer() {
        adminConnection.close();
        admin.shutdown();
        server.close();
    }

    private static String uri(String credentials, String rest) {
        return "redis://" + credentials + "127.0.0.1:" + server.port() + rest;
    }

    @Test
    void open_aclUserAndPasswordInUri_authenticatesAsThatUser() {
        try (Colony colony =
                Colony.builder().redis(uri("alice:s3cret@", "")).swarm("acl").build()) {
            colony.tasks().submit(TaskSpec.of("t1", "work", "x".getBytes(StandardCharsets.UTF_8)));
            assertThat(colony.tasks().get("t1")).isPresent();
        }
        assertThat(adminConnection.sync().hget("colony:{acl}:s:task:t1", "type"))
                .isEqualTo("work");
    }

    @Test
    void open_aclUserOutsideItsKeys_refusedByRedisNotWithAnotherUsersRights() {
        // alice may not touch swarm "other": proves the connection really runs as alice, not as default
        assertThatThrownBy(() -> Colony.builder()
                        .redis(uri("alice:s3cret@", ""))
                        .swarm("other")
                        .build())
                .hasStackTraceContaining("NOPERM");
    }

    @Test
    void subscribe_aclUserWithoutThePatternAsAChannelRule_refusedSayingWhichRuleItNeeds() {
        // Redis checks a PSUBSCRIBE pattern by string equality with the user's channel rules, so
        // &colony:{acl}:* lets alice publish but not subscribe to the bus: refused, not a silent deaf subscription
        try (Colony colony =
                Colony.builder().redis(uri("alice:s3cret@", "")).swarm("acl").build()) {
            assertThatThrownBy(() -> colony.bus().subscribe("jobs.>", event -> {}))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Redis refused the event bus subscription to jobs.>")
                    .hasMessageContaining("NOPERM")
                    .hasMessageContaining("allchannels (&*) or the rules &colony:{acl}:");
            assertThat(colony.bus().publish("jobs.done", "x").dropped()).isZero();
            assertThat(adminConnection.sync().pubsubNumpat()).isZero();
        }
    }

    @Test
    void open_wrongPassword_failsNamingTheTargetWithoutThePassword() {
        assertThatThrownBy(() -> Colony.builder()
                        .redis(uri("alice:wrong-secret@", ""))
                        .swarm("acl")
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot reach Redis at redis://alice:****@127.0.0.1:" + server.port())
                .hasMessageContaining("WRONGPASS")
                .hasMessageNotContaining("wrong-secret");
    }

    @Test
    void open_databaseNumberInPath_keysLiveInThatDatabase() {
        try (Colony colony = Colony.builder()
                .redis(uri("root:rootpw@", "/3?clientName=colony-test"))
                .swarm("db")
                .build()) {
            colony.tasks().submit(TaskSpec.of("t1", "work", new byte[] {1}));
            assertThat(adminConnection.sync().clientList())
                    .contains("name=colony-test")
                    .contains("db=3");
        }
        assertThat(adminConnection.sync().exists("colony:{db}:s:task:t1")).isZero();
        try (StatefulRedisConnection<String, String> db3 =
                admin.connect(io.lettuce.core.RedisURI.create(uri("root:rootpw@", "/3")))) {
            assertThat(db3.sync().exists("colony:{db}:s:task:t1")).isOne();
            assertThat(db3.sync().get("colony:{db}:layout")).isEqualTo(RedisLayout.VERSION);
        }
    }

    @Test
    void open_oldUriWithSwarmPath_refusedSayingToNameTheSwarm() {
        assertThatThrownBy(() ->
                        Colony.builder().redis(uri(":defaultpw@", "/my-swarm")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'/my-swarm'")
                .hasMessageContaining("--swarm my-swarm")
                .hasMessageNotContaining("defaultpw");
    }

    @Test
    void open_otherLayoutVersion_refusedNamingBothVersions() {
        adminConnection.sync().set("colony:{future}:layout", "4");
        assertThatThrownBy(() -> Colony.builder()
                        .redis(uri("root:rootpw@", ""))
                        .swarm("future")
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("layout version '4'")
                .hasMessageContaining("layout version " + RedisLayout.VERSION)
                .hasMessageNotContaining("rootpw");
        assertThat(adminConnection.sync().get("colony:{future}:layout")).isEqualTo("4");
    }

    @Test
    void open_layoutTwoSwarm_movedToThisLayout() {
        adminConnection.sync().set("colony:{older}:layout", RedisLayout.PREVIOUS);
        try (Colony colony =
                Colony.builder().redis(uri("root:rootpw@", "")).swarm("older").build()) {
            assertThat(colony.state().revision()).isZero();
        }
        assertThat(adminConnection.sync().get("colony:{older}:layout")).isEqualTo(RedisLayout.VERSION);
    }

    @Test
    void open_newSwarm_writesTheLayoutVersion() {
        try (Colony colony =
                Colony.builder().redis(uri("root:rootpw@", "")).swarm("fresh").build()) {
            assertThat(colony.state().revision()).isZero();
        }
        assertThat(adminConnection.sync().get("colony:{fresh}:layout")).isEqualTo(RedisLayout.VERSION);
    }

    @Test
    void open_backendOptions_appliedAndUnknownOnesRefused() {
        try (Colony colony = Colony.builder()
                .redis(uri("root:rootpw@", ""))
                .swarm("options")
                .backendOption("commandTimeout", "5s")
                .backendOption("publishBuffer", "128")
                .backendOption("nodeTtl", "2500ms")
                .build()) {
            colony.tasks().submit(TaskSpec.of("t1", "work", new byte[] {1}));
        }
        assertThatThrownBy(() -> Colony.builder()
                        .redis(uri("root:rootpw@", ""))
                        .swarm("options")
                        .backendOption("publishBufer", "128")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[publishBufer]");
        assertThatThrownBy(() -> Colony.builder()
                        .redis(uri("root:rootpw@", ""))
                        .swarm("options")
                        .backendOption("nodeTtl", "soon")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nodeTtl")
                .hasMessageContaining("'soon'");
    }
}
