package dev.colony.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keep-alive over HTTP/1.1: the server closes a connection only after an answer that says so
 * ({@code Connection: close}). An answer given before the request's body was read (a 401, 404 or 405 does not
 * read it) leaves the body's rest on the wire, so the server cannot keep the connection; if the answer did not
 * say so, a client that keeps it for its next request (the JDK's pool) would send that request into a closed
 * socket and get no answer at all: "header parser received no bytes" (ADR 0057). Raw sockets, so that the body
 * is held back until the answer is read, every time.
 */
class KeepAliveTest {
    private static final String BODY = "{\"agent\":\"a\",\"types\":[\"work\"]}";

    private static ServerFixture f;

    @BeforeAll
    static void start() {
        f = new ServerFixture();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    void answerBeforeTheBody_unauthorized_saysConnectionCloseAndCloses() throws IOException {
        assertClosesWithNotice("/v1/tasks/claim", "nobody", 401);
    }

    @Test
    void answerBeforeTheBody_noSuchRoute_saysConnectionCloseAndCloses() throws IOException {
        assertClosesWithNotice("/v1/nowhere", "admin", 404);
    }

    @Test
    void answerBeforeTheBody_methodNotAllowed_saysConnectionCloseAndCloses() throws IOException {
        assertClosesWithNotice("/health/live", "admin", 405);
    }

    @Test
    void bodyRead_connectionKeptForTheNextRequest() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", f.server.port())) {
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            for (int i = 0; i < 3; i++) {
                out.write((head("/v1/tasks/claim", "admin") + BODY).getBytes(StandardCharsets.US_ASCII));
                out.flush();

                Answer answer = read(in);

                assertThat(answer.status()).isEqualTo(204);
                assertThat(answer.headers()).doesNotContainKey("connection");
            }
        }
    }

    /** Sends the head of a POST, reads the answer, then sends the body late: the answer said close, and closed. */
    private static void assertClosesWithNotice(String path, String token, int status) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", f.server.port())) {
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            out.write(head(path, token).getBytes(StandardCharsets.US_ASCII));
            out.flush();

            Answer answer = read(in);

            assertThat(answer.status()).isEqualTo(status);
            assertThat(answer.headers()).containsEntry("connection", "close");
            assertThat(in.read())
                    .as("the server closed the connection after the answer")
                    .isEqualTo(-1);
        }
    }

    private static String head(String path, String token) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + f.server.port() + "\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nContent-Length: " + BODY.length() + "\r\n\r\n";
    }

    /** An answer's status and headers (names in lower case); its body is read and dropped. */
    private record Answer(int status, Map<String, String> headers) {}

    private static Answer read(InputStream in) throws IOException {
        String status = line(in);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            headers.put(
                    h.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                    h.substring(colon + 1).strip().toLowerCase(Locale.ROOT));
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        assertThat(in.readNBytes(length)).hasSize(length);
        return new Answer(Integer.parseInt(status.substring(9, 12)), headers);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("the connection closed in the middle of an answer's head");
            }
            if (b != '\r') {
                bytes.write(b);
            }
        }
        return bytes.toString(StandardCharsets.US_ASCII);
    }
}
