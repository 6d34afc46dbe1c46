package dev.colony.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one-pass decode binds {@code data} wherever it stands, and the codec's errors do not depend on
 * whether the one-pass or the two-pass decode found them.
 */
class CloudEventReaderTest {
    record Point(int x, int y) {}

    private static final String HEAD = "\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"colony:agent/a\"";
    private static final String TAIL = "\"type\":\"t\",\"time\":\"2026-11-27T10:00:00Z\",\"tenant\":\"acme\"";

    private final JsonMapper mapper = JsonMessageCodec.newMapper();
    private final JsonMessageCodec codec = JsonMessageCodec.create();

    @ParameterizedTest
    @ValueSource(strings = {"first", "middle", "last"})
    void readBinding_dataAnywhere_bindsInTheSamePass(String where) {
        byte[] bytes = message(where, "{\"x\":1,\"y\":2}");

        CloudEventReader.Attributes attributes =
                CloudEventReader.readBinding(mapper, CodecLimits.DEFAULTS, bytes, Point.class);

        assertThat(attributes.payload()).isEqualTo(new Point(1, 2));
        assertThat(attributes.headers()).containsEntry("tenant", "acme");
        assertThat(attributes.toEnvelope()).isEqualTo(codec.decode(bytes, Point.class));
    }

    @ParameterizedTest
    @ValueSource(strings = {"first", "middle", "last"})
    void readBinding_untyped_bindsTheTree(String where) {
        byte[] bytes = message(where, "{\"a\":[1,2.5,\"s\",null,true]}");

        Object payload = CloudEventReader.readBinding(mapper, CodecLimits.DEFAULTS, bytes, Object.class)
                .payload();

        assertThat(payload).isEqualTo(Map.of("a", Arrays.asList(1, 2.5, "s", null, true)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"text\"", "{\"x\":\"one\",\"y\":2}", "{\"x\":1,\"x\":2}", "[1,2]"})
    void readBinding_payloadNotFitting_givesUpForTheTwoPassDecode(String data) {
        byte[] bytes = message("first", data);

        assertThatThrownBy(() -> CloudEventReader.readBinding(mapper, CodecLimits.DEFAULTS, bytes, Point.class))
                .isExactlyInstanceOf(CloudEventReader.DataMismatch.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"first", "middle", "last"})
    void decode_dataNotFittingAndAttributeMissing_reportsTheAttributeWhereverDataStands(String where) {
        byte[] bytes = message(where, "\"text\"", HEAD.replace(",\"id\":\"x\"", ""));

        assertThatThrownBy(() -> codec.decode(bytes, Point.class))
                .isExactlyInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("missing required attribute id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"first", "middle", "last"})
    void decode_dataNotFitting_reportsThePayloadTypeWhereverDataStands(String where) {
        byte[] bytes = message(where, "{\"x\":\"one\",\"y\":2}");

        assertThatThrownBy(() -> codec.decode(bytes, Point.class))
                .isExactlyInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("data does not fit " + Point.class.getName())
                .hasNoCause();
    }

    @ParameterizedTest
    @ValueSource(strings = {"first", "middle", "last"})
    void decode_rawJson_keepsTheTextWhereverDataStands(String where) {
        String data = "{ \"x\" : 1.50, \"y\":[ 2 ] }";

        assertThat(codec.decode(message(where, data), RawJson.class).payload()).isEqualTo(new RawJson(data));
    }

    @Test
    void decode_encodedMessage_bindsTypedAndUntyped() {
        Envelope sent = Envelope.of(AgentId.of("a"), AgentId.of("b"), "t", new Point(3, 4));
        byte[] bytes = codec.encode(sent);

        assertThat(codec.decode(bytes, Point.class)).isEqualTo(sent);
        assertThat(codec.decode(bytes).payload()).isEqualTo(Map.of("x", 3, "y", 4));
        assertThat(CloudEventReader.readBinding(mapper, CodecLimits.DEFAULTS, bytes, Point.class)
                        .toEnvelope())
                .isEqualTo(sent);
    }

    private static byte[] message(String where, String data) {
        return message(where, data, HEAD);
    }

    private static byte[] message(String where, String data, String head) {
        String json = switch (where) {
            case "first" -> "{\"data\":" + data + "," + head + "," + TAIL + "}";
            case "middle" -> "{" + head + ",\"data\":" + data + "," + TAIL + "}";
            case "last" -> "{" + head + "," + TAIL + ",\"data\":" + data + "}";
            default -> throw new IllegalArgumentException(where);
        };
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
