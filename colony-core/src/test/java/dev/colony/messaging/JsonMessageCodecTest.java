package dev.colony.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CloudEvents JSON codec: round trips, messages from other languages, and bad input. */
class JsonMessageCodecTest {
    record Item(String sku, int quantity, BigDecimal price) {}

    record Order(String id, List<Item> items, Map<String, String> notes, double weight, Customer customer) {}

    record Customer(String name, long id, boolean vip) {}

    private static final AgentId ALICE = AgentId.of("alice");
    private static final AgentId BOB = AgentId.of("bob-2");
    private static final Instant TIME = Instant.parse("2026-11-27T10:15:30.123456789Z");

    private final JsonMessageCodec codec = JsonMessageCodec.create();

    private static Envelope full(Object payload) {
        return new Envelope(
                "m-1",
                ALICE,
                BOB,
                "order.placed",
                "corr-9",
                ALICE,
                TIME,
                TIME.plusMillis(2500),
                7,
                Map.of("tenant", "acme", "trace1", "abc"),
                payload);
    }

    private static Order order() {
        return new Order(
                "o-1",
                List.of(
                        new Item("a-1", 2, new BigDecimal("19.990000000000000000001")),
                        new Item("b", 1, BigDecimal.ONE)),
                Map.of("gift", "yes"),
                0.1 + 0.2,
                new Customer("Zoë \"Z\" \u2603", Long.MAX_VALUE, true));
    }

    @Test
    void roundTrip_recordPayload_typedDecodeEqualsOriginal() {
        Envelope sent = full(order());
        Envelope received = codec.decode(codec.encode(sent), Order.class);
        assertThat(received).isEqualTo(sent);
    }

    @Test
    void roundTrip_extremeInstants_exact() {
        Instant first = Instant.parse("0000-01-01T00:00:00Z");
        Instant last = Instant.parse("9999-12-31T23:59:59.999999999Z");
        Envelope sent = full("p").withTime(first).withDeadline(last);
        assertThat(codec.decode(codec.encode(sent))).isEqualTo(sent);
    }

    @Test
    void roundTrip_broadcastWithoutOptionalFields_keepsNulls() {
        Envelope sent = new Envelope("m", ALICE, null, "t", null, null, TIME, null, 0, Map.of(), "hello");
        assertThat(codec.decode(codec.encode(sent))).isEqualTo(sent);
    }

