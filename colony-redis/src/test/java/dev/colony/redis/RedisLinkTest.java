package dev.colony.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RedisLinkTest {

    private static RedisServer server;

    @BeforeAll
    static void startServer() {
        server = RedisServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void connectsAndSurvivesARestart() {
        try (RedisLink link = RedisLink.open(server.target("link"));
                StatefulRedisConnection<String, String> connection = link.connectStrings()) {
            connection.sync().set(link.target().key("k"), "v");
            assertThat(connection.sync().get("colony:{link}:k")).isEqualTo("v");
            server.restart();
            // no persistence: the value is gone, but the connection comes back by itself
            assertThat(connection.sync().get(link.target().key("k"))).isNull();
        }
    }

    @Test
    void parsesTargets() {
        assertThat(RedisTarget.parse("redis://127.0.0.1:6380/swarm-1"))
                .isEqualTo(new RedisTarget("127.0.0.1", 6380, "", "swarm-1"));
        assertThat(RedisTarget.parse("redis://:secret@host").toString()).isEqualTo("redis://host:6379/colony");
        assertThat(RedisTarget.parse("redis://:secret@host").password()).isEqualTo("secret");
        assertThatThrownBy(() -> RedisTarget.parse("http://host/x")).hasMessageContaining("redis://");
        assertThatThrownBy(() -> RedisTarget.parse("redis://host/a:b")).hasMessageContaining("swarm name");
        assertThatThrownBy(() -> RedisTarget.parse("redis:///x")).hasMessageContaining("host");
    }
}
