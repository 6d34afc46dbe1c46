package dev.colony.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.colony.LogCapture;
import java.time.Duration;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisLinkTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    @Test
    void connectsAndSurvivesARestart() {
        try (RedisLink link = RedisLink.open(redis.server().target("link"));
                RedisLinkConnection<String, String> connection = link.connectStrings()) {
            connection.sync().set(link.target().key("k"), "v");
            assertThat(connection.sync().get("colony:{link}:k")).isEqualTo("v");
            redis.server().restart();
            // no persistence: the value is gone, but the connection comes back by itself
            assertThat(connection.sync().get(link.target().key("k"))).isNull();
        }
    }

    @Test
    void restart_connectionLostAndBack_loggedOnceEachAndCloseIsNotALoss() {
        RedisTarget target = redis.server().target("link-log");
        try (LogCapture log = LogCapture.of("dev.colony.redis")) {
            try (RedisLink link = RedisLink.open(target);
                    RedisLinkConnection<String, String> connection = link.connectStrings()) {
                connection.sync().ping();
                redis.server().restart();
                assertThat(connection.sync().ping()).isEqualTo("PONG");
                await().atMost(Duration.ofMinutes(1))
                        .until(() -> !log.containing("Redis reconnected").isEmpty());
            }
            String named = "redis://127.0.0.1:" + redis.server().port() + " swarm link-log";
            assertThat(log.containing("Redis connection lost"))
                    .containsExactly(new LogCapture.Line(
                            Level.WARNING, "Redis connection lost: " + named + "; reconnecting with backoff"));
            assertThat(log.containing("Redis reconnected"))
                    .singleElement()
                    .satisfies(line -> assertThat(line.level()).isEqualTo(Level.INFO))
                    .satisfies(line -> assertThat(line.message()).startsWith("Redis reconnected: " + named));
        }
    }

    @Test
    void outage_failedReconnectAttempt_loggedWithTheTargetThenTheReturn() {
        RedisTarget target = redis.server().target("link-outage");
        try (LogCapture log = LogCapture.of("dev.colony.redis");
                RedisLink link = RedisLink.open(target);
                RedisLinkConnection<String, String> connection = link.connectStrings()) {
            connection.sync().ping();
            redis.server().stop();
            await().atMost(Duration.ofMinutes(1))
                    .until(() ->
                            !log.containing("Redis reconnect attempt 1 failed").isEmpty());
            redis.server().restart();
            await().atMost(Duration.ofMinutes(1))
                    .until(() -> !log.containing("Redis reconnected").isEmpty());

            String named = "redis://127.0.0.1:" + redis.server().port() + " swarm link-outage";
            assertThat(log.containing("Redis reconnect attempt 1 failed"))
                    .singleElement()
                    .satisfies(line -> assertThat(line.level()).isEqualTo(Level.WARNING))
                    .satisfies(line ->
                            assertThat(line.message()).startsWith("Redis reconnect attempt 1 failed: " + named + ": "));
            assertThat(log.containing("Redis connection lost")).hasSize(1);
            assertThat(connection.sync().ping()).isEqualTo("PONG");
        }
    }

    @Test
    void toString_targetWithPassword_showsStarsInsteadOfThePassword() {
        assertThat(RedisTarget.of("redis://:s3cret@db.local:6380", "swarm").toString())
                .isEqualTo("redis://:****@db.local:6380 swarm swarm")
                .doesNotContain("s3cret");
        assertThat(RedisTarget.of("redis://alice:s3cret@db.local/2", "swarm").toString())
                .isEqualTo("redis://alice:****@db.local/2 swarm swarm")
                .doesNotContain("s3cret");
        assertThat(RedisTarget.of("redis://db.local", "swarm").toString()).isEqualTo("redis://db.local swarm swarm");
    }
}
