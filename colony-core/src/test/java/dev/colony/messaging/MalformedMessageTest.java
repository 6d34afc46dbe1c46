package dev.colony.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of bad input is a {@link MalformedMessageException} stating the reason, never a Jackson type. */
class MalformedMessageTest {
    record Point(int x, int y) {}

    private static final String VALID =
            new String(JsonMessageCodecTest.handWritten("{\"x\":1,\"y\":2}"), StandardCharsets.UTF_8);

    private final JsonMessageCodec codec = JsonMessageCodec.create();

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("", "not valid JSON: no content"),
                Arguments.of("   ", "not valid JSON: no content"),
                Arguments.of("not json", "not valid JSON"),
                Arguments.of("{\"specversion\":", "not valid JSON"),
                Arguments.of(VALID.substring(0, VALID.length() - 1), "not valid JSON"),
                Arguments.of("\u00ff\u00fe{}", "not valid JSON"),
                Arguments.of("[]", "must be a JSON object, got an array"),
                Arguments.of("\"text\"", "must be a JSON object"),
                Arguments.of("null", "must be a JSON object"),
                Arguments.of(VALID + "{}", "content after"),
                Arguments.of(VALID + " x", "not valid JSON"),
                Arguments.of(without("specversion"), "missing required attribute specversion"),
                Arguments.of(without("id"), "missing required attribute id"),
                Arguments.of(without("source"), "missing required attribute source"),
                Arguments.of(without("type"), "missing required attribute type"),
                Arguments.of(without("time"), "missing required attribute time"),
                Arguments.of(without("data"), "missing required attribute data"),
                Arguments.of(replace("\"1.0\"", "\"0.3\""), "unsupported specversion \"0.3\""),
                Arguments.of(replace("\"1.0\"", "1.0"), "specversion must be a string, got a number"),
                Arguments.of(replace("\"id\":\"x\"", "\"id\":7"), "id must be a string"),
                Arguments.of(replace("\"id\":\"x\"", "\"id\":\"\""), "id must not be empty"),
                Arguments.of(replace("\"type\":\"t\"", "\"type\":[\"t\"]"), "type must be a string, got an array"),
                Arguments.of(replace("\"type\":\"t\"", "\"type\":\"\""), "type must not be empty"),
                Arguments.of(replace("colony:agent/a", "https://example.com/a"), "not of the form"),
                Arguments.of(replace("colony:agent/a", "colony:agent/a.b"), "source: invalid agent id \"a.b\""),
                Arguments.of(replace("colony:agent/a", "colony:agent/"), "source: invalid agent id \"\""),
                Arguments.of(replace("2026-11-27T10:00:00Z", "yesterday"), "time \"yesterday\" is not an RFC 3339"),
                Arguments.of(replace("2026-11-27T10:00:00Z", "2026-11-27T10:00:00"), "not an RFC 3339"),
                Arguments.of(replace("\"data\":", "\"data\":null,\"x\":"), "data is null"),
                Arguments.of(with("\"data_base64\":\"AAEC\""), "data_base64"),
                Arguments.of(with("\"datacontenttype\":\"text/plain\""), "unsupported datacontenttype"),
                Arguments.of(with("\"datacontenttype\":5"), "datacontenttype must be a string"),
                Arguments.of(with("\"to\":\"b c\""), "to: invalid agent id \"b c\""),
                Arguments.of(with("\"to\":{}"), "to must be a string, got an object"),
                Arguments.of(with("\"replyto\":\"\""), "replyto: invalid agent id"),
                Arguments.of(with("\"correlationid\":\"\""), "correlationId must be null or non-empty"),
                Arguments.of(with("\"correlationid\":true"), "correlationid must be a string, got a boolean"),
                Arguments.of(with("\"priority\":10"), "priority must be between 0 and 9, got 10"),
                Arguments.of(with("\"priority\":-1"), "priority must be between 0 and 9, got -1"),
                Arguments.of(with("\"priority\":4.5"), "priority must be an integer"),
                Arguments.of(with("\"priority\":\"high\""), "priority must be between 0 and 9, got high"),
                Arguments.of(with("\"deadline\":\"soon\""), "deadline \"soon\" is not an RFC 3339"),
                Arguments.of(with("\"deadline\":1700000000"), "deadline must be a string"),
                Arguments.of(with("\"tags\":[\"a\"]"), "extension attribute tags must be a scalar, got an array"),
                Arguments.of(with("\"Tenant\":\"x\""), "invalid header name \"Tenant\""),
                Arguments.of(with("\"trace-id\":\"x\""), "invalid header name \"trace-id\""),
                Arguments.of(with("\"id\":\"again\""), "Duplicate Object property \"id\""),
                Arguments.of(replace("{\"x\":1,", "{\"x\":1,\"x\":2,"), "Duplicate Object property \"x\""));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void decode_malformed_throwsMalformedMessageWithReason(String json, String reason) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        for (Class<?> payloadType : new Class<?>[] {Object.class, Point.class, RawJson.class}) {
            assertThatThrownBy(() -> codec.decode(bytes, payloadType))
                    .isExactlyInstanceOf(MalformedMessageException.class)
                    .hasMessageContaining(reason)
                    .hasNoCause();
        }
    }

    static Stream<Arguments> payloadMismatch() {
        return Stream.of(
                Arguments.of("\"text\"", Point.class),
                Arguments.of("{\"x\":\"one\",\"y\":2}", Point.class),
                Arguments.of("[1,2]", Map.class),
                Arguments.of("{\"x\":1}", Integer.class));
    }

    @ParameterizedTest
    @MethodSource("payloadMismatch")
    void decode_payloadNotFittingType_throwsMalformedMessageNamingType(String data, Class<?> type) {
        assertThatThrownBy(() -> codec.decode(JsonMessageCodecTest.handWritten(data), type))
                .isExactlyInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("data does not fit " + type.getName())
                .hasNoCause();
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void decode_malformed_messageNamesNoJacksonType(String json, String reason) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                () -> codec.decode(json.getBytes(StandardCharsets.UTF_8)));
        assertThat(thrown.getClass().getName()).doesNotContain("jackson");
        assertThat(reason).isNotEmpty();
    }

    private static String without(String attribute) {
        String s = VALID.replaceAll("\"" + attribute + "\":(\"[^\"]*\"|\\{[^}]*\\}),?", "");
        assertThat(s).isNotEqualTo(VALID);
        return s.replace(",}", "}");
    }

    private static String replace(String from, String to) {
        assertThat(VALID).contains(from);
        return VALID.replace(from, to);
    }

    private static String with(String attribute) {
        return VALID.replaceFirst("\\{", "{" + attribute + ",");
    }
}
