package dev.colony.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dashboard's small parts: escaping, forms, sessions, requeue names, the feed's framing and bounds. */
class DashboardPartsTest {

    @Test
    void esc_markup_isEscaped() {
        assertThat(Html.esc("<script>alert('x') & \"y\"</script>"))
                .isEqualTo("&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
    }

    @Test
    void parse_urlEncodedForm_decodesAndKeepsFirst() {
        assertThat(FormBody.parse("task=a%20b&back=%2Fdash%2Ftasks&task=second&empty"))
                .isEqualTo(Map.of("task", "a b", "back", "/dash/tasks", "empty", ""));
    }

    @Test
    void parse_badEscape_namesTheField() {
        assertThatThrownBy(() -> FormBody.parse("token=%zz"))
                .isInstanceOf(BadInput.class)
                .hasMessageContaining("\"token\"");
    }

    @Test
    void back_foreignOrRelativeTarget_fallsBackToTheOverview() {
        assertThat(Dashboard.back(Map.of("back", "/dash/tasks?page=2"))).isEqualTo("/dash/tasks?page=2");
        assertThat(Dashboard.back(Map.of("back", "https://evil.example/"))).isEqualTo("/dash/");
        assertThat(Dashboard.back(Map.of("back", "/dash//evil.example"))).isEqualTo("/dash/");
        assertThat(Dashboard.back(Map.of())).isEqualTo("/dash/");
    }

    @Test
    void nextGeneration_requeuedCopies_countUp() {
        assertThat(Actions.nextGeneration("acme_job")).isEqualTo("acme_job-r1");
        assertThat(Actions.nextGeneration("acme_job-r1")).isEqualTo("acme_job-r2");
        assertThat(Actions.nextGeneration("acme_job-r41")).isEqualTo("acme_job-r42");
    }

    @Test
    void open_pastCapacity_evictsTheOldestSession() {
        Sessions sessions = new Sessions(3, Duration.ofHours(1));
        String first = sessions.open("t1");
        String second = sessions.open("t2");
        sessions.open("t3");
        sessions.open("t4");
        assertThat(sessions.size()).isEqualTo(3);
        assertThat(sessions.token(first)).isEmpty();
        assertThat(sessions.token(second)).hasValue("t2");
        assertThat(second).hasSizeGreaterThanOrEqualTo(43); // 32 random bytes
    }

    @Test
    void token_expiredOrClosedSession_isGone() {
        Sessions sessions = new Sessions(10, Duration.ofNanos(1));
        String id = sessions.open("t");
        assertThat(sessions.token(id)).isEmpty();
        Sessions open = new Sessions(10, Duration.ofHours(1));
        String other = open.open("t");
        open.close(other);
        assertThat(open.token(other)).isEmpty();
        assertThat(open.token(null)).isEmpty();
    }

    @Test
    void send_multiLineData_isFramedLineByLine() throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        Feed.send(out, "cards", "<p>a</p>\n<p>b</p>");
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("event: cards\ndata: <p>a</p>\ndata: <p>b</p>\n\n");
    }

    @Test
    void seriesJson_points_areColumns() {
        String json = Feed.seriesJson(List.of(new Figures.Point(10, 1.5, 2, 0), new Figures.Point(11, 3, 0, 0.25)));
        assertThat(json).isEqualTo("[[10,11],[1.50,3.00],[2.00,0.00],[0.00,0.25]]");
    }

    @Test
    void seriesJson_pointsFarApart_breakTheLinesWithANullRow() {
        String json = Feed.seriesJson(List.of(
                new Figures.Point(10, 1, 1, 1), new Figures.Point(15, 2, 2, 2), new Figures.Point(100, 3, 3, 3)));
        assertThat(json)
                .isEqualTo("[[10,15,16,100],[1.00,2.00,null,3.00],[1.00,2.00,null,3.00],[1.00,2.00,null,3.00]]");
    }

    @Test
    void status_unknownValue_isRefusedWithTheValue() {
        assertThat(TasksPage.status("dead")).isEqualTo(dev.colony.state.TaskStatus.DEAD);
        assertThat(TasksPage.status("")).isNull();
        assertThatThrownBy(() -> TasksPage.status("ZOMBIE"))
                .isInstanceOf(BadInput.class)
                .hasMessageContaining("\"ZOMBIE\"");
    }

    @Test
    void preview_longOrControlCharacters_isCutAndMarked() {
        assertThat(MemoryPage.preview("a\u0000b\nc".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isEqualTo("a\uFFFDb\nc");
        assertThat(MemoryPage.preview("é".repeat(200).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isEqualTo("é".repeat(MemoryPage.PREVIEW_CHARS) + "… (400 bytes)");
        assertThat(MemoryPage.preview(new byte[0])).isEmpty();
    }
}
