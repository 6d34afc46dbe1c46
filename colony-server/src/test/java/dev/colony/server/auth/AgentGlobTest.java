package dev.colony.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AgentGlobTest {
    @Test
    void matches_examples_followTheGlobRules() {
        assertThat(new AgentGlob("w1").matches("w1")).isTrue();
        assertThat(new AgentGlob("w1").matches("w12")).isFalse();
        assertThat(new AgentGlob("worker-*").matches("worker-")).isTrue();
        assertThat(new AgentGlob("worker-*").matches("worker-17")).isTrue();
        assertThat(new AgentGlob("worker-*").matches("workers-1")).isFalse();
        assertThat(new AgentGlob("*-render").matches("a-b-render")).isTrue();
        assertThat(new AgentGlob("a*b*c").matches("aXbYbZc")).isTrue();
        assertThat(new AgentGlob("a*b*c").matches("aXbYbZ")).isFalse();
        assertThat(new AgentGlob("*").matches("anything")).isTrue();
    }

    @Test
    void matches_randomGlobs_agreeWithTheEquivalentRegex() {
        long seed = PatternCoverageTest.seed("matches_randomGlobs_agreeWithTheEquivalentRegex", 1789L);
        Random random = new Random(seed);
        String alphabet = "ab-*";
        for (int i = 0; i < 20_000; i++) {
            String glob = randomText(random, alphabet, 1 + random.nextInt(6));
            String id = randomText(random, "ab-", 1 + random.nextInt(8));
            boolean expected = Pattern.matches(glob.replace("*", ".*"), id);
            assertThat(new AgentGlob(glob).matches(id))
                    .as("[seed %d] %s matches %s", seed, glob, id)
                    .isEqualTo(expected);
        }
    }

    @Test
    void new_badPattern_isRefusedQuotingIt() {
        assertThatThrownBy(() -> new AgentGlob("w.1")).hasMessageContaining("invalid agent pattern \"w.1\"");
        assertThatThrownBy(() -> new AgentGlob("")).hasMessageContaining("invalid agent pattern \"\"");
        assertThatThrownBy(() -> new AgentGlob("w>")).hasMessageContaining("\"w>\"");
    }

    private static String randomText(Random random, String alphabet, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
