package dev.colony.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.colony.Colony;
import dev.colony.redis.RedisServer;
import dev.colony.server.ColonyServer;
import dev.colony.server.auth.Guard;
import dev.colony.server.auth.RateLimit;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard on Redis (issue 19): two {@code colony serve} servers over one real Redis swarm, each with its own
 * colony. Events and task completions go through server A's API; server B's overview shows them in A's row of the
 * per-node table, B's own row idle, and a total that is the sum of the rows. Read from the page's HTML (each row
 * carries its exact rates in {@code data-} attributes).
 */
class DashboardRedisTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern ROW = Pattern.compile(
            "<tr(?: class=\"sum\")? data-node=\"([^\"]*)\"( class=\"gone\")? data-events=\"([^\"]+)\" data-messages=\"([^\"]+)\""
                    + " data-completed=\"([^\"]+)\">");
    private static RedisServer redis;

    @TempDir
    Path data;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private String token;

    /** One row of the table as the page shows it; the total's node is "". */
    record Row(String node, boolean gone, double events, double messages, double completed) {}

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable r : resources.reversed()) {
            r.close();
        }
    }

    @Test
    void overview_eventsAndCompletionsThroughOneNode_areThatNodesOnTheOthersPage_andTheTotalIsTheSum()
            throws Exception {
        ColonyServer a = server();
        ColonyServer b = server();
        token = Files.readString(data.resolve("initial-admin-token")).strip();
        String cookie = signIn(b);
        String aSuffix = ":" + a.port();
        String bSuffix = ":" + b.port();

        AtomicReference<Map<String, Row>> seen = new AtomicReference<>();
        int[] round = {0};
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    // keep A busy until one of its one-second samples reached B: a burst of events and five tasks
                    for (int i = 0; i < 100; i++) {
                        assertThat(post(a, "/v1/events/work.done", "{\"n\":" + i + "}"))
                                .startsWith("{");
                    }
                    for (int i = 0; i < 5; i++) {
                        String id = "t" + round[0] + "-" + i;
                        post(a, "/v1/tasks", "{\"id\":\"" + id + "\",\"type\":\"job\",\"payload\":1}");
                        String lease = post(a, "/v1/tasks/claim", "{\"agent\":\"w\",\"types\":[\"job\"]}");
                        Matcher t = Pattern.compile("\"token\":(\\d+)").matcher(lease);
                        assertThat(t.find()).as(lease).isTrue();
                        post(a, "/v1/tasks/" + id + "/complete", "{\"token\":" + t.group(1) + "}");
                    }
                    round[0]++;
                    Map<String, Row> rows = rows(page(b, cookie));
                    seen.set(rows);
                    Row ofA = byPort(rows, aSuffix);
                    return ofA != null && ofA.events() >= 50 && ofA.completed() > 0 && byPort(rows, bSuffix) != null;
                });

        Map<String, Row> rows = seen.get();
        Row ofA = byPort(rows, aSuffix);
        Row ofB = byPort(rows, bSuffix);
        Row total = rows.get("");
        assertThat(rows).hasSize(3); // A, B and the total
        assertThat(ofA.gone()).isFalse();
        assertThat(ofB.gone()).isFalse();
        // B published nothing, completed nothing (its own samples are not counted as events)
        assertThat(ofB.events()).isZero();
        assertThat(ofB.completed()).isZero();
        // the rows in the page's order (by node name), added up as the server adds them
        double events = 0;
        double messages = 0;
        double completed = 0;
        for (Row r : rows.values()) {
            if (!r.node().isEmpty()) {
                events += r.events();
                messages += r.messages();
                completed += r.completed();
            }
        }
        assertThat(total).isEqualTo(new Row("", false, events, messages, completed));
        assertThat(total.events()).isEqualTo(ofA.events() + ofB.events());
    }

    private ColonyServer server() throws Exception {
        Colony colony = Colony.builder().redis(redis.uri()).swarm("dash-nodes").build();
        resources.add(colony);
        ColonyServer server = ColonyServer.builder()
                .port(0)
                .colony(colony)
                .guard(Guard.builder(data, colony.bus())
                        .rateLimit(RateLimit.UNLIMITED) // the test publishes bursts of 100 events
                        .build())
                .build()
                .start();
        resources.add(server);
        return server;
    }

    private static Row byPort(Map<String, Row> rows, String suffix) {
        return rows.values().stream()
                .filter(r -> r.node().endsWith(suffix))
                .findFirst()
                .orElse(null);
    }

    /** The table's rows by node name, in the page's order. */
    private static Map<String, Row> rows(String html) {
        Map<String, Row> rows = new LinkedHashMap<>();
        Matcher m = ROW.matcher(html);
        while (m.find()) {
            rows.put(
                    m.group(1),
                    new Row(
                            m.group(1),
                            m.group(2) != null,
                            Double.parseDouble(m.group(3)),
                            Double.parseDouble(m.group(4)),
                            Double.parseDouble(m.group(5))));
        }
        return rows;
    }

    private String post(ColonyServer server, String path, String json) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(server.uri().resolve(path))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isBetween(200, 201);
        return response.body();
    }

    private String signIn(ColonyServer server) throws Exception {
        HttpResponse<Void> response = HTTP.send(
                HttpRequest.newBuilder(server.uri().resolve("/dash/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Origin", server.uri().toString())
                        .POST(HttpRequest.BodyPublishers.ofString("token=" + token))
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(response.statusCode()).isEqualTo(303);
        String cookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        return cookie.substring(0, cookie.indexOf(';'));
    }

    private static String page(ColonyServer server, String cookie) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(server.uri().resolve("/dash/"))
                        .header("Cookie", cookie)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
