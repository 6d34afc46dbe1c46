package dev.colony.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.bus.Event;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Validation of the messaging values: agent ids and envelopes. */
class ValuesTest {
    private static final AgentId ALICE = AgentId.of("alice");
    private static final AgentId BOB = AgentId.of("bob");

    @ParameterizedTest
    @ValueSource(strings = {"a", "Agent_42", "worker-7", "A-b_C-9", "-", "_"})
    void agentId_validToken_keepsText(String value) {
        assertThat(AgentId.of(value).value()).isEqualTo(value);
        assertThat(AgentId.of(value).toString()).isEqualTo(value);
        assertThat(AgentId.of(value)).isEqualTo(new AgentId(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a.b", "a b", "a*", "a>", "a/b", "ä", "a\u00a0", "a:b", "a\n", "é-1", "a+b"})
    void agentId_forbiddenCharacter_throwsIllegalArgumentQuotingIt(String value) {
        assertThatThrownBy(() -> AgentId.of(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + value + "\"")
                .hasMessageContaining("[A-Za-z0-9_-]");
    }

    @Test
    void newId_manyIds_distinctVersion4Uuids() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            String id = Envelope.newId();
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(uuid.toString()).isEqualTo(id);
            ids.add(id);
        }
        assertThat(ids).hasSize(100_000);
    }

    @Test
    void agentId_maxLength_accepted() {
        assertThat(AgentId.of("x".repeat(128)).value()).hasSize(128);
    }

    @Test
    void agentId_emptyOrTooLong_throwsIllegalArgument() {
        assertThatThrownBy(() -> AgentId.of(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"\"");
        assertThatThrownBy(() -> AgentId.of("x".repeat(129)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("129")
                .hasMessageContaining("128");
    }

    @Test
    void agentId_null_throwsNullPointer() {
        assertThatThrownBy(() -> AgentId.of(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void envelope_of_fillsDefaults() {
        Instant before = Instant.now();
        Envelope e = Envelope.of(ALICE, BOB, "greet", "hi");
        assertThat(e.id()).hasSize(36);
        assertThat(e.source()).isEqualTo(ALICE);
        assertThat(e.recipient()).isEqualTo(BOB);
        assertThat(e.type()).isEqualTo("greet");
        assertThat(e.time()).isAfterOrEqualTo(before);
        assertThat(e.priority()).isEqualTo(Event.NORMAL_PRIORITY);
        assertThat(e.headers()).isEmpty();
        assertThat(e.correlationId()).isNull();
        assertThat(e.replyTo()).isNull();
        assertThat(e.deadline()).isNull();
        assertThat(Envelope.of(ALICE, BOB, "greet", "hi").id()).isNotEqualTo(e.id());
    }

    @Test
    void envelope_withers_changeOneFieldEach() {
        Envelope e = Envelope.of(ALICE, BOB, "greet", "hi");
        Instant t = Instant.parse("2026-01-02T03:04:05.123456789Z");
        Envelope changed = e.withId("m1")
                .withRecipient(null)
                .withCorrelationId("c1")
                .withReplyTo(ALICE)
                .withTime(t)
                .withDeadline(t.plusSeconds(5))
                .withPriority(9)
                .withHeader("tenant", "acme")
                .withPayload(42);
        assertThat(changed)
                .isEqualTo(new Envelope(
                        "m1", ALICE, null, "greet", "c1", ALICE, t, t.plusSeconds(5), 9, Map.of("tenant", "acme"), 42));
        assertThat(changed.withHeaders(Map.of()).headers()).isEmpty();
        assertThat(e.recipient()).isEqualTo(BOB);
    }

    @Test
    void envelope_headers_defensivelyCopied() {
        Map<String, String> headers = new HashMap<>(Map.of("a1", "x"));
        Envelope e = Envelope.of(ALICE, BOB, "t", "p").withHeaders(headers);
        headers.put("b2", "y");
        assertThat(e.headers()).containsExactly(Map.entry("a1", "x"));
        assertThatThrownBy(() -> e.headers().put("c", "z")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void envelope_payloadAsType_castsOrNamesBothTypes() {
        Envelope e = Envelope.of(ALICE, BOB, "t", "text");
        assertThat(e.payload(String.class)).isEqualTo("text");
        assertThatThrownBy(() -> e.payload(Integer.class))
                .isInstanceOf(ClassCastException.class)
                .hasMessageContaining("java.lang.String")
                .hasMessageContaining("java.lang.Integer");
    }

    @Test
    void envelope_missingRequiredField_throwsNullPointerNamingIt() {
        Envelope e = Envelope.of(ALICE, BOB, "t", "p");
        assertThatThrownBy(() -> e.withId(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("id");
        assertThatThrownBy(() -> Envelope.of(null, BOB, "t", "p"))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("source");
        assertThatThrownBy(() -> Envelope.of(ALICE, BOB, null, "p"))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("type");
        assertThatThrownBy(() -> e.withTime(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("time");
        assertThatThrownBy(() -> e.withHeaders(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("headers");
        assertThatThrownBy(() -> e.withPayload(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("payload");
    }

    @Test
    void envelope_emptyText_throwsIllegalArgumentNamingIt() {
        Envelope e = Envelope.of(ALICE, BOB, "t", "p");
        assertThatThrownBy(() -> e.withId(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("id");
        assertThatThrownBy(() -> Envelope.of(ALICE, BOB, "", "p"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("type");
        assertThatThrownBy(() -> e.withCorrelationId(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("correlationId");
    }

    @Test
    void envelope_instantOutsideRfc3339Years_throwsIllegalArgumentNamingIt() {
        Envelope e = Envelope.of(ALICE, BOB, "t", "p");
        assertThatThrownBy(() -> e.withDeadline(Instant.MAX))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deadline")
                .hasMessageContaining(Instant.MAX.toString());
        assertThatThrownBy(() -> e.withTime(Instant.parse("-0001-12-31T23:59:59Z")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("time");
        Instant last = Instant.parse("9999-12-31T23:59:59.999999999Z");
        Instant first = Instant.parse("0000-01-01T00:00:00Z");
        assertThat(e.withTime(first).withDeadline(last).deadline()).isEqualTo(last);
        assertThatThrownBy(() -> e.withTime(first.minusNanos(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("time");
        assertThatThrownBy(() -> e.withDeadline(last.plusNanos(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deadline");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 10, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void envelope_priorityOutOfRange_throwsIllegalArgumentNamingIt(int priority) {
        assertThatThrownBy(() -> Envelope.of(ALICE, BOB, "t", "p").withPriority(priority))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("priority")
                .hasMessageContaining(String.valueOf(priority));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Tenant", "x-y", "a_b", "a.b", "é", "id", "source", "to", "priority", "data"})
    void envelope_badHeaderName_throwsIllegalArgumentQuotingIt(String name) {
        assertThatThrownBy(() -> Envelope.of(ALICE, BOB, "t", "p").withHeader(name, "v"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + name + "\"");
    }

    @Test
    void envelope_headerNameTooLongOrNullValue_throwsIllegalArgument() {
        Envelope e = Envelope.of(ALICE, BOB, "t", "p");
        assertThat(e.withHeader("a".repeat(64), "v").headers()).hasSize(1);
        assertThatThrownBy(() -> e.withHeader("a".repeat(65), "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> e.withHeader("tenant", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tenant");
        Map<String, String> nullKey = new HashMap<>();
        nullKey.put(null, "v");
        assertThatThrownBy(() -> e.withHeaders(nullKey)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rawJson_blankOrNull_refused() {
        assertThatThrownBy(() -> new RawJson(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RawJson(null)).isInstanceOf(NullPointerException.class);
    }
}
