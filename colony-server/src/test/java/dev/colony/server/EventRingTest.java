package dev.colony.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.bus.EventBus;
import dev.colony.bus.Subject;
import dev.colony.bus.SubjectPattern;
import java.io.OutputStream;
import org.junit.jupiter.api.Test;

/**
 * The ring's live streams, grouped by pattern (ADR 0059): every stream of a matching pattern gets each event,
 * no stream of another pattern does, and detaching one stream of a group leaves the others attached.
 */
class EventRingTest {
    /**
     * A stream holding at most one frame: the first matching event fills it, every later one is dropped
     * and counted, so {@link SseStream#dropped()} tells how many events reached it after the first.
     */
    private static SseStream oneFrame() {
        return new SseStream(OutputStream.nullOutputStream(), 1);
    }

    @Test
    void append_streamsGroupedByPattern_eachMatchingStreamGetsEveryEventAndNoOtherDoes() {
        try (EventBus bus = EventBus.create();
                EventRing ring = new EventRing(bus, ServerLimits.defaults())) {
            SubjectPattern orders = SubjectPattern.of("acct.a.orders.>");
            SubjectPattern sameAgain = SubjectPattern.of("acct.a.orders.>");
            SubjectPattern other = SubjectPattern.of("acct.b.orders.>");
            SseStream first = oneFrame();
            SseStream second = oneFrame();
            SseStream third = oneFrame();
            SseStream elsewhere = oneFrame();
            EventRing.Listener firstListener = new EventRing.Listener(orders, first);
            ring.attach(firstListener, null);
            ring.attach(new EventRing.Listener(sameAgain, second), null);
            ring.attach(new EventRing.Listener(orders, third), null);
            ring.attach(new EventRing.Listener(other, elsewhere), null);
            assertThat(ring.listeners()).isEqualTo(4);
            assertThat(ring.listening(Subject.of("acct.a.orders.x"))).isEqualTo(3);
            assertThat(ring.listening(Subject.of("acct.b.orders.x"))).isEqualTo(1);

            bus.publish("acct.a.orders.x", "one");
            bus.publish("acct.a.orders.y", "two");
            bus.publish("acct.a.orders.z", "three");
            assertThat(first.dropped()).isEqualTo(2);
            assertThat(second.dropped()).isEqualTo(2);
            assertThat(third.dropped()).isEqualTo(2);
            assertThat(elsewhere.dropped()).isZero();

            ring.detach(firstListener);
            ring.detach(firstListener); // a second detach changes nothing
            assertThat(ring.listeners()).isEqualTo(3);
            assertThat(ring.listening(Subject.of("acct.a.orders.x"))).isEqualTo(2);
            bus.publish("acct.a.orders.w", "four");
            assertThat(first.dropped()).isEqualTo(2);
            assertThat(second.dropped()).isEqualTo(3);
            assertThat(third.dropped()).isEqualTo(3);

            bus.publish("acct.b.orders.x", "five");
            bus.publish("acct.b.orders.y", "six");
            assertThat(elsewhere.dropped()).isEqualTo(1);
        }
    }
}