    @Test
    void roundTrip_mapPayload_genericDecodeGivesJacksonFreeTree() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("n", 1);
        payload.put("big", new BigInteger("123456789012345678901234567890"));
        payload.put("long", 1L << 40);
        payload.put("d", 2.5);
        payload.put("s", "x");
        payload.put("b", false);
        payload.put("nil", null);
        payload.put("list", List.of(1, List.of("deep", Map.of("k", List.of())), Map.of("z", true)));
        Envelope received = codec.decode(codec.encode(full(payload)));
        assertThat(received.withPayload("-")).isEqualTo(full("-"));
        assertThat(received.payload()).isEqualTo(payload);
        Map<?, ?> tree = received.payload(Map.class);
        assertThat(List.<Object>copyOf(tree.keySet()))
                .containsExactly("n", "big", "long", "d", "s", "b", "nil", "list");
        assertThat(tree.get("long")).isInstanceOf(Long.class);
        assertNoJacksonTypes(tree);
    }

    @Test
    void roundTrip_recordPayload_genericDecodeGivesNestedMaps() {
        Envelope received = codec.decode(codec.encode(full(order())));
        Map<?, ?> tree = received.payload(Map.class);
        assertThat(tree.get("customer"))
                .isEqualTo(Map.of("name", "Zoë \"Z\" \u2603", "id", Long.MAX_VALUE, "vip", true));
        assertThat(((List<?>) tree.get("items"))).hasSize(2);
        assertNoJacksonTypes(tree);
    }

    @Test
    void roundTrip_scalarPayloads_keepValueAndType() {
        for (Object payload : List.of("text", 42, 3.25, true, List.of(1, 2))) {
            assertThat(codec.decode(codec.encode(full(payload))).payload()).isEqualTo(payload);
        }
    }

    @Test
    void roundTrip_rawJson_writtenUnchangedAndReadBackDigitForDigit() {
        String json = "{\"x\": 1.000000000000000000000001, \"y\":[ -0.0 ,1e400], \"s\":\"\\u00e9\"}";
        byte[] bytes = codec.encode(full(new RawJson(json)));
        assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"data\":" + json);
        assertThat(codec.decode(bytes, RawJson.class).payload()).isEqualTo(new RawJson(json));
    }

    @Test
    void decode_rawJsonOfScalarData_givesExactText() {
        for (String data : List.of("\"a \\\"quoted\\\" string\"", "12.50", "-0.0", "true", "[]", "{}")) {
            byte[] bytes = handWritten(data);
            assertThat(codec.decode(bytes, RawJson.class).payload()).isEqualTo(new RawJson(data));
        }
    }

    @Test
    void encode_invalidRawJson_throwsIllegalArgument() {
        for (String bad : List.of("{", "[1,]", "1 2", "{\"a\":1}}", "nope")) {
            assertThatThrownBy(() -> codec.encode(full(new RawJson(bad))), bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("raw JSON");
        }
    }

    @Test
    void encode_writesCloudEventsAttributes() {
        String json = new String(codec.encode(full("p")), StandardCharsets.UTF_8);
        assertThat(json)
                .startsWith("{\"specversion\":\"1.0\",\"id\":\"m-1\",\"source\":\"colony:agent/alice\"")
                .contains("\"type\":\"order.placed\"")
                .contains("\"time\":\"2026-11-27T10:15:30.123456789Z\"")
                .contains("\"to\":\"bob-2\"", "\"correlationid\":\"corr-9\"", "\"replyto\":\"alice\"")
                .contains("\"priority\":7", "\"deadline\":\"2026-11-27T10:15:32.623456789Z\"")
                .contains("\"tenant\":\"acme\"", "\"trace1\":\"abc\"")
                .contains("\"datacontenttype\":\"application/json\"")
                .endsWith("\"data\":\"p\"}");
    }

    /** A message as a Python or Go client would write it: other order, offsets, extra extensions. */
    @Test
    void decode_handWrittenForeignMessage_readsEveryAttribute() {
        String json = """
                {
                  "data": {"sku": "a-1", "quantity": 3, "price": 0.30000000000000004, "extra": [1, 2]},
                  "priority": "8",
                  "deadline": "2026-11-27t12:00:00+01:00",
                  "datacontenttype": "application/json; charset=utf-8",
                  "traceparent": "00-abc-def-01",
                  "retries": 2,
                  "sampled": true,
                  "nothing": null,
                  "subject": "orders",
                  "replyto": "py_client",
                  "correlationid": "req-17",
                  "to": "bob-2",
                  "time": "2026-11-27T10:15:30.5Z",
                  "type": "order.item",
                  "source": "colony:agent/py_client",
                  "id": "8c3d",
                  "specversion": "1.0"
                }
                """;
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        Envelope e = codec.decode(bytes, Item.class);
        assertThat(e.id()).isEqualTo("8c3d");
        assertThat(e.source()).isEqualTo(AgentId.of("py_client"));
        assertThat(e.recipient()).isEqualTo(BOB);
        assertThat(e.type()).isEqualTo("order.item");
        assertThat(e.correlationId()).isEqualTo("req-17");
        assertThat(e.replyTo()).isEqualTo(AgentId.of("py_client"));
        assertThat(e.time()).isEqualTo(Instant.parse("2026-11-27T10:15:30.5Z"));
        assertThat(e.deadline()).isEqualTo(Instant.parse("2026-11-27T11:00:00Z"));
        assertThat(e.priority()).isEqualTo(8);
        assertThat(e.headers()).isEqualTo(Map.of("traceparent", "00-abc-def-01", "retries", "2", "sampled", "true"));
        assertThat(e.payload()).isEqualTo(new Item("a-1", 3, new BigDecimal("0.30000000000000004")));
        assertThat(codec.decode(bytes).payload(Map.class).get("price")).isEqualTo(0.1 + 0.2);
    }

    @Test
    void decode_minimalForeignMessage_usesDefaults() {
        Envelope e = codec.decode(handWritten("[1]"));
        assertThat(e.recipient()).isNull();
        assertThat(e.priority()).isEqualTo(4);
        assertThat(e.headers()).isEmpty();
        assertThat(e.payload()).isEqualTo(List.of(1));
    }

    @Test
    void sizeLimit_encodeOverLimit_throwsMessageTooLarge() {
        JsonMessageCodec small = JsonMessageCodec.create(400);
        byte[] fits = small.encode(full("x"));
        assertThat(fits.length).isLessThanOrEqualTo(400);
        assertThatThrownBy(() -> small.encode(full("x".repeat(400))))
                .isInstanceOfSatisfying(MessageTooLargeException.class, e -> {
                    assertThat(e.limit()).isEqualTo(400);
                    assertThat(e.size()).isGreaterThan(400);
                })
                .hasMessageContaining("encoded")
                .hasMessageContaining("limit is 400 bytes");
    }

    @Test
    void sizeLimit_default1MiB_appliesOnEncodeAndDecode() {
        assertThat(codec.maxMessageBytes()).isEqualTo(1 << 20);
        String big = "x".repeat(1 << 20);
        assertThatThrownBy(() -> codec.encode(full(big))).isInstanceOf(MessageTooLargeException.class);
        byte[] bytes = JsonMessageCodec.create(2 << 20).encode(full(big));
        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(MessageTooLargeException.class)
                .hasMessageContaining("received message is " + bytes.length + " bytes");
        assertThat(JsonMessageCodec.create(2 << 20).decode(bytes).payload()).isEqualTo(big);
    }

    @Test
    void sizeLimit_decodeExactlyAtLimit_accepted() {
        byte[] bytes = codec.encode(full("x"));
        assertThat(JsonMessageCodec.create(bytes.length).decode(bytes).payload())
                .isEqualTo("x");
        assertThatThrownBy(() -> JsonMessageCodec.create(bytes.length - 1).decode(bytes))
                .isInstanceOf(MessageTooLargeException.class);
    }

    @Test
    void create_nonPositiveLimit_throwsIllegalArgument() {
        assertThatThrownBy(() -> JsonMessageCodec.create(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxMessageBytes");
    }

    @Test
    void encode_unencodablePayload_throwsIllegalArgumentWithoutJacksonCause() {
        Object selfReferencing = new Object() {
            @SuppressWarnings("unused")
            public Object getSelf() {
                return this;
            }
        };
        assertThatThrownBy(() -> codec.encode(full(selfReferencing)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be encoded as JSON")
                .hasNoCause();
    }

    static byte[] handWritten(String data) {
        return ("{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"colony:agent/a\",\"type\":\"t\","
                        + "\"time\":\"2026-11-27T10:00:00Z\",\"data\":" + data + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static void assertNoJacksonTypes(Object node) {
        assertThat(node == null || !node.getClass().getName().startsWith("tools.jackson"))
                .as("type %s", node == null ? null : node.getClass())
                .isTrue();
        if (node instanceof Map<?, ?> map) {
            map.values().forEach(JsonMessageCodecTest::assertNoJacksonTypes);
        } else if (node instanceof List<?> list) {
            list.forEach(JsonMessageCodecTest::assertNoJacksonTypes);
        }
    }
}
