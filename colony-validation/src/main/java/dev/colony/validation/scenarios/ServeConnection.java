package dev.colony.validation.scenarios;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One keep-alive HTTP/1.1 connection of the {@code serve} scenario: writes a request (head and body in one
 * write, as curl and Python's {@code http.client} do), reads one answer (fixed length or chunked). Cheaper than
 * the JDK's client, so that on a small machine the server, not the client, sets the pace. Not thread-safe:
 * one per client thread.
 */
final class ServeConnection implements AutoCloseable {
    /** An answer: status and body text. */
    record Answer(int status, String body) {}

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final String head;

    ServeConnection(int port, String token) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        head = " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + token + "\r\n";
    }

    Answer send(String method, String path, String json) throws IOException {
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        String request = method + " " + path + head
                + (json == null
                        ? "Content-Length: 0\r\n"
                        : "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n")
                + "\r\n";
        byte[] headBytes = request.getBytes(StandardCharsets.US_ASCII);
        byte[] whole = Arrays.copyOf(headBytes, headBytes.length + body.length);
        System.arraycopy(body, 0, whole, headBytes.length, body.length);
        out.write(whole);
        out.flush();
        return read();
    }

    /** The answer's body, or an exception naming the request when its status is not {@code expected}. */
    String expect(Answer answer, int expected, String what) {
        if (answer.status() != expected) {
            throw new IllegalStateException(
                    what + ": expected " + expected + ", got " + answer.status() + " " + answer.body());
        }
        return answer.body();
    }

    private Answer read() throws IOException {
        String status = line();
        int code = Integer.parseInt(status.substring(9, 12));
        int length = -1;
        boolean chunked = false;
        String h;
        while (!(h = line()).isEmpty()) {
            int colon = h.indexOf(':');
            String name = h.substring(0, colon);
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Integer.parseInt(h.substring(colon + 1).strip());
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                chunked = true;
            }
        }
        if (chunked) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            int size;
            while ((size = Integer.parseInt(line().strip(), 16)) > 0) {
                all.write(in.readNBytes(size));
                line();
            }
            line();
            return new Answer(code, all.toString(StandardCharsets.UTF_8));
        }
        return new Answer(code, length <= 0 ? "" : new String(in.readNBytes(length), StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder(64);
        int c;
        while ((c = in.read()) != '\n') {
            if (c == -1) {
                throw new IOException("the server closed the connection");
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
