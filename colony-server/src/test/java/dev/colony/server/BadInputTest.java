package dev.colony.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of bad requests: each gets a problem+json answer with the expected status and code, whose
 * detail names the cause, and none changes the state (its revision stays put).
 */
class BadInputTest {
    /** One bad request: what to send, and what the answer must say. */
    record Case(
            String name,
            String token,
            String method,
            String path,
            String body,
            String[] headers,
            int status,
            String code,
            String detailContains) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static ServerFixture f;

    @BeforeAll
    static void start() {
        f = new ServerFixture();
        f.admin.post("/v1/tasks", "{\"id\":\"t1\",\"type\":\"render\",\"payload\":1}");
        f.admin.put("/v1/memory/cfg/k", "{\"value\":1}");
        f.admin.post("/v1/agents", "{\"id\":\"w1\",\"inbox\":true}");
        f.admin.post("/v1/agents", "{\"id\":\"bob-1\",\"inbox\":true}");
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    static Case c(String name, String method, String path, String body, int status, String code, String detail) {
        return new Case(name, "admin", method, path, body, new String[0], status, code, detail);
    }

    static List<Case> corpus() {
        String big = "{\"value\":\"" + "x".repeat(ServerLimits.DEFAULT_MAX_BODY_BYTES) + "\"}";
        return List.of(
                c("malformed JSON", "POST", "/v1/tasks", "{\"type\":", 400, "BAD_REQUEST", "malformed JSON"),
                c(
                        "trailing garbage",
                        "PUT",
                        "/v1/memory/cfg/k",
                        "{\"value\":1}}",
                        400,
                        "BAD_REQUEST",
                        "malformed JSON"),
                c("empty body", "POST", "/v1/tasks", "", 400, "BAD_REQUEST", "missing"),
                c("body not an object", "POST", "/v1/tasks", "[1,2]", 400, "BAD_REQUEST", "an array"),
                c("missing type", "POST", "/v1/tasks", "{\"payload\":1}", 400, "BAD_REQUEST", "type"),
                c(
                        "type wrong JSON type",
                        "POST",
                        "/v1/tasks",
                        "{\"type\":7,\"payload\":1}",
                        400,
                        "BAD_REQUEST",
                        "type must be a string"),
                c(
                        "type bad characters",
                        "POST",
                        "/v1/tasks",
                        "{\"type\":\"a b\",\"payload\":1}",
                        400,
                        "BAD_REQUEST",
                        "a b"),
                c(
                        "priority out of range",
                        "POST",
                        "/v1/tasks",
                        "{\"type\":\"r\",\"payload\":1,\"priority\":12}",
                        400,
                        "BAD_REQUEST",
                        "priority"),
                c(
                        "priority a string",
                        "POST",
                        "/v1/tasks",
                        "{\"type\":\"r\",\"payload\":1,\"priority\":\"high\"}",
                        400,
                        "BAD_REQUEST",
                        "priority"),
                c("missing payload", "POST", "/v1/tasks", "{\"type\":\"r\"}", 400, "BAD_REQUEST", "payload"),
                c(
                        "reserved capability",
                        "POST",
                        "/v1/tasks",
                        "{\"type\":\"r\",\"payload\":1,\"requiredCapabilities\":[\"_t-x\"]}",
                        400,
                        "BAD_REQUEST",
                        "reserved"),
                c("claim without types", "POST", "/v1/tasks/claim", "{\"agent\":\"w1\"}", 400, "BAD_REQUEST", "types"),
                c(
                        "claim bad wait",
                        "POST",
                        "/v1/tasks/claim?wait=soon",
                        "{\"agent\":\"w1\",\"types\":[\"r\"]}",
                        400,
                        "BAD_REQUEST",
                        "soon"),
                c(
                        "claim negative lease",
                        "POST",
                        "/v1/tasks/claim",
                        "{\"agent\":\"w1\",\"types\":[\"r\"],\"lease\":\"0s\"}",
                        400,
                        "BAD_REQUEST",
                        "lease"),
                c(
                        "complete token a string",
                        "POST",
                        "/v1/tasks/t1/complete",
                        "{\"token\":\"abc\"}",
                        400,
                        "BAD_REQUEST",
                        "token"),
                c("complete unclaimed", "POST", "/v1/tasks/t1/complete", "{\"token\":1}", 409, "STALE_LEASE", "t1"),
                // a completion with next (ADR 0066): a malformed or forbidden next is refused before the completion
                c(
                        "complete next not an object",
                        "POST",
                        "/v1/tasks/t1/complete",
                        "{\"token\":1,\"next\":\"w1\"}",
                        400,
                        "BAD_REQUEST",
                        "next"),
                c(
                        "complete next without types",
                        "POST",
                        "/v1/tasks/t1/complete",
                        "{\"token\":1,\"next\":{\"agent\":\"w1\"}}",
                        400,
                        "BAD_REQUEST",
                        "next.types"),
                c(
                        "complete next without agent",
                        "POST",
                        "/v1/tasks/t1/complete",
                        "{\"token\":1,\"next\":{\"types\":[\"render\"]}}",
                        400,
                        "BAD_REQUEST",
                        "next.agent"),
                c(
                        "complete next zero lease",
                        "POST",
                        "/v1/tasks/t1/complete",
                        "{\"token\":1,\"next\":{\"agent\":\"w1\",\"types\":[\"render\"],\"lease\":\"0s\"}}",
                        400,
                        "BAD_REQUEST",
                        "next.lease"),
                c(
                        "complete next with wait",
                        "POST",
                        "/v1/tasks/t1/complete",
                        "{\"token\":1,\"next\":{\"agent\":\"w1\",\"types\":[\"render\"],\"wait\":\"5s\"}}",
                        400,
                        "BAD_REQUEST",
                        "does not wait"),
                c(
                        "complete next with fence",
                        "POST",
                        "/v1/tasks/t1/complete",
                        "{\"token\":1,\"fence\":{\"group\":\"g\",\"term\":1},"
                                + "\"next\":{\"agent\":\"w1\",\"types\":[\"render\"]}}",
                        400,
                        "BAD_REQUEST",
                        "fence"),
                c(
                        "complete next reserved capability",
                        "POST",
                        "/v1/tasks/t1/complete",
                        "{\"token\":1,\"next\":{\"agent\":\"w1\",\"types\":[\"render\"],"
                                + "\"capabilities\":[\"_t-x\"]}}",
                        400,
                        "BAD_REQUEST",
                        "reserved"),
                c(
                        "complete next token a string",
                        "POST",
                        "/v1/tasks/t1/complete",
                        "{\"token\":\"abc\",\"next\":{\"agent\":\"w1\",\"types\":[\"render\"]}}",
                        400,
                        "BAD_REQUEST",
                        "token"),
                new Case(
                        "complete next as another's agent",
                        "bob",
                        "POST",
                        "/v1/tasks/t1/complete",
                        "{\"token\":1,\"next\":{\"agent\":\"w1\",\"types\":[\"render\"]}}",
                        new String[0],
                        403,
                        "FORBIDDEN",
                        "w1"),
                new Case(
                        "complete next of a type not claimable",
                        "noclaim",
                        "POST",
                        "/v1/tasks/t1/complete",
                        "{\"token\":1,\"next\":{\"agent\":\"w1\",\"types\":[\"secret\"]}}",
                        new String[0],
                        403,
                        "FORBIDDEN",
                        "secret"),
                c("unknown task", "GET", "/v1/tasks/nope", null, 404, "NO_SUCH_TASK", "nope"),
                c("bad status filter", "GET", "/v1/tasks?status=LOST", null, 400, "BAD_REQUEST", "LOST"),
                c("bad memory key", "PUT", "/v1/memory/cfg/a..b", "{\"value\":1}", 400, "BAD_REQUEST", "a..b"),
                c("memory put without value", "PUT", "/v1/memory/cfg/k", "{\"val\":1}", 400, "BAD_REQUEST", "value"),
                c(
                        "memory negative ttl",
                        "PUT",
                        "/v1/memory/cfg/k",
                        "{\"value\":1,\"ttl\":\"-5s\"}",
                        400,
                        "BAD_REQUEST",
                        "ttl"),
                new Case(
                        "bad If-Match",
                        "admin",
                        "PUT",
                        "/v1/memory/cfg/k",
                        "{\"value\":2}",
                        new String[] {"If-Match", "\"x\""},
                        400,
                        "BAD_REQUEST",
                        "If-Match"),
                new Case(
                        "stale If-Match",
                        "admin",
                        "PUT",
                        "/v1/memory/cfg/k",
                        "{\"value\":2}",
                        new String[] {"If-Match", "\"9\""},
                        412,
                        "CAS_CONFLICT",
                        "version 9"),
                c("unknown memory key", "GET", "/v1/memory/cfg/zzz", null, 404, "NO_SUCH_KEY", "zzz"),
                c("bad subject", "POST", "/v1/events/a..b", "1", 400, "BAD_REQUEST", "a..b"),
                c("wildcard publish", "POST", "/v1/events/a.*", "1", 400, "BAD_REQUEST", "wildcard"),
                c("stream without pattern", "GET", "/v1/events", null, 400, "BAD_REQUEST", "pattern"),
                c(
                        "send to nobody",
                        "POST",
                        "/v1/messages",
                        "{\"from\":\"w1\",\"to\":\"ghost\",\"type\":\"t\",\"payload\":1}",
                        404,
                        "NO_SUCH_AGENT",
                        "ghost"),
                c(
                        "send bad agent id",
                        "POST",
                        "/v1/messages",
                        "{\"from\":\"w 1\",\"to\":\"w1\",\"type\":\"t\",\"payload\":1}",
                        400,
                        "BAD_REQUEST",
                        "w 1"),
                c("register twice", "POST", "/v1/agents", "{\"id\":\"w1\"}", 409, "AGENT_EXISTS", "w1"),
                c(
                        "reserved capability",
                        "POST",
                        "/v1/agents",
                        "{\"id\":\"w9\",\"capabilities\":[\"_t-render\"]}",
                        400,
                        "BAD_REQUEST",
                        "_t-render"),
                c(
                        "bad task type",
                        "POST",
                        "/v1/agents",
                        "{\"id\":\"w9\",\"types\":[\"a b\"]}",
                        400,
                        "BAD_REQUEST",
                        "a b"),
                c(
                        "bad status",
                        "POST",
                        "/v1/agents/w1/status",
                        "{\"status\":\"SLEEPING\"}",
                        400,
                        "BAD_REQUEST",
                        "SLEEPING"),
                c("bad cursor", "GET", "/v1/agents/w1/inbox?after=-3", null, 400, "BAD_REQUEST", "-3"),
                c("no inbox", "GET", "/v1/agents/ghost/inbox", null, 404, "NO_SUCH_AGENT", "ghost"),
                c(
                        "resign unheld term",
                        "POST",
                        "/v1/leaders/g/resign",
                        "{\"agent\":\"w1\",\"term\":4}",
                        409,
                        "STALE_TERM",
                        "4"),
                c("snapshots without data dir", "POST", "/v1/snapshots", null, 409, "NOT_DURABLE", "--data"),
                c("unknown route", "GET", "/v1/nothing", null, 404, "NO_SUCH_ROUTE", "/v1/nothing"),
                c("wrong method", "DELETE", "/v1/tasks", null, 405, "METHOD_NOT_ALLOWED", "DELETE"),
                new Case(
                        "wrong content type",
                        "admin",
                        "PUT",
                        "/v1/memory/cfg/k",
                        "value=1",
                        new String[] {"Content-Type", "text/plain"},
                        415,
                        "UNSUPPORTED_MEDIA_TYPE",
                        "text/plain"),
                c("oversized payload", "PUT", "/v1/memory/cfg/k", big, 413, "PAYLOAD_TOO_LARGE", "limit"),
                new Case(
                        "missing token",
                        null,
                        "POST",
                        "/v1/tasks",
                        "{\"type\":\"r\",\"payload\":1}",
                        new String[0],
                        401,
                        "UNAUTHORIZED",
                        "token"),
                new Case(
                        "unknown token",
                        "forged",
                        "PUT",
                        "/v1/memory/cfg/k",
                        "{\"value\":5}",
                        new String[0],
                        401,
                        "UNAUTHORIZED",
                        "token"),
                new Case(
                        "foreign origin",
                        "admin",
                        "POST",
                        "/v1/tasks",
                        "{\"type\":\"r\",\"payload\":1}",
                        new String[] {"Origin", "http://evil.example"},
                        403,
                        "FORBIDDEN_ORIGIN",
                        "evil.example"),
                new Case(
                        "forged agent id",
                        "bob",
                        "POST",
                        "/v1/agents/w1/heartbeat",
                        null,
                        new String[0],
                        403,
                        "FORBIDDEN",
                        "w1"),
                new Case(
                        "forged sender",
                        "bob",
                        "POST",
                        "/v1/messages",
                        "{\"from\":\"w1\",\"to\":\"bob-1\",\"type\":\"t\",\"payload\":1}",
                        new String[0],
                        403,
                        "FORBIDDEN",
                        "w1"),
                new Case(
                        "non-admin snapshot",
                        "bob",
                        "POST",
                        "/v1/snapshots",
                        null,
                        new String[0],
                        403,
                        "FORBIDDEN",
                        "admin"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void badRequest_getsProblemNamingTheCause_andChangesNothing(Case c) {
        long before = f.colony.state().revision();
        Http http = f.admin.as(c.token()).with(c.headers());
        String body = c.body();
        Http.Res res = c.headers().length > 0 && c.headers()[0].equals("Content-Type")
                ? raw(http, c)
                : http.send(c.method(), c.path(), body);

        assertThat(res.status()).as(res.text()).isEqualTo(c.status());
        assertThat(res.header("Content-Type")).startsWith("application/problem+json");
        assertThat(res.code()).isEqualTo(c.code());
        assertThat(res.json().path("status").asInt()).isEqualTo(c.status());
        assertThat(res.json().path("detail").asString()).contains(c.detailContains());
        assertThat(f.colony.state().revision())
                .as("state revision after " + c.name())
                .isEqualTo(before);
    }

    /** A request whose Content-Type the test sets itself (the helper would add application/json). */
    private static Http.Res raw(Http http, Case c) {
        var request = java.net.http.HttpRequest.newBuilder(f.server.uri().resolve(c.path()))
                .header("Authorization", "Bearer " + c.token())
                .header(c.headers()[0], c.headers()[1])
                .method(c.method(), java.net.http.HttpRequest.BodyPublishers.ofString(c.body()))
                .build();
        return http.send(request);
    }
}
