package dev.colony.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Publish-to-handler latency of ASYNC deliveries: sampled one publish in N per publishing thread. */
class AsyncLatencyTest {

    @ParameterizedTest(name = "one in {0}, {1} publishes -> {2} samples")
    @CsvSource({"1, 100, 100", "10, 100, 10", "64, 100, 2", "7, 1, 1", "0, 100, 0"})
    void asyncLatency_sampledOneInN_countsExactlyTheSampledDeliveries(int oneIn, int publishes, long samples) {
        try (EventBus bus = EventBus.builder().latencySampling(oneIn).build()) {
            AtomicInteger received = new AtomicInteger();
            bus.subscribe(SubjectPattern.of("a.b"), e -> received.incrementAndGet(), SubscribeOptions.async());
            bus.subscribe("a.b", e -> {}); // DIRECT deliveries are never timed
            for (int i = 0; i < publishes; i++) {
                bus.publish("a.b", i);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> received.get() == publishes);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> bus.metrics().asyncLatency().count() == samples);

            var latency = bus.metrics().asyncLatency();
            assertThat(latency.count()).isEqualTo(samples);
            if (samples > 0) {
                assertThat(latency.p50()).isPositive();
                assertThat(latency.p50()).isLessThanOrEqualTo(latency.p99());
                assertThat(latency.p99()).isLessThanOrEqualTo(latency.max());
            }
        }
    }

    @Test
    void latencySampling_negative_isRejectedQuotingTheValue() {
        assertThatThrownBy(() -> EventBus.builder().latencySampling(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }
}
