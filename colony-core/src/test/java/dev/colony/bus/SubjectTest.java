package dev.colony.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SubjectTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                ".",
                "..",
                "a..b",
                ".a",
                "a.",
                "a b",
                " a",
                "a ",
                "a\tb",
                "a\nb",
                "a.b\r",
                "a\u00A0b",
                "a\u2007b",
                "a.*",
                "a.>",
                "*",
                ">",
                "a*",
                "*a",
                "a.b>",
                "a.>.b"
            })
    void of_invalidSubject_throwsIllegalArgumentQuotingIt(String value) {
        assertThatThrownBy(() -> Subject.of(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + value + "\"");
    }

    @Test
    void of_null_throwsNullPointer() {
        assertThatThrownBy(() -> Subject.of(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("subject");
    }

    @Test
    void of_longerThanTheLimit_throwsIllegalArgumentQuotingItsStartAndLength() {
        String tooLong = "a".repeat(Subject.MAX_LENGTH + 1);
        assertThatThrownBy(() -> Subject.of(tooLong))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + "a".repeat(40))
                .hasMessageContaining(String.valueOf(Subject.MAX_LENGTH + 1));
    }

    @Test
    void of_exactlyTheLimit_isAccepted() {
        String longest = "ab.".repeat(Subject.MAX_LENGTH / 3) + "a";
        assertThat(longest).hasSize(Subject.MAX_LENGTH);
        assertThat(Subject.of(longest).size()).isEqualTo(Subject.MAX_LENGTH / 3 + 1);
    }

    @Test
    void of_validSubject_exposesTokensAndComparesByText() {
        Subject subject = Subject.of("agent.42.heart-beat_ok");
        assertThat(subject.tokens()).containsExactly("agent", "42", "heart-beat_ok");
        assertThat(subject.size()).isEqualTo(3);
        assertThat(subject.token(1)).isEqualTo("42");
        assertThat(subject.value()).isEqualTo("agent.42.heart-beat_ok");
        assertThat(subject).isEqualTo(Subject.of("agent.42.heart-beat_ok")).hasSameHashCodeAs(subject);
        assertThat(subject).isNotEqualTo(Subject.of("agent.42"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                ".",
                "a..b",
                ".a",
                "a.",
                "a b",
                "a\tb",
                "a\u00A0b",
                ">.a",
                "a.>.b",
                "a*",
                "*a",
                "a.b*.c",
                ">>",
                "**",
                "a.>>",
                "*.>.*"
            })
    void patternOf_invalidPattern_throwsIllegalArgumentQuotingIt(String value) {
        assertThatThrownBy(() -> SubjectPattern.of(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + value + "\"");
    }

    @Test
    void patternOf_nullOrTooLong_isRejected() {
        assertThatThrownBy(() -> SubjectPattern.of(null)).isInstanceOf(NullPointerException.class);
        String tooLong = "*.".repeat(Subject.MAX_LENGTH / 2) + ">";
        assertThatThrownBy(() -> SubjectPattern.of(tooLong))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"*.*.*.");
    }

    @ParameterizedTest
    @CsvSource({"a.b, true", "a.*, false", "*, false", ">, false", "a.*.c.>, false", "task, true"})
    void patternOf_validPattern_knowsWhetherItIsLiteral(String value, boolean literal) {
        SubjectPattern.Wildcard pattern = SubjectPattern.of(value);
        assertThat(pattern.isLiteral()).isEqualTo(literal);
        assertThat(pattern.value()).isEqualTo(value);
        assertThat(pattern.tokens()).containsExactlyElementsOf(List.of(value.split("\\.")));
        assertThat(pattern).isEqualTo(SubjectPattern.of(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "(", "[a-", "*a", "a{2,1}", "\\"})
    void regex_invalidExpression_throwsIllegalArgumentQuotingIt(String expression) {
        assertThatThrownBy(() -> SubjectPattern.regex(expression))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + expression + "\"");
    }

    @Test
    void regex_null_throwsNullPointer() {
        assertThatThrownBy(() -> SubjectPattern.regex(null)).isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest
    @CsvSource({
        "a.b.c, a.b.c, true",
        "a.b.c, a.b, false",
        "a.b, a.b.c, false",
        "a.*.c, a.x.c, true",
        "a.*.c, a.x.y.c, false",
        "a.*, a, false",
        "*, a, true",
        "*, a.b, false",
        "a.>, a.b, true",
        "a.>, a.b.c.d, true",
        "a.>, a, false",
        ">, a, true",
        ">, a.b.c, true",
        "*.>, a, false",
        "*.>, a.b, true",
        "a.*.>, a.b, false",
        "a.*.>, a.b.c, true",
        "*.b.*, x.b.y, true",
        "*.b.*, x.c.y, false"
    })
    void wildcardMatches_documentedExamples_agreeWithTheDocumentation(
            String pattern, String subject, boolean expected) {
        assertThat(SubjectPattern.of(pattern).matches(Subject.of(subject))).isEqualTo(expected);
        assertThat(ReferenceMatcher.matches(pattern, subject))
                .as("the reference matcher")
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"a\\.b, a.b, true", "a\\.b, a.b.c, false", "a, ab, false", "a.*, ab.c, true", "(x|y)\\..+, y.z, true"})
    void regexMatches_wholeSubjectOnly(String expression, String subject, boolean expected) {
        SubjectPattern.Regex regex = SubjectPattern.regex(expression);
        assertThat(regex.matches(Subject.of(subject))).isEqualTo(expected);
        assertThat(regex.value()).isEqualTo(expression);
        assertThat(regex).isEqualTo(SubjectPattern.regex(expression)).isNotEqualTo(SubjectPattern.of("a.b"));
    }
}
