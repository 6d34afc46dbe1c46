package dev.colony.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import tools.jackson.databind.json.JsonMapper;

class CompareReportTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void key_jmhResultWithParams_classMethodAndSortedParams() {
        var result = JSON.readTree("""
                {"benchmark": "dev.colony.bench.HandoffBenchmark.colonyBus",
                 "params": {"producers": "2", "alpha": "x"}}""");

        assertThat(CompareReport.key(result)).isEqualTo("HandoffBenchmark.colonyBus[alpha=x,producers=2]");
    }

    @Test
    void key_jmhResultWithoutParams_classAndMethod() {
        var result = JSON.readTree("{\"benchmark\": \"dev.colony.bench.RequestReplyBenchmark.pekko\"}");

        assertThat(CompareReport.key(result)).isEqualTo("RequestReplyBenchmark.pekko");
    }

    @Test
    void ratio_throughput_colonyOverPeer() {
        var pair = new CompareReport.Pair("w", "c", "a", "p", "b", true, 2);
        var scores = Map.of("a", new CompareReport.Score(30, 1, "ops/s"), "b", new CompareReport.Score(10, 1, "ops/s"));

        assertThat(CompareReport.ratio(pair, scores)).isEqualTo(3.0);
        assertThat(CompareReport.verdict(pair, 3.0)).isEqualTo("Colony, goal ≥ 2.00x met");
    }

    @Test
    void ratio_timeWherePeerIsFaster_belowOneAndPeerWins() {
        var pair = new CompareReport.Pair("w", "c", "a", "p", "b", false, 1);
        var scores = Map.of("a", new CompareReport.Score(40, 1, "us/op"), "b", new CompareReport.Score(10, 1, "us/op"));

        double ratio = CompareReport.ratio(pair, scores);

        assertThat(ratio).isEqualTo(0.25);
        assertThat(CompareReport.verdict(pair, ratio)).isEqualTo("**peer wins**, goal ≥ 1.00x missed");
    }

    @Test
    void ratio_missingPeer_notMeasured() {
        var pair = new CompareReport.Pair("w", "c", "a", "p", "b", true, 1);
        var scores = Map.of("a", new CompareReport.Score(30, 1, "ops/s"));

        double ratio = CompareReport.ratio(pair, scores);

        assertThat(ratio).isNaN();
        assertThat(CompareReport.verdict(pair, ratio)).isEqualTo("not measured");
    }

    @Test
    void pairs_everyBenchmarkTheyNameExists() throws ClassNotFoundException {
        for (var pair : CompareReport.pairs()) {
            for (String key : new String[] {pair.colonyKey(), pair.peerKey()}) {
                if (key.startsWith("heap.")) {
                    assertThat(key).isIn("heap.colony", "heap.pekko", "heap.vertx");
                    continue;
                }
                String name = key.contains("[") ? key.substring(0, key.indexOf('[')) : key;
                String className = name.substring(0, name.indexOf('.'));
                String method = name.substring(name.indexOf('.') + 1);
                Class<?> type = Class.forName("dev.colony.bench." + className);
                assertThat(Arrays.stream(type.getMethods())
                                .filter(m -> m.getName().equals(method))
                                .map(Method::getDeclaredAnnotations)
                                .flatMap(Arrays::stream)
                                .anyMatch(a -> a.annotationType() == Benchmark.class))
                        .as("%s names a @Benchmark method", key)
                        .isTrue();
            }
        }
    }
}
