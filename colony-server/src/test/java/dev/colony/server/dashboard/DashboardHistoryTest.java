package dev.colony.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.colony.Colony;
import dev.colony.server.ColonyServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The overview's time series across a restart, read as the page reads it: the first {@code series} event of
 * {@code /dash/feed}.
 */
class DashboardHistoryTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void restart_onTheSameHistoryFile_showsTheEarlierPoints() throws Exception {
        Path file = dir.resolve("dashboard-series");
        List<Long> before;
        try (Colony colony = Colony.embedded();
                ColonyServer server = start(colony, file)) {
            String cookie = signIn(server);
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> seconds(firstSeries(server, cookie)).size() >= 3);
            before = seconds(firstSeries(server, cookie));
        }
        assertThat(file).hasSize(SeriesFile.SIZE);

        try (Colony colony = Colony.embedded();
                ColonyServer server = start(colony, file)) {
            List<Long> after = seconds(firstSeries(server, signIn(server)));
            assertThat(after).containsAll(before).isSorted();
        }
    }

    @Test
    void restart_withoutAHistoryFile_startsWithoutTheEarlierPoints() throws Exception {
        List<Long> before;
        try (Colony colony = Colony.embedded();
                ColonyServer server = start(colony, null)) {
            String cookie = signIn(server);
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> !seconds(firstSeries(server, cookie)).isEmpty());
            before = seconds(firstSeries(server, cookie));
        }
        try (Colony colony = Colony.embedded();
                ColonyServer server = start(colony, null)) {
            List<Long> after = seconds(firstSeries(server, signIn(server)));
            assertThat(after).doesNotContainAnyElementsOf(before);
        }
    }

    private static ColonyServer start(Colony colony, Path history) {
        ColonyServer.Builder builder = ColonyServer.builder()
                .colony(colony)
                .guard(new DashGuard())
                .port(0)
                .checkpointEvery(null);
        if (history != null) {
            builder.dashboardHistory(history);
        }
        return builder.build().start();
    }

    private static String signIn(ColonyServer server) throws IOException, InterruptedException {
        HttpResponse<Void> response = HTTP.send(
                HttpRequest.newBuilder(server.uri().resolve("/dash/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Origin", server.uri().toString())
                        .POST(HttpRequest.BodyPublishers.ofString("token=admin-token"))
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(response.statusCode()).isEqualTo(303);
        String cookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        return cookie.substring(0, cookie.indexOf(';'));
    }

    /** The data of the first {@code series} event of a new feed stream (the feed sends one at once). */
    private static String firstSeries(ColonyServer server, String cookie) throws IOException, InterruptedException {
        URI feed = server.uri().resolve("/dash/feed");
        HttpResponse<Stream<String>> response = HTTP.send(
                HttpRequest.newBuilder(feed).header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        try (Stream<String> lines = response.body()) {
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                if (it.next().equals("event: series")) {
                    return it.next().substring("data: ".length());
                }
            }
        }
        throw new AssertionError("the feed ended without a series event");
    }

    /** The seconds column of the series JSON, without the rows that mark a gap. */
    static List<Long> seconds(String json) {
        String[] columns = json.substring(2, json.length() - 2).split("\\],\\[", -1);
        if (columns[0].isEmpty()) {
            return List.of();
        }
        String[] seconds = columns[0].split(",");
        String[] events = columns[1].split(",");
        return java.util.stream.IntStream.range(0, seconds.length)
                .filter(i -> !events[i].equals("null"))
                .mapToObj(i -> Long.parseLong(seconds[i]))
                .toList();
    }
}
