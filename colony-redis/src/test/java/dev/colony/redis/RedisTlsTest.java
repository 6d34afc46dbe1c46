package dev.colony.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.Colony;
import dev.colony.state.TaskSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rediss://} against a redis-server started with a test certificate authority and server certificate
 * the test generates with the openssl command line (Debian's redis-server is built with TLS).
 */
class RedisTlsTest {

    @TempDir
    static Path certs;

    private static RedisServer server;

    @BeforeAll
    static void startServer() throws Exception {
        generateCertificates(certs);
        server = RedisServer.start(
                false,
                List.of(
                        "--tls-port", "{port2}",
                        "--tls-cert-file", certs.resolve("server.crt").toString(),
                        "--tls-key-file", certs.resolve("server.key").toString(),
                        "--tls-ca-cert-file", certs.resolve("ca.crt").toString(),
                        "--tls-auth-clients", "no"));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static String tlsUri() {
        return "rediss://127.0.0.1:" + server.secondPort();
    }

    @Test
    void open_rediss_withTheTestCertificateAuthority_worksEndToEnd() throws Exception {
        try (Colony a = Colony.builder()
                        .redis(tlsUri())
                        .swarm("tls")
                        .backendOption("tlsCaFile", certs.resolve("ca.crt").toString())
                        .build();
                Colony b = Colony.builder()
                        .redis(tlsUri())
                        .swarm("tls")
                        .backendOption("tlsCaFile", certs.resolve("ca.crt").toString())
                        .build()) {
            java.util.concurrent.CountDownLatch got = new java.util.concurrent.CountDownLatch(1);
            b.bus().subscribe("tls.>", event -> got.countDown());
            a.tasks().submit(TaskSpec.of("t1", "work", new byte[] {1}));
            assertThat(b.tasks().get("t1")).isPresent();
            a.bus().publish("tls.hello", "over TLS");
            assertThat(got.await(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void open_rediss_withoutTrustingTheCertificate_refusedAsUnreachable() {
        assertThatThrownBy(() -> Colony.builder().redis(tlsUri()).swarm("tls").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot reach Redis at rediss://127.0.0.1:" + server.secondPort());
    }

    @Test
    void open_rediss_withPeerVerificationOff_connects() {
        try (Colony colony = Colony.builder()
                .redis(tlsUri() + "?verifyPeer=NONE")
                .swarm("tls-noverify")
                .build()) {
            assertThat(colony.state().revision()).isZero();
        }
    }

    /** A CA, and a server certificate for 127.0.0.1 and localhost signed by it, valid for a day. */
    static void generateCertificates(Path dir) throws IOException, InterruptedException {
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        openssl(
                dir,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.crt",
                "-days",
                "1",
                "-subj",
                "/CN=colony-test-ca");
        openssl(
                dir,
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "server.key",
                "-out",
                "server.csr",
                "-subj",
                "/CN=localhost");
        openssl(
                dir,
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                "server.crt",
                "-days",
                "1",
                "-extfile",
                "san.ext");
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile())
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(
                    "openssl " + String.join(" ", args) + " failed: " + Files.readString(dir.resolve("openssl.log")));
        }
    }
}
