package dev.colony.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.colony.bus.TestSeeds;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The codec's direct path for plain records (ADR 0062) gives what the Jackson path gives: the same
 * envelope from the same bytes, bit for bit, and Jackson's result or refusal wherever it steps aside.
 */
class PlainRecordCodecTest {
    record Entry(String key, double value) {}

    record Payload(List<Entry> entries, long timestamp) {}

    record Mixed(String text, double d, long l, int i, boolean b, Double boxed, Long boxedLong, List<Double> ds) {}

    record Annotated(@JsonProperty("other") String name) {}

    record WithGetter(String name) {
        public String getLabel() {
            return "label";
        }
    }

    record Node(String name, List<Node> children) {}

    private static final AgentId A = AgentId.of("agent-1");
    private static final AgentId B = AgentId.of("agent-2");
    private static final JsonMapper JACKSON = JsonMessageCodec.newMapper();

    private final JsonMessageCodec codec = JsonMessageCodec.create();

    @Test
    void shape_plainRecords_areDirectOthersAreNot() {
        assertThat(PlainRecord.of(Payload.class)).isNotNull();
        assertThat(PlainRecord.of(Mixed.class)).isNotNull();
        assertThat(PlainRecord.of(Annotated.class)).isNull();
        assertThat(PlainRecord.of(WithGetter.class)).isNull();
        assertThat(PlainRecord.of(Node.class)).as("recursive").isNull();
        assertThat(PlainRecord.of(RawJson.class)).isNull();
        assertThat(PlainRecord.of(Map.class)).isNull();
    }

    @Test
    void roundTrip_edgeDoubles_bitExactOnTheDirectPath() {
        List<Double> edges = List.of(
                -0.0,
                0.0,
                1e-320,
                Double.MIN_VALUE,
                -Double.MIN_VALUE,
                Double.MIN_NORMAL,
                Double.MAX_VALUE,
                -Double.MAX_VALUE,
                0.1 + 0.2,
                0.1,
                1e23,
                9007199254740993.0,
                2.2250738585072012e-308);
        for (double d : edges) {
            Mixed m = new Mixed("x", d, (1L << 53) + 1, Integer.MIN_VALUE, true, d, -((1L << 53) + 1), List.of(d));
            Envelope back = directRoundTrip(envelope(m), Mixed.class);
            Mixed got = back.payload(Mixed.class);
            assertThat(Double.doubleToRawLongBits(got.d())).as("%s", d).isEqualTo(Double.doubleToRawLongBits(d));
            assertThat(Double.doubleToRawLongBits(got.boxed())).isEqualTo(Double.doubleToRawLongBits(d));
            assertThat(Double.doubleToRawLongBits(got.ds().get(0))).isEqualTo(Double.doubleToRawLongBits(d));
            assertThat(got).isEqualTo(m);
        }
    }

    @Test
    void roundTrip_longsAtTheExtremes_exact() {
        for (long l : new long[] {Long.MIN_VALUE, Long.MAX_VALUE, (1L << 53) + 1, -999_999_999_999_999_999L, 0}) {
            Mixed m = new Mixed("x", 1.5, l, 7, false, null, l, List.of());
            assertThat(codec.decode(codec.encode(envelope(m)), Mixed.class).payload(Mixed.class))
                    .isEqualTo(m);
        }
    }

    @Test
    void roundTrip_nonFiniteDoubles_travelAsStringsAndComeBackThroughJackson() {
        Mixed m =
                new Mixed("x", Double.NaN, 1, 1, true, Double.POSITIVE_INFINITY, 1L, List.of(Double.NEGATIVE_INFINITY));
        byte[] bytes = codec.encode(envelope(m));
        assertThat(new String(bytes, StandardCharsets.UTF_8))
                .contains("\"d\":\"NaN\"", "\"boxed\":\"Infinity\"", "\"ds\":[\"-Infinity\"]");
        assertThat(PlainRecordCodec.decode(bytes, PlainRecord.of(Mixed.class), CodecLimits.DEFAULTS))
                .isNull();
        assertThat(codec.decode(bytes, Mixed.class).payload(Mixed.class)).isEqualTo(m);
    }

