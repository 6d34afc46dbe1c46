package dev.colony.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The listen backlog: a burst of clients connecting while the server does not take connections off the kernel's
 * accept queue (a busy acceptor on a loaded machine) all complete their handshakes and are served. With Java's
 * default backlog of 50, the kernel drops the SYNs beyond it (the client retries after 1 s, 3 s, ...) and, once the
 * SYN queue is full too, answers with SYN cookies; a client whose later segment reached the server before the
 * dropped first one then got a reset: the keep-alive failures of ADR 0057's second amendment. Linux only (it reads
 * {@code net.core.somaxconn}, the kernel's cap on any backlog).
 */
class ListenBacklogTest {
    private static final Path SOMAXCONN = Path.of("/proc/sys/net/core/somaxconn");

    @Test
    void burstOfConnections_whileNotAccepting_allHandshakesCompleteAndAreServed() throws Exception {
        assumeTrue(Files.isReadable(SOMAXCONN), "no " + SOMAXCONN + " (not Linux)");
        // readAllLines, not readString: the file says its size is 0, and readString then got its first byte only
        int cap = Integer.parseInt(Files.readAllLines(SOMAXCONN).getFirst().strip());
        assumeTrue(cap >= 128, "net.core.somaxconn is " + cap + ", too small to tell a backlog of 50 from more");
        int burst = Math.min(300, cap);
        List<SocketChannel> channels = new ArrayList<>();
        try (ServerFixture f = new ServerFixture()) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", f.server.port());
            f.server.accepting(false);
            try {
                for (int i = 0; i < burst; i++) {
                    SocketChannel channel = SocketChannel.open();
                    channels.add(channel);
                    channel.configureBlocking(false);
                    channel.connect(address);
                }

                // the kernel completes a handshake into the accept queue without the server; a SYN beyond the
                // backlog is dropped, and its connect stays pending while the server does not accept
                Awaitility.await("every handshake of the burst completed")
                        .atMost(Duration.ofSeconds(30))
                        .untilAsserted(() -> assertThat(connected(channels))
                                .as("handshakes completed")
                                .isEqualTo(burst));
            } finally {
                f.server.accepting(true);
            }

            for (SocketChannel channel : channels) {
                assertThat(live(channel)).startsWith("HTTP/1.1 200");
            }
        } finally {
            for (SocketChannel channel : channels) {
                channel.close();
            }
        }
    }

    private static int connected(List<SocketChannel> channels) throws IOException {
        int connected = 0;
        for (SocketChannel channel : channels) {
            if (channel.isConnected() || channel.finishConnect()) {
                connected++;
            }
        }
        return connected;
    }

    /** The answer's first bytes to {@code GET /health/live} on this connection. */
    private static String live(SocketChannel channel) throws IOException {
        channel.configureBlocking(true);
        channel.write(ByteBuffer.wrap("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII)));
        ByteBuffer answer = ByteBuffer.allocate(64);
        while (answer.hasRemaining() && channel.read(answer) >= 0) {
            // until the status line is in or the server closed
        }
        return new String(answer.array(), 0, answer.position(), StandardCharsets.US_ASCII);
    }
}
