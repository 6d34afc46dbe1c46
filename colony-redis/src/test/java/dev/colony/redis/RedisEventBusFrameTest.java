package dev.colony.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.bus.Event;
import dev.colony.bus.Subject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisEventBusFrameTest {
    record Order(String id, int quantity, List<String> tags) {}

    private final RedisEventBusFrame codec = new RedisEventBusFrame(getClass().getClassLoader());

    private RedisEventBusFrame.Decoded roundTrip(Object payload, int priority) {
        byte[] frame = codec.encode("n1", "n1-7", new Event(Subject.of("orders.new"), payload, priority));
        List<RedisEventBusFrame.Decoded> decoded = codec.decode(frame, "orders.new");
        assertThat(decoded).hasSize(1);
        return decoded.getFirst();
    }

    @Test
    void encode_writesTheDocumentedCloudEventsFrame() {
        byte[] frame = codec.encode("n1", "n1-7", new Event(Subject.of("orders.new"), "hi", 6));
        assertThat(new String(frame, StandardCharsets.UTF_8))
                .isEqualTo(
                        "{\"colonynode\":\"n1\",\"specversion\":\"1.0\",\"id\":\"n1-7\",\"source\":\"colony:node/n1\","
                                + "\"type\":\"dev.colony.event\",\"subject\":\"orders.new\",\"priority\":6,"
                                + "\"datacontenttype\":\"application/json\",\"data\":\"hi\"}");
        assertThat(frame).startsWith(RedisEventBusFrame.echoPrefix("n1"));
    }

    @Test
    void roundTrip_keepsScalarsTreesAndRecords() {
        assertThat(roundTrip("text", 4))
                .isEqualTo(new RedisEventBusFrame.Decoded("n1-7", "n1", 0, 4, "orders.new", "text"));
        assertThat(roundTrip(42, 9).payload()).isEqualTo(42);
        assertThat(roundTrip(1L << 40, 0).payload()).isEqualTo(1L << 40);
        assertThat(roundTrip(0.1, 4).payload()).isEqualTo(0.1);
        assertThat(roundTrip(true, 4).payload()).isEqualTo(true);
        assertThat(roundTrip(Map.of("a", List.of(1, "b")), 4).payload()).isEqualTo(Map.of("a", List.of(1, "b")));
        Order order = new Order("o-1", 3, List.of("x"));
        assertThat(roundTrip(order, 4).payload()).isEqualTo(order);
    }

    @Test
    void decode_foreignFramesNeedOnlyData() {
        RedisEventBusFrame.Decoded minimal = decode("{\"data\":{\"n\":1}}");
        assertThat(minimal).isEqualTo(new RedisEventBusFrame.Decoded(null, null, 0, 4, "orders.new", Map.of("n", 1)));
        assertThat(decode("{\"specversion\":\"1.0\",\"priority\":\"7\",\"extra\":[1],\"data\":\"x\"}")
                        .priority())
                .isEqualTo(7);
        assertThat(decode("{\"data\":{\"id\":\"o-2\",\"quantity\":1,\"tags\":[]},\"colonytype\":\""
                                + Order.class.getName() + "\"}")
                        .payload())
                .isEqualTo(new Order("o-2", 1, List.of()));
        // a type that is not a record (or not here) is not bound: the payload stays a JSON tree
        assertThat(decode("{\"colonytype\":\"java.lang.Thread\",\"data\":{\"a\":1}}")
                        .payload())
                .isEqualTo(Map.of("a", 1));
        assertThat(decode("{\"colonytype\":\"com.example.Missing\",\"data\":[1]}")
                        .payload())
                .isEqualTo(List.of(1));
    }

    @Test
    void decode_malformedFrames_sayWhatIsWrong() {
        assertMalformed("not json", "not valid JSON");
        assertMalformed("\"text\"", "must be a JSON object");
        assertMalformed("{\"priority\":4}", "missing attribute data");
        assertMalformed("{\"data\":null}", "missing attribute data");
        assertMalformed("{\"priority\":10,\"data\":1}", "priority must be 0-9");
        assertMalformed("{\"priority\":\"high\",\"data\":1}", "priority must be an integer");
        assertMalformed("{\"specversion\":\"0.3\",\"data\":1}", "unsupported specversion");
        assertMalformed("{\"subject\":\"other\",\"data\":1}", "differs from the channel's subject");
        assertMalformed("{\"data\":1,\"data\":2}", "not valid JSON");
        assertMalformed("{\"x\":1,\"data\":1,\"x\":2}", "not valid JSON");
        assertMalformed("{\"data\":{\"a\":{\"b\":1,\"b\":2}}}", "not valid JSON");
        assertMalformed(
                "{\"colonytype\":\"" + Order.class.getName() + "\",\"data\":{\"quantity\":\"many\"}}",
                "does not fit " + Order.class.getName());
    }

    @Test
    void encode_aPayloadJacksonCannotWrite_isRefusedWithItsType() {
        assertThatThrownBy(() -> codec.encode("n1", "n1-1", new Event(Subject.of("a"), new Object())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object");
    }

    private RedisEventBusFrame.Decoded decode(String json) {
        List<RedisEventBusFrame.Decoded> decoded = codec.decode(json.getBytes(StandardCharsets.UTF_8), "orders.new");
        assertThat(decoded).hasSize(1);
        return decoded.getFirst();
    }

    @Test
    void batch_isAnArrayOfFramesDecodedInOrder() {
        List<byte[]> frames = List.of(
                codec.encode("n1", "n1-1", new Event(Subject.of("orders.new"), "a")),
                codec.encode("n1", "n1-2", new Event(Subject.of("orders.new"), 2, 9)));
        byte[] batch = RedisEventBusFrame.batch(frames, frames.get(0).length + frames.get(1).length);
        assertThat(new String(batch, StandardCharsets.UTF_8))
                .startsWith("[{\"colonynode\":\"n1\"")
                .endsWith("}]")
                .contains("},{");
        assertThat(codec.decode(batch, "orders.new"))
                .containsExactly(
                        new RedisEventBusFrame.Decoded("n1-1", "n1", 0, 4, "orders.new", "a"),
                        new RedisEventBusFrame.Decoded("n1-2", "n1", 0, 9, "orders.new", 2));
        assertMalformed("[]", "an empty batch");
        assertMalformed("[{\"data\":1},2]", "array of JSON objects");
        assertMalformed("{\"data\":1} {}", "content after");
    }

    @Test
    void encode_plainStrings_areTheBytesJacksonWrites() {
        List<String> texts = List.of(
                "",
                "x".repeat(200),
                "printable ~!@#$%^&*()_+{}[]|:;'<>,.?/`",
                "a \"quote\"",
                "back\\slash",
                "tab\there",
                "line\nbreak",
                "\u0001",
                "caf\u00e9",
                "\ud83d\ude00");
        for (String text : texts) {
            for (int priority : new int[] {0, 4, 9}) {
                Event event = new Event(Subject.of("orders.eu.new"), text, priority);
                assertThat(new String(codec.encode("n1", "n1-42", event), StandardCharsets.UTF_8))
                        .as("%s, priority %d", text, priority)
                        .isEqualTo(new String(codec.encodeWithJackson("n1", "n1-42", event), StandardCharsets.UTF_8));
            }
        }
        Event odd = new Event(Subject.of("caf\u00e9.\"q\""), "text");
        assertThat(codec.encode("n1", "n1-1", odd)).isEqualTo(codec.encodeWithJackson("n1", "n1-1", odd));
        assertThat(RedisEventBusPlainFrame.encode("n1", "n1-1", "a", 4, "tab\t"))
                .isNull();
        assertThat(RedisEventBusPlainFrame.encode("n1", "n1-1", "a", 4, "plain"))
                .isNotNull();
    }

    @Test
    void decode_nodeChannelBatch_subjectsFromTheFramesInOrderAndUnwantedDataSkipped() {
        List<byte[]> frames = List.of(
                codec.encode("n1", "n1-1", new Event(Subject.of("a.one"), "first")),
                codec.encode("n1", "n1-2", new Event(Subject.of("b.two"), Map.of("big", List.of(1, 2, 3)), 9)),
                codec.encode("n1", "n1-3", new Event(Subject.of("a.three"), new Order("o-3", 1, List.of()))));
        int bytes = frames.stream().mapToInt(f -> f.length).sum();
        byte[] batch = RedisEventBusFrame.batch(frames, bytes);

        assertThat(codec.decode(batch, null, subject -> subject.startsWith("a.")))
                .containsExactly(
                        new RedisEventBusFrame.Decoded("n1-1", "n1", 0, 4, "a.one", "first"),
                        new RedisEventBusFrame.Decoded("n1-2", "n1", 0, 9, "b.two", null),
                        new RedisEventBusFrame.Decoded("n1-3", "n1", 0, 4, "a.three", new Order("o-3", 1, List.of())));
        assertThat(codec.decode(batch, null, subject -> false))
                .extracting(RedisEventBusFrame.Decoded::payload)
                .containsOnlyNulls();
        assertThat(codec.decode(batch, null, null))
                .extracting(RedisEventBusFrame.Decoded::subject)
                .containsExactly("a.one", "b.two", "a.three");
    }

    @Test
    void decode_nodeChannelFrameWithoutSubjectOrData_isMalformedEvenWhenSkipped() {
        assertThatThrownBy(() -> codec.decode(
                        "[{\"subject\":\"a.b\",\"data\":1},{\"data\":2}]".getBytes(StandardCharsets.UTF_8),
                        null,
                        s -> true))
                .isInstanceOf(RedisEventBusFrame.MalformedFrame.class)
                .hasMessageContaining("missing attribute subject");
        assertThatThrownBy(() -> codec.decode(
                        "{\"subject\":\"a.b\",\"data\":null}".getBytes(StandardCharsets.UTF_8), null, s -> false))
                .isInstanceOf(RedisEventBusFrame.MalformedFrame.class)
                .hasMessageContaining("missing attribute data");
        assertThat(codec.decode(
                        "{\"data\":[1],\"subject\":\"b.c\"}".getBytes(StandardCharsets.UTF_8), null, s -> false))
                .extracting(RedisEventBusFrame.Decoded::payload)
                .containsOnlyNulls(); // data before subject: read, then dropped
    }

    private void assertMalformed(String json, String message) {
        assertThatThrownBy(() -> decode(json))
                .isInstanceOf(RedisEventBusFrame.MalformedFrame.class)
                .hasMessageContaining(message);
    }
}
