package dev.colony.state;

import dev.colony.bus.EventBus;
import dev.colony.bus.SubjectPattern;
import dev.colony.bus.SubscribeOptions;
import dev.colony.messaging.AgentId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What every part of the state contract needs from the backend under test: a fresh state on a fresh bus,
 * with a manual clock and no background sweeper, closed after the test. Implemented by
 * {@link StateContract}.
 */
public interface StateFixture {
    AgentId ALICE = AgentId.of("alice");
    AgentId BOB = AgentId.of("bob");
    AgentId CAROL = AgentId.of("carol");
    Duration LEASE = Duration.ofSeconds(30);

    /** A new state with {@code options} (the fixture closes it after the test). */
    CoordinationState state(StateOptions options);

    /** The clock of the last {@link #state()} created by the no-argument form. */
    ManualClock clock();

    /** The bus the last state announces on. */
    EventBus bus();

    /** A new state with a manual clock ({@link #clock()}), no sweeper, default limits. */
    CoordinationState state();

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Records every announcement under {@code pattern} on {@link #bus()}, DIRECT. */
    default List<StateChange> announcements(String pattern) {
        List<StateChange> seen = new CopyOnWriteArrayList<>();
        bus().subscribe(
                        SubjectPattern.of(pattern),
                        e -> seen.add((StateChange) e.payload()),
                        SubscribeOptions.direct());
        return seen;
    }

    /**
     * How many threads race compare-and-set on one key in the contention test (default 1,000). Each success
     * invalidates what all the others read, so the test's cost grows with the square of this; a backend whose
     * every read and CAS is a network round trip runs it with fewer threads, and the same exact assertions.
     */
    default int casContenders() {
        return 1_000;
    }
}
