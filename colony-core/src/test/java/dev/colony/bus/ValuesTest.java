package dev.colony.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Validation of the bus's small values: events, subscribe options, builder settings. */
class ValuesTest {
    private static final Subject SUBJECT = Subject.of("a.b");

    @ParameterizedTest
    @ValueSource(ints = {-1, 10, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void event_priorityOutOfRange_throwsIllegalArgumentNamingIt(int priority) {
        assertThatThrownBy(() -> new Event(SUBJECT, "x", priority))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("priority")
                .hasMessageContaining(String.valueOf(priority));
    }

    @Test
    void event_nullSubjectOrPayload_throwsNullPointer() {
        assertThatThrownBy(() -> new Event(null, "x")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Event(SUBJECT, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void event_priorities_criticalFromEight() {
        assertThat(new Event(SUBJECT, "x").priority()).isEqualTo(Event.NORMAL_PRIORITY);
        assertThat(new Event(SUBJECT, "x", 7).isCritical()).isFalse();
        assertThat(new Event(SUBJECT, "x", 8).isCritical()).isTrue();
        assertThat(new Event(SUBJECT, "x", 9).isCritical()).isTrue();
        assertThat(new Event(SUBJECT, "x", 0).isCritical()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 10, 100})
    void subscribeOptions_priorityOutOfRange_throwsIllegalArgumentNamingIt(int priority) {
        assertThatThrownBy(() -> SubscribeOptions.direct().withPriority(priority))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("priority")
                .hasMessageContaining(String.valueOf(priority));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, SubscribeOptions.MAX_CAPACITY + 1, Integer.MIN_VALUE})
    void subscribeOptions_capacityOutOfRange_throwsIllegalArgumentNamingIt(int capacity) {
        assertThatThrownBy(() -> SubscribeOptions.async().withCapacity(capacity))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity")
                .hasMessageContaining(String.valueOf(capacity));
    }

    @Test
    void subscribeOptions_nulls_throwNullPointer() {
        assertThatThrownBy(() -> new SubscribeOptions(null, 4, 1, OverflowPolicy.BLOCK, ""))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> SubscribeOptions.async().withOverflow(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> SubscribeOptions.async().withName(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void subscribeOptions_withers_changeOnlyTheirSetting() {
        SubscribeOptions options = SubscribeOptions.async()
                .withPriority(7)
                .withCapacity(1)
                .withOverflow(OverflowPolicy.FAIL)
                .withName("audit");
        assertThat(options).isEqualTo(new SubscribeOptions(DeliveryMode.ASYNC, 7, 1, OverflowPolicy.FAIL, "audit"));
        assertThat(SubscribeOptions.async()
                        .withCapacity(SubscribeOptions.MAX_CAPACITY)
                        .capacity())
                .isEqualTo(SubscribeOptions.MAX_CAPACITY);
    }

    @Test
    void builder_invalidSettings_failAtOnce() {
        assertThatThrownBy(() -> EventBus.builder().routeCacheCapacity(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
        assertThatThrownBy(() -> EventBus.builder().onHandlerFailure(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> EventBus.builder().onDeadEvent(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void builder_closeTimeoutNotPositiveOrAboveADay_failsAtOnceNamingIt() {
        for (Duration bad :
                List.of(Duration.ZERO, Duration.ofMillis(-1), Duration.ofDays(1).plusNanos(1))) {
            assertThatThrownBy(() -> EventBus.builder().closeTimeout(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("closeTimeout")
                    .hasMessageContaining(bad.toString());
        }
        assertThatThrownBy(() -> EventBus.builder().closeTimeout(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("closeTimeout");
        assertThat(EventBus.builder().settings().closeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(EventBus.builder()
                        .closeTimeout(Duration.ofDays(1))
                        .settings()
                        .closeTimeout())
                .isEqualTo(Duration.ofDays(1));
    }

    @Test
    void publishResult_predicates_followTheFigures() {
        assertThat(PublishResult.DEAD.isDead()).isTrue();
        assertThat(new PublishResult(2, 2, 0, 0, 0).isClean()).isTrue();
        assertThat(new PublishResult(2, 2, 1, 0, 0).isClean()).isFalse();
        assertThat(new PublishResult(2, 1, 0, 1, 0).isClean()).isFalse();
        assertThat(new PublishResult(2, 1, 0, 1, 0).isDead()).isFalse();
    }
}
