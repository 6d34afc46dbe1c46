package dev.colony.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.Colony;
import dev.colony.state.TaskSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code redis-sentinel://}: a colony finds its master through a Sentinel the test starts. */
class RedisSentinelTest {
    @TempDir
    static Path dir;

    private static RedisServer master;
    private static Process sentinel;
    private static int sentinelPort;

    @BeforeAll
    static void start() throws IOException {
        master = RedisServer.start();
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            sentinelPort = socket.getLocalPort();
        }
        Path conf = Files.writeString(
                dir.resolve("sentinel.conf"),
                "port " + sentinelPort + "\nbind 127.0.0.1\ndir " + dir + "\n" + "sentinel monitor primary 127.0.0.1 "
                        + master.port() + " 1\n");
        sentinel = new ProcessBuilder("redis-server", conf.toString(), "--sentinel")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("sentinel.log").toFile())
                .start();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(RedisSentinelTest::sentinelListens);
    }

    private static boolean sentinelListens() {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), sentinelPort), 200);
            return socket.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (sentinel != null) {
            sentinel.destroy();
            if (!sentinel.waitFor(10, TimeUnit.SECONDS)) {
                sentinel.destroyForcibly();
            }
        }
        master.close();
    }

    @Test
    void open_sentinelUri_connectsToTheMasterItNames() throws Exception {
        String uri = "redis-sentinel://127.0.0.1:" + sentinelPort + "#primary";
        try (Colony a = Colony.builder().redis(uri).swarm("sentinel").build();
                Colony b = Colony.builder().redis(uri).swarm("sentinel").build()) {
            CountDownLatch got = new CountDownLatch(1);
            b.bus().subscribe("via.sentinel", event -> got.countDown());
            a.tasks().submit(TaskSpec.of("t1", "work", new byte[] {1}));
            a.bus().publish("via.sentinel", "hello");
            assertThat(got.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(b.tasks().get("t1")).isPresent();
        }
        assertThat(master.command("EXISTS colony:{sentinel}:s:task:t1")).isEqualTo(":1");
    }
}