    @Test
    void roundTrip_randomizedRecords_directEqualsJacksonBothWays() {
        long seed = TestSeeds.seed("PlainRecordCodecTest.random", 0x21C0_DEC5L);
        SplittableRandom random = new SplittableRandom(seed);
        for (int n = 0; n < 2_000; n++) {
            Mixed m = randomMixed(random);
            Envelope sent = envelope(m);
            byte[] direct = PlainRecordCodec.encode(sent, PlainRecord.of(Mixed.class), 64);
            assertThat(direct).as("seed %d, %s", seed, m).isNotNull();
            byte[] viaJackson = codec.encodeWithJackson(sent);
            Envelope jacksonReadsDirect = jacksonDecode(direct, Mixed.class);
            Envelope directReadsJackson = codec.decode(viaJackson, Mixed.class);
            assertThat(jacksonReadsDirect).as("seed %d", seed).isEqualTo(sent);
            assertThat(directReadsJackson).as("seed %d", seed).isEqualTo(sent);
            assertBitExact(jacksonReadsDirect.payload(Mixed.class), m, seed);
            assertBitExact(directReadsJackson.payload(Mixed.class), m, seed);
        }
        System.out.printf("[seed] PlainRecordCodecTest.random = %d%n", seed);
    }

    @Test
    void decode_shapesJacksonCoercesOrDefaults_fallBackToJacksonsResult() {
        String[] data = {
            "{\"key\":\"a\",\"value\":\"1.5\"}", // a string for a double: Jackson coerces
            "{\"key\":\"a\"}", // missing: Jackson's default
            "{\"key\":\"a\",\"value\":1,\"extra\":true}", // unknown: Jackson ignores it
            "{\"key\":\"\\u0061\",\"value\":1}", // an escape
            "{\"key\":\"é\",\"value\":1e400}", // non-ASCII, and a double out of range
            "{\"key\":\"a\",\"value\":-0}", // the integer -0: Jackson reads +0.0
            "{\"key\":\"a\",\"value\":-0.0}",
            "{\"key\":\"a\",\"value\":12345678901234567890123}", // an integer beyond a long, for a double
            "{ \"value\" : 2 , \"key\" : \"b\" }", // whitespace and order: direct
        };
        for (String d : data) {
            byte[] bytes = message(d);
            Envelope direct = codec.decode(bytes, Entry.class);
            Envelope jackson = jacksonDecode(bytes, Entry.class);
            assertThat(direct).as(d).isEqualTo(jackson);
            assertThat(Double.doubleToRawLongBits(direct.payload(Entry.class).value()))
                    .as(d)
                    .isEqualTo(Double.doubleToRawLongBits(
                            jackson.payload(Entry.class).value()));
        }
        assertThat(PlainRecordCodec.decode(
                        message(data[data.length - 1]), PlainRecord.of(Entry.class), CodecLimits.DEFAULTS))
                .isNotNull();
    }

