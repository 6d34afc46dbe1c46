package dev.colony.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.bus.TestSeeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Numbers survive the JSON codec bit for bit. */
class NumberRoundTripTest {
    record Doubles(double[] values) {}

    record Floats(float[] values) {}

    private static final AgentId A = AgentId.of("a");
    private static final int COUNT = 20_000;

    private final JsonMessageCodec codec = JsonMessageCodec.create();

    @Test
    void doubles_randomizedBitPatternsAndEdgeCases_roundTripExactly() {
        double[] values = doubles(TestSeeds.seed("NumberRoundTripTest.doubles", 0x5EED_D0B1EL));
        byte[] bytes = codec.encode(Envelope.of(A, A, "numbers", new Doubles(values)));

        double[] typed =
                codec.decode(bytes, Doubles.class).payload(Doubles.class).values();
        List<?> tree = (List<?>) codec.decode(bytes).payload(Map.class).get("values");
        for (int i = 0; i < values.length; i++) {
            long expected = Double.doubleToRawLongBits(values[i]);
            assertThat(Double.doubleToRawLongBits(typed[i]))
                    .as("typed [%d] %s", i, values[i])
                    .isEqualTo(expected);
            assertThat(Double.doubleToRawLongBits(((Number) tree.get(i)).doubleValue()))
                    .as("tree [%d] %s", i, values[i])
                    .isEqualTo(expected);
        }
    }

    @Test
    void floats_randomizedBitPatterns_roundTripExactly() {
        SplittableRandom random = new SplittableRandom(TestSeeds.seed("NumberRoundTripTest.floats", 0xF10A7L));
        float[] values = new float[COUNT];
        for (int i = 0; i < COUNT; i++) {
            float f;
            do {
                f = Float.intBitsToFloat(random.nextInt());
            } while (!Float.isFinite(f));
            values[i] = f;
        }
        values[0] = Float.MIN_VALUE;
        values[1] = -0.0f;
        values[2] = Float.MAX_VALUE;
        byte[] bytes = codec.encode(Envelope.of(A, A, "numbers", new Floats(values)));
        float[] typed = codec.decode(bytes, Floats.class).payload(Floats.class).values();
        for (int i = 0; i < COUNT; i++) {
            assertThat(Float.floatToRawIntBits(typed[i]))
                    .as("[%d] %s", i, values[i])
                    .isEqualTo(Float.floatToRawIntBits(values[i]));
        }
    }

    @Test
    void doubles_nonFinite_travelAsStringsAndBindBackToDoubles() {
        double[] values = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        byte[] bytes = codec.encode(Envelope.of(A, A, "numbers", new Doubles(values)));
        assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"values\":[\"NaN\",\"Infinity\",\"-Infinity\"]");
        assertThat(codec.decode(bytes, Doubles.class).payload(Doubles.class).values())
                .containsExactly(values);
    }

    @Test
    void longs_extremes_roundTripExactlyInTree() {
        List<Long> values = List.of(Long.MIN_VALUE, Long.MAX_VALUE, 1L << 53, (1L << 53) + 1, -((1L << 53) + 1));
        List<?> tree =
                codec.decode(codec.encode(Envelope.of(A, A, "numbers", values))).payload(List.class);
        assertThat(tree).isEqualTo(values);
    }

    /** Random bit patterns (every exponent, subnormals) plus the cases that break naive printers. */
    private static double[] doubles(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Double> values = new ArrayList<>(List.of(
                0.0,
                -0.0,
                Double.MIN_VALUE,
                -Double.MIN_VALUE,
                Double.MIN_NORMAL,
                Math.nextDown(Double.MIN_NORMAL),
                Double.MAX_VALUE,
                -Double.MAX_VALUE,
                0.1,
                0.1 + 0.2,
                1e23,
                9007199254740993.0,
                2.2250738585072012e-308,
                4.9e-324,
                1.7976931348623157e308,
                5e-324 * 3));
        while (values.size() < COUNT) {
            double d = switch (values.size() % 3) {
                case 0 -> Double.longBitsToDouble(random.nextLong());
                case 1 -> Double.longBitsToDouble(random.nextLong(0x0010_0000_0000_0000L)); // subnormal
                default -> random.nextDouble(-1e6, 1e6);
            };
            if (Double.isFinite(d)) {
                values.add(random.nextBoolean() ? d : -d);
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
