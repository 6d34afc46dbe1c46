package dev.colony.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.colony.bus.EventBus;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The per-node figures on one in-process bus (DIRECT delivery, so a publish has arrived when it returns), with a
 * fake clock for silence. Two {@link Nodes} on one bus stand for two servers of a swarm.
 */
class NodesTest {
    private static final long SECOND = 1_000_000_000L;
    private final EventBus bus = EventBus.builder().build();
    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);

    @AfterEach
    void close() {
        bus.close();
    }

    private Nodes node(String name) {
        return new Nodes(bus, () -> name, clock::get);
    }

    @Test
    void table_twoNodes_rowsByNameAndTheRatesAddUp() {
        Nodes a = node("host-a:7070");
        Nodes b = node("host.b:7071");
        a.publish(10.5, 2, 1, 1_000, 9_000);
        b.publish(4, 3.25, 0.5, 2_000, 5_000);

        Nodes.Table seenByA = a.table();
        assertThat(seenByA.rows())
                .extracting(Nodes.Row::node, Nodes.Row::self, Nodes.Row::eventsPerSecond)
                .containsExactly(tuple("host-a:7070", true, 10.5), tuple("host.b:7071", false, 4.0));
        assertThat(seenByA.eventsPerSecond()).isEqualTo(14.5);
        assertThat(seenByA.messagesPerSecond()).isEqualTo(5.25);
        assertThat(seenByA.completedPerSecond()).isEqualTo(1.5);
        assertThat(b.table().rows()).extracting(Nodes.Row::self).containsExactly(false, true);
        assertThat(seenByA.rows().get(1).deliveryP99Nanos()).isEqualTo(5_000);
    }

    @Test
    void table_silentNode_isGoneAndLeftOutOfTheTotal_thenDropped() {
        Nodes a = node("a");
        Nodes b = node("b");
        b.publish(7, 0, 0, 0, 0);
        clock.addAndGet(3 * SECOND);
        a.publish(1, 0, 0, 0, 0);
        clock.addAndGet((Nodes.GONE_SECONDS - 3) * SECOND + 1);

        Nodes.Table table = a.table();
        assertThat(table.rows())
                .extracting(Nodes.Row::node, Nodes.Row::gone)
                .containsExactly(tuple("a", false), tuple("b", true));
        assertThat(table.eventsPerSecond()).isEqualTo(1.0);

        clock.addAndGet(Nodes.DROP_SECONDS * SECOND);
        assertThat(a.table().rows()).isEmpty();
    }

    @Test
    void heard_pastTheBound_evictsTheNodeHeardFromLongestAgo() {
        Nodes reader = node("reader");
        for (int i = 0; i < Nodes.MAX_NODES + 3; i++) {
            clock.addAndGet(1_000);
            node("n" + (100 + i)).publish(1, 0, 0, 0, 0);
        }
        assertThat(reader.table().rows()).hasSize(Nodes.MAX_NODES);
        assertThat(reader.table().rows().getFirst().node()).isEqualTo("n103");
        assertThat(reader.table().eventsPerSecond()).isEqualTo(Nodes.MAX_NODES);
    }

    @Test
    void heard_foreignPayload_isIgnored() {
        Nodes a = node("a");
        bus.publish(Nodes.SUBJECT_ROOT + ".x", "not a sample");
        bus.publish(Nodes.SUBJECT_ROOT + ".y", Map.of("node", "y", "events", "many"));
        bus.publish(Nodes.SUBJECT_ROOT + ".z", Map.of("node", "", "events", 1));
        assertThat(a.table().rows()).isEmpty();
    }

    @Test
    void row_sampleReadBackFromJson_acceptsAnyNumberType() {
        Nodes.Row row = Nodes.row(Map.of(
                "node", "h:1", "events", 3, "messages", 2L, "completed", 1.5, "deliveryP50", 7, "deliveryP99", 9.0));
        assertThat(row).isEqualTo(new Nodes.Row("h:1", false, false, 3, 2, 1.5, 7, 9));
    }

    @Test
    void token_hostAndPort_becomeOneSubjectToken() {
        assertThat(Nodes.token("box.example.com:7070")).isEqualTo("box_example_com_7070");
        assertThat(Nodes.token("h\u00e9 te")).isEqualTo("h__te");
    }

    @Test
    void overview_aloneOrEmbedded_hasNoNodeTable() {
        Nodes a = node("a");
        a.publish(1, 0, 0, 0, 0);
        StringBuilder html = new StringBuilder();
        OverviewPage.nodes(html, a.table());
        assertThat(html).isEmpty();
    }

    @Test
    void overview_twoNodes_showsEachRowAndATotalWithoutPercentile() {
        Nodes a = node("a");
        Nodes b = node("<b>");
        a.publish(1, 2, 3, 1_500_000, 2_500_000);
        b.publish(10, 20, 30, 0, 0);
        StringBuilder html = new StringBuilder();
        OverviewPage.nodes(html, a.table());
        assertThat(html.toString())
                .contains(
                        "<tr data-node=\"&lt;b&gt;\" data-events=\"10.0\" data-messages=\"20.0\" data-completed=\"30.0\">")
                .contains("<td>a (this server)</td><td>1.0</td><td>2.0</td><td>3.0</td><td>1.5 ms / 2.5 ms</td>")
                .contains("<tr class=\"sum\" data-node=\"\" data-events=\"11.0\" data-messages=\"22.0\""
                        + " data-completed=\"33.0\"><td>total of 2 nodes</td>")
                .contains("percentiles do not add")
                .doesNotContain("<b>");
    }
}
