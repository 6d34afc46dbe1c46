package dev.colony.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.Colony;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecurityTest {
    private final ServerFixture f = new ServerFixture();
    private final Http http = f.admin;

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void foreignOrigin_isForbiddenAndChangesNothing() {
        long before = f.colony.state().revision();

        Http.Res res = http.with("Origin", "https://evil.example").put("/v1/memory/cfg/k", "{\"value\":1}");

        assertThat(res.status()).isEqualTo(403);
        assertThat(res.header("Content-Type")).startsWith("application/problem+json");
        assertThat(res.code()).isEqualTo("FORBIDDEN_ORIGIN");
        assertThat(res.json().path("detail").asString()).contains("https://evil.example");
        assertThat(f.colony.state().revision()).isEqualTo(before);
    }

    @Test
    void sameOrigin_isAllowed() {
        String origin = "http://127.0.0.1:" + f.server.port();
        assertThat(http.with("Origin", origin)
                        .put("/v1/memory/cfg/k", "{\"value\":1}")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void foreignHost_onLoopback_isRefused() throws Exception {
        // HttpClient refuses to set Host, so this request goes over a socket
        try (SseClient probe = new SseClient(f.server.uri(), "/v1/events?pattern=a", "admin", null, 0)) {
            assertThat(probe.status).isEqualTo(200);
        }
        var socket = new java.net.Socket("127.0.0.1", f.server.port());
        try (socket) {
            socket.getOutputStream()
                    .write(("GET /health/live HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 421").contains("FORBIDDEN_HOST");
        }
    }

    @Test
    void missingOrUnknownToken_isUnauthorized() {
        Http.Res missing = http.as(null).get("/v1/tasks");
        Http.Res unknown = http.as("nope").get("/v1/tasks");

        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.code()).isEqualTo("UNAUTHORIZED");
        assertThat(unknown.status()).isEqualTo(401);
    }

    @Test
    void overRateLimit_is429WithRetryAfterAndChangesNothing() {
        long before = f.colony.state().revision();

        Http.Res res = http.as("limited").put("/v1/memory/cfg/k", "{\"value\":1}");

        assertThat(res.status()).isEqualTo(429);
        assertThat(res.code()).isEqualTo("RATE_LIMITED");
        assertThat(res.header("Retry-After")).isEqualTo("3");
        assertThat(f.colony.state().revision()).isEqualTo(before);
    }

    @Test
    void healthAndOpenApi_needNoToken() {
        assertThat(http.as(null).get("/health/live").status()).isEqualTo(200);
        assertThat(http.as(null).get("/health/ready").status()).isEqualTo(200);
        assertThat(http.as(null).get("/openapi.json").status()).isEqualTo(200);
    }

    @Test
    void metrics_needAdminAndArePrometheusText() {
        Http.Res metrics = http.get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.header("Content-Type")).startsWith("text/plain");
        assertThat(metrics.text()).contains("colony_");
        assertThat(http.as("bob").get("/metrics").status()).isEqualTo(403);
    }

    @Test
    void oversizedBody_is413AndChangesNothing() {
        long before = f.colony.state().revision();
        String big = "{\"value\":\"" + "x".repeat(ServerLimits.DEFAULT_MAX_BODY_BYTES) + "\"}";

        Http.Res res = http.put("/v1/memory/cfg/k", big);

        assertThat(res.status()).isEqualTo(413);
        assertThat(res.code()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(res.json().path("detail").asString())
                .contains(Integer.toString(ServerLimits.DEFAULT_MAX_BODY_BYTES));
        assertThat(f.colony.state().revision()).isEqualTo(before);
    }

    @Test
    void tokenBoundToAgentPattern_cannotActAsAnotherAgent() {
        Http bob = http.as("bob");
        assertThat(bob.post("/v1/agents", "{\"id\":\"bob-1\",\"inbox\":true}").status())
                .isEqualTo(201);
        assertThat(http.post("/v1/agents", "{\"id\":\"alice\",\"inbox\":true}").status())
                .isEqualTo(201);
        http.post("/v1/messages", "{\"from\":\"alice\",\"to\":\"alice\",\"type\":\"secret\",\"payload\":1}");
        long before = f.colony.state().revision();

        for (Http.Res forged : new Http.Res[] {
            bob.get("/v1/agents/alice/inbox"),
            bob.post("/v1/agents/alice/heartbeat", null),
            bob.post("/v1/tasks/claim", "{\"agent\":\"alice\",\"types\":[\"render\"]}"),
            bob.post("/v1/messages", "{\"from\":\"alice\",\"to\":\"bob-1\",\"type\":\"t\",\"payload\":1}"),
            bob.post("/v1/leaders/g/campaign", "{\"agent\":\"alice\"}"),
            bob.delete("/v1/agents/alice")
        }) {
            assertThat(forged.status()).as(forged.text()).isEqualTo(403);
            assertThat(forged.json().path("detail").asString()).contains("alice");
        }
        assertThat(f.colony.state().revision()).isEqualTo(before);
        assertThat(http.get("/v1/agents/alice/inbox").json().path("messages")).hasSize(1);
    }

    @Test
    void accounts_areIsolatedNamespaces() {
        Http other = http.as("other");
        http.post("/v1/tasks", "{\"id\":\"t1\",\"type\":\"render\",\"payload\":\"acme\"}");
        http.put("/v1/memory/cfg/k", "{\"value\":\"acme\"}");
        http.post("/v1/agents", "{\"id\":\"w1\"}");
        http.post("/v1/leaders/g/campaign", "{\"agent\":\"w1\"}");

        assertThat(other.get("/v1/tasks/t1").status()).isEqualTo(404);
        assertThat(other.get("/v1/memory/cfg/k").status()).isEqualTo(404);
        assertThat(other.get("/v1/agents").json().path("agents")).isEmpty();
        assertThat(other.get("/v1/agents/w1").status()).isEqualTo(404);
        assertThat(other.get("/v1/leaders/g").json().path("term").asLong()).isZero();
        assertThat(other.get("/v1/tasks?status=QUEUED").json().path("tasks")).isEmpty();
        assertThat(other.post("/v1/tasks/claim", "{\"agent\":\"w1\",\"types\":[\"render\"]}")
                        .status())
                .isEqualTo(204);

        // the same names in the other account are its own
        assertThat(other.post("/v1/tasks", "{\"id\":\"t1\",\"type\":\"render\",\"payload\":\"globex\"}")
                        .status())
                .isEqualTo(201);
        assertThat(other.put("/v1/memory/cfg/k", "{\"value\":\"globex\"}")
                        .json()
                        .path("version")
                        .asLong())
                .isEqualTo(1);
        assertThat(other.post("/v1/agents", "{\"id\":\"w1\"}").status()).isEqualTo(201);
        assertThat(other.post("/v1/leaders/g/campaign", "{\"agent\":\"w1\"}").status())
                .isEqualTo(200);
        assertThat(other.post("/v1/tasks/claim", "{\"agent\":\"w1\",\"types\":[\"render\"]}")
                        .json()
                        .path("task")
                        .path("payload")
                        .asString())
                .isEqualTo("globex");
        assertThat(http.get("/v1/memory/cfg/k").json().path("value").asString()).isEqualTo("acme");
        assertThat(http.get("/v1/tasks/t1").json().path("status").asString()).isEqualTo("QUEUED");
    }

    @Test
    void claimOfADeniedType_isForbidden() {
        http.post("/v1/tasks", "{\"id\":\"t1\",\"type\":\"secret\",\"payload\":1}");
        Http.Res res = http.as("noclaim").post("/v1/tasks/claim", "{\"agent\":\"n1\",\"types\":[\"secret\"]}");
        assertThat(res.status()).isEqualTo(403);
        assertThat(http.get("/v1/tasks/t1").json().path("status").asString()).isEqualTo("QUEUED");
    }

    @Test
    void nonLoopbackBindWithoutTls_isRefusedUnlessAllowed() {
        try (Colony colony = Colony.embedded()) {
            assertThatThrownBy(() -> ColonyServer.builder()
                            .bind("0.0.0.0")
                            .port(0)
                            .colony(colony)
                            .guard(f.guard)
                            .build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("0.0.0.0")
                    .hasMessageContaining("TLS");
            try (ColonyServer open = ColonyServer.builder()
                    .bind("0.0.0.0")
                    .port(0)
                    .colony(colony)
                    .guard(f.guard)
                    .allowInsecureBind(true)
                    .build()
                    .start()) {
                assertThat(open.port()).isPositive();
            }
        }
    }

    @Test
    void tls_fromPkcs12AndFromPem_servesHttps(@TempDir Path dir) throws Exception {
        Path p12 = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "colony",
                        "-keyalg",
                        "RSA",
                        "-keysize",
                        "2048",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=ip:127.0.0.1,dns:localhost",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        p12.toString(),
                        "-storepass",
                        "secret1")
                .redirectErrorStream(true)
                .start();
        keytool.getInputStream().readAllBytes();
        assertThat(keytool.waitFor()).isZero();
        Tls fromP12 = Tls.pkcs12(p12, "secret1".toCharArray());
        KeyStore store = fromP12.keyStore();
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Files.writeString(
                cert, pem("CERTIFICATE", store.getCertificate("colony").getEncoded()));
        Files.writeString(
                key,
                pem(
                        "PRIVATE KEY",
                        store.getKey("colony", "secret1".toCharArray()).getEncoded()));

        for (Tls tls : new Tls[] {fromP12, Tls.pem(cert, key)}) {
            try (Colony colony = Colony.embedded();
                    ColonyServer server = ColonyServer.builder()
                            .port(0)
                            .colony(colony)
                            .guard(f.guard)
                            .tls(tls)
                            .build()
                            .start()) {
                assertThat(server.uri().getScheme()).isEqualTo("https");
                HttpResponse<String> res = trustingClient()
                        .send(
                                HttpRequest.newBuilder(server.uri().resolve("/health/live"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(res.statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void pem_withoutPkcs8Key_namesTheFile(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Files.writeString(cert, "not a certificate");
        Files.writeString(key, "-----BEGIN RSA PRIVATE KEY-----\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> Tls.pem(cert, key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cert.pem");
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static HttpClient trustingClient() throws Exception {
        TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, new TrustManager[] {trustAll}, null);
        var params = new javax.net.ssl.SSLParameters();
        params.setEndpointIdentificationAlgorithm(null);
        return HttpClient.newBuilder()
                .sslContext(ssl)
                .sslParameters(params)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }
}
