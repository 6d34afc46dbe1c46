package dev.colony.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each limit of the JSON codec: at the limit a message decodes, one past it is refused with its reason. */
class CodecLimitsTest {
    record Point(int x, int y) {}

    private static final Class<?>[] TYPES = {Object.class, Map.class, RawJson.class};

    private final JsonMessageCodec codec = JsonMessageCodec.builder()
            .maxDepth(8)
            .maxNumberLength(20)
            .maxStringLength(100)
            .maxNameLength(30)
            .build();

    @Test
    void defaults_areDocumentedValues() {
        JsonMessageCodec defaults = JsonMessageCodec.create();
        assertThat(defaults.maxMessageBytes()).isEqualTo(1 << 20);
        assertThat(defaults.maxDepth()).isEqualTo(64);
        assertThat(defaults.maxNumberLength()).isEqualTo(256);
        assertThat(defaults.maxStringLength()).isEqualTo(1 << 20);
        assertThat(defaults.maxNameLength()).isEqualTo(1024);
    }

    @Test
    void decode_dataNestedAtTheLimit_decodes() {
        for (Class<?> type : new Class<?>[] {Object.class, RawJson.class}) {
            assertThat(codec.decode(message(nested(8)), type).payload()).isNotNull();
        }
    }

    @Test
    void decode_dataNestedPastTheLimit_refusedWithDepthReason() {
        refused(message(nested(9)), "data nests deeper than 8 levels");
        refused(message("{\"a\":" + nested(8) + "}"), "data nests deeper than 8 levels");
    }

    @Test
    void decode_numberAtTheLimit_decodes() {
        assertThat(codec.decode(message("1".repeat(20))).payload()).isNotNull();
    }

    @Test
    void decode_numberPastTheLimit_refusedWithNumberReason() {
        refused(message("1".repeat(21)), "a number has more than 20 digits");
        refused(message("[0." + "5".repeat(30) + "]"), "a number has more than 20 digits");
        refused(message("{\"x\":" + "9".repeat(21) + ",\"y\":1}"), "a number has more than 20 digits");
    }

    @Test
    void decode_stringPastTheLimit_refusedWithStringReason() {
        assertThat(codec.decode(message(quoted("s".repeat(100)))).payload()).isEqualTo("s".repeat(100));
        refused(message(quoted("s".repeat(101))), "a string is longer than 100 characters");
        refused(message("[1,{\"k\":" + quoted("é".repeat(101)) + "}]"), "a string is longer than 100 characters");
    }

    @Test
    void decode_namePastTheLimit_refusedWithNameReason() {
        assertThat(codec.decode(message("{" + quoted("n".repeat(30)) + ":1}")).payload())
                .isNotNull();
        refused(message("{" + quoted("n".repeat(31)) + ":1}"), "a property name is longer than 30 characters");
        String longAttribute = new String(message("1"), StandardCharsets.UTF_8)
                .replaceFirst("\\{", "{" + quoted("a".repeat(31)) + ":\"x\",");
        refused(longAttribute.getBytes(StandardCharsets.UTF_8), "a property name is longer than 30 characters");
    }

    @Test
    void decode_reportedCasesUnderDefaults_refusedWithReason() {
        JsonMessageCodec defaults = JsonMessageCodec.create();
        refusedBy(defaults, message(nested(500)), "data nests deeper than 64 levels");
        refusedBy(defaults, message("1".repeat(1001)), "a number has more than 256 digits");
        String attribute = new String(message("1"), StandardCharsets.UTF_8)
                .replaceFirst("\\{", "{" + quoted("a".repeat(50_000)) + ":\"x\",");
        refusedBy(
                defaults, attribute.getBytes(StandardCharsets.UTF_8), "a property name is longer than 1024 characters");
    }

    @Test
    void builder_invalidSetting_namesItAndQuotesTheValue() {
        assertThatThrownBy(() -> JsonMessageCodec.builder().maxDepth(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxDepth must be between 1 and 10000, got 0");
        assertThatThrownBy(() -> JsonMessageCodec.builder().maxNumberLength(-3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxNumberLength")
                .hasMessageContaining("-3");
    }

    private void refused(byte[] bytes, String reason) {
        refusedBy(codec, bytes, reason);
    }

    private static void refusedBy(JsonMessageCodec codec, byte[] bytes, String reason) {
        for (Class<?> type : TYPES) {
            assertThatThrownBy(() -> codec.decode(bytes, type), type.getName())
                    .isExactlyInstanceOf(MalformedMessageException.class)
                    .hasMessage(reason)
                    .hasNoCause();
        }
        assertThatThrownBy(() -> codec.decode(bytes, Point.class)).isExactlyInstanceOf(MalformedMessageException.class);
    }

    static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    private static String quoted(String text) {
        return "\"" + text + "\"";
    }

    private static byte[] message(String data) {
        return JsonMessageCodecTest.handWritten(data);
    }
}
