package dev.colony.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing and checking URIs and backend options, without a server. */
class RedisTargetTest {

    private static final Duration DEFAULT = Duration.ofSeconds(10);

    private static RedisCredentials credentials(RedisURI uri) {
        return uri.getCredentialsProvider().resolveCredentials().block();
    }

    @Test
    void lettuceUri_userAndPassword_bothKept() {
        RedisURI uri = RedisTarget.of("redis://alice:s3cret@db.local:6380", "s").lettuceUri(DEFAULT);
        assertThat(credentials(uri).getUsername()).isEqualTo("alice");
        assertThat(credentials(uri).getPassword()).containsExactly("s3cret".toCharArray());
        assertThat(uri.getPort()).isEqualTo(6380);
    }

    @Test
    void lettuceUri_pathAndParameters_databaseTimeoutClientNameTls() {
        RedisURI uri = RedisTarget.of("rediss://db.local/4?timeout=3s&clientName=worker-1", "s")
                .lettuceUri(DEFAULT);
        assertThat(uri.getDatabase()).isEqualTo(4);
        assertThat(uri.getTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(uri.getClientName()).isEqualTo("worker-1");
        assertThat(uri.isSsl()).isTrue();
        assertThat(RedisTarget.of("redis://db.local/0", "s").lettuceUri(DEFAULT).getTimeout())
                .isEqualTo(DEFAULT);
    }

    @Test
    void lettuceUri_sentinel_mastersAndSentinels() {
        RedisURI uri = RedisTarget.of("redis-sentinel://:pw@s1:26379,s2:26380/2#primary", "s")
                .lettuceUri(DEFAULT);
        assertThat(uri.getSentinelMasterId()).isEqualTo("primary");
        assertThat(uri.getSentinels()).hasSize(2);
        assertThat(uri.getDatabase()).isEqualTo(2);
    }

    @Test
    void of_badUris_refusedNamingTheProblemWithoutThePassword() {
        assertThatThrownBy(() -> RedisTarget.of("http://:pw@host", "s"))
                .hasMessageContaining("redis://, rediss://")
                .hasMessageNotContaining("pw@");
        assertThatThrownBy(() -> RedisTarget.of("redis://:pw@host/orders", "s"))
                .hasMessageContaining("'/orders'")
                .hasMessageContaining("--swarm orders")
                .hasMessageNotContaining(":pw@");
        assertThatThrownBy(() -> RedisTarget.of("redis://host?tiemout=3s", "s")).hasMessageContaining("'tiemout'");
        assertThatThrownBy(() -> RedisTarget.of("redis://host:70000", "s")).hasMessageContaining("1..65535");
        assertThatThrownBy(() -> RedisTarget.of("redis:///0", "s")).hasMessageContaining("host");
        assertThatThrownBy(() -> RedisTarget.of("redis-sentinel://s1:26379", "s"))
                .hasMessageContaining("master");
        assertThatThrownBy(() -> RedisTarget.of("redis://host", "a.b")).hasMessageContaining("'a.b'");
    }

    @Test
    void settings_options_parsedAndCheckedByName() {
        RedisSettings settings = RedisSettings.from(
                Map.of("commandTimeout", "4s", "publishBuffer", "1024", "nodeTtl", "PT2S", "claimIdle", "1m"));
        assertThat(settings.commandTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(settings.publishBuffer()).isEqualTo(1024);
        assertThat(settings.messenger().nodeTtl()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.messenger().claimIdle()).isEqualTo(Duration.ofMinutes(1));
        assertThatThrownBy(() -> RedisSettings.from(Map.of("publishBuffer", "0")))
                .hasMessageContaining("publishBuffer must be 1..10000000, got 0");
        assertThatThrownBy(() -> RedisSettings.from(Map.of("readBlock", "6s")))
                .hasMessageContaining("readBlock PT6S must be at most half the command timeout PT10S");
        assertThatThrownBy(() -> RedisSettings.from(Map.of("tlsCaFile", "/no/such/ca.pem")))
                .hasMessageContaining("'/no/such/ca.pem'");
    }
}