    @Test
    void decode_violations_refusedWithTheJacksonPathsReasons() {
        assertThatThrownBy(() -> codec.decode(message("{\"key\":\"a\",\"value\":1,\"value\":2}"), Entry.class))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("Duplicate Object property");
        JsonMessageCodec shallow = JsonMessageCodec.builder().maxDepth(1).build();
        byte[] nested = shallow.encodeWithJackson(envelope(new Payload(List.of(new Entry("k", 1)), 1)));
        assertThatThrownBy(() -> shallow.decode(nested, Payload.class))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("data nests deeper than 1 levels");
        JsonMessageCodec shortNumbers =
                JsonMessageCodec.builder().maxNumberLength(5).build();
        byte[] longNumber = message("{\"key\":\"a\",\"value\":0.30000000000000004}");
        assertThatThrownBy(() -> shortNumbers.decode(longNumber, Entry.class))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessage("a number has more than 5 digits");
        JsonMessageCodec shortStrings =
                JsonMessageCodec.builder().maxStringLength(3).build();
        assertThatThrownBy(() -> shortStrings.decode(message("{\"key\":\"abcd\",\"value\":1}"), Entry.class))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessage("a string is longer than 3 characters");
        JsonMessageCodec shortNames =
                JsonMessageCodec.builder().maxNameLength(4).build();
        assertThatThrownBy(() -> shortNames.decode(message("{\"key\":\"a\",\"value\":1}"), Entry.class))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessage("a property name is longer than 4 characters");
        byte[] truncated = codec.encode(envelope(new Entry("a", 1)));
        assertThatThrownBy(() -> codec.decode(java.util.Arrays.copyOf(truncated, truncated.length - 1), Entry.class))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void encode_stringsWithEscapesAndUnicode_readBackEqual() {
        String[] texts = {"", "a\"b\\c", "line\nbreak\ttab\u0001\u001f", "é ü 漢字", "emoji \uD83D\uDE00", "\u007f/"};
        for (String t : texts) {
            Mixed m = new Mixed(t, 1, 1, 1, true, null, null, null);
            assertThat(jacksonDecode(codec.encode(envelope(m)), Mixed.class).payload(Mixed.class))
                    .as(t)
                    .isEqualTo(m);
        }
        Mixed lone = new Mixed("lone \uD83D surrogate", 1, 1, 1, true, null, null, null);
        assertThat(PlainRecordCodec.encode(envelope(lone), PlainRecord.of(Mixed.class), 64))
                .as("left to Jackson")
                .isNull();
    }

    private Envelope directRoundTrip(Envelope sent, Class<?> type) {
        PlainRecord shape = PlainRecord.of(type);
        byte[] bytes = PlainRecordCodec.encode(sent, shape, 64);
        assertThat(bytes).isNotNull();
        Envelope back = PlainRecordCodec.decode(bytes, shape, CodecLimits.DEFAULTS);
        assertThat(back).as("decoded on the direct path").isNotNull().isEqualTo(sent);
        assertThat(jacksonDecode(bytes, type)).isEqualTo(sent);
        return back;
    }

    private static Envelope jacksonDecode(byte[] bytes, Class<?> type) {
        return CloudEventReader.readBinding(JACKSON, CodecLimits.DEFAULTS, bytes, type)
                .toEnvelope();
    }

    private static byte[] message(String data) {
        return ("{\"specversion\":\"1.0\",\"id\":\"m1\",\"source\":\"colony:agent/agent-1\",\"type\":\"t\","
                        + "\"time\":\"2026-12-07T10:15:30.123456789Z\",\"to\":\"agent-2\",\"priority\":4,"
                        + "\"datacontenttype\":\"application/json\",\"data\":" + data + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static Envelope envelope(Object payload) {
        return new Envelope(
                "m1",
                A,
                B,
                "t",
                "c1",
                B,
                Instant.parse("2026-12-07T10:15:30.123456789Z"),
                null,
                4,
                Map.of("tenant", "acme"),
                payload);
    }

    private static Mixed randomMixed(SplittableRandom r) {
        List<Double> ds = new ArrayList<>();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            ds.add(r.nextInt(5) == 0 ? null : randomDouble(r));
        }
        return new Mixed(
                randomString(r),
                randomDouble(r),
                r.nextLong(),
                r.nextInt(),
                r.nextBoolean(),
                r.nextBoolean() ? null : randomDouble(r),
                r.nextBoolean() ? null : r.nextLong(),
                r.nextInt(4) == 0 ? null : ds);
    }

    private static double randomDouble(SplittableRandom r) {
        double d;
        do {
            d = switch (r.nextInt(3)) {
                case 0 -> Double.longBitsToDouble(r.nextLong());
                case 1 -> Double.longBitsToDouble(r.nextLong(0x0010_0000_0000_0000L)); // subnormal
                default -> r.nextDouble(-1e6, 1e6);
            };
        } while (!Double.isFinite(d));
        return d;
    }

    private static String randomString(SplittableRandom r) {
        StringBuilder s = new StringBuilder();
        int n = r.nextInt(12);
        for (int i = 0; i < n; i++) {
            s.appendCodePoint(
                    switch (r.nextInt(4)) {
                        case 0 -> r.nextInt(0x20, 0x7f);
                        case 1 -> r.nextInt(0, 0x20);
                        case 2 -> r.nextInt(0x80, 0xd800);
                        default -> r.nextInt(0x10000, 0x10ffff);
                    });
        }
        return s.toString();
    }

    private static void assertBitExact(Mixed got, Mixed expected, long seed) {
        assertThat(Double.doubleToRawLongBits(got.d()))
                .as("seed %d", seed)
                .isEqualTo(Double.doubleToRawLongBits(expected.d()));
        if (expected.boxed() != null) {
            assertThat(Double.doubleToRawLongBits(got.boxed())).isEqualTo(Double.doubleToRawLongBits(expected.boxed()));
        }
    }
}
