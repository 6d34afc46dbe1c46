package dev.colony.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.bus.Subject;
import dev.colony.bus.SubjectPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RedisEventBusChannelsTest {
    private final RedisEventBusChannels channels = new RedisEventBusChannels(RedisTarget.of("redis://h", "sw"));

    @Test
    void nodeChannel_underItsOwnPrefix_matchedByTheNodeGlobOnly() {
        assertThat(channels.nodeChannel("abc123")).isEqualTo("colony:{sw}:bus:abc123");
        assertThat(channels.isNodeChannel("colony:{sw}:bus:abc123")).isTrue();
        assertThat(channels.isNodeChannel("colony:{sw}:ev:bus.x")).isFalse();
        assertThat(channels.subject("colony:{sw}:bus:abc123")).isNull();
        assertThat(channels.nodeGlob()).isEqualTo("colony:{sw}:bus:*");
        assertThat(RedisEventBusChannels.globMatches(channels.nodeGlob(), "colony:{sw}:bus:abc123"))
                .isTrue();
        assertThat(RedisEventBusChannels.globMatches(channels.everything(), "colony:{sw}:bus:abc123"))
                .isFalse();
        assertThat(RedisEventBusChannels.globMatches(channels.nodeGlob(), "colony:{sw}:ev:bus.x"))
                .isFalse();
    }

    @Test
    void busChannelsOption_nodeBydefault_subjectOnRequest_otherValuesRefusedNamingIt() {
        assertThat(RedisSettings.defaults().busChannels()).isEqualTo(RedisEventBusChannels.Publishing.NODE);
        assertThat(RedisSettings.from(Map.of("busChannels", "Subject")).busChannels())
                .isEqualTo(RedisEventBusChannels.Publishing.SUBJECT);
        assertThatThrownBy(() -> RedisSettings.from(Map.of("busChannels", "channel")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("busChannels")
                .hasMessageContaining("'channel'");
    }

    @Test
    void channel_isThePrefixAndTheSubject() {
        assertThat(channels.channel("orders.eu.new")).isEqualTo("colony:{sw}:ev:orders.eu.new");
        assertThat(channels.subject("colony:{sw}:ev:orders.eu.new")).isEqualTo("orders.eu.new");
        assertThat(channels.subject("colony:{other}:ev:orders")).isNull();
        assertThat(channels.subject("colony:{sw}:ev:")).isNull();
    }

    @Test
    void glob_wildcardsBecomeStarsAndLiteralTokensAreEscaped() {
        assertThat(glob("orders.eu.new")).isEqualTo("colony:{sw}:ev:orders.eu.new");
        assertThat(glob("orders.*.new")).isEqualTo("colony:{sw}:ev:orders.*.new");
        assertThat(glob("orders.>")).isEqualTo("colony:{sw}:ev:orders.*");
        assertThat(glob(">")).isEqualTo("colony:{sw}:ev:*");
        assertThat(glob("we?rd.[x].a\\b.*")).isEqualTo("colony:{sw}:ev:we\\?rd.\\[x\\].a\\\\b.*");
        assertThat(channels.everything()).isEqualTo("colony:{sw}:ev:*");
    }

    @Test
    void glob_regexUsesItsLiteralPrefix() {
        assertThat(channels.glob(SubjectPattern.regex("orders\\.(eu|us)\\.new")))
                .isEqualTo("colony:{sw}:ev:orders.*");
        assertThat(RedisEventBusChannels.regexPrefix("abc")).isEqualTo("abc");
        assertThat(RedisEventBusChannels.regexPrefix("ab?c")).isEqualTo("a");
        assertThat(RedisEventBusChannels.regexPrefix("ab*")).isEqualTo("a");
        assertThat(RedisEventBusChannels.regexPrefix("ab{0,2}")).isEqualTo("a");
        assertThat(RedisEventBusChannels.regexPrefix("ab+c")).isEqualTo("ab");
        assertThat(RedisEventBusChannels.regexPrefix("a\\.b\\.?c")).isEqualTo("a.b");
        assertThat(RedisEventBusChannels.regexPrefix("a.b")).isEqualTo("a");
        assertThat(RedisEventBusChannels.regexPrefix("a|b")).isEmpty();
        assertThat(RedisEventBusChannels.regexPrefix("ab(c|d)|e")).isEmpty();
        assertThat(RedisEventBusChannels.regexPrefix("a[|]b")).isEqualTo("a");
        assertThat(RedisEventBusChannels.regexPrefix("(?i)abc")).isEmpty();
        assertThat(RedisEventBusChannels.regexPrefix("^abc")).isEmpty();
        assertThat(RedisEventBusChannels.regexPrefix("\\Qa.b\\E")).isEmpty();
        assertThat(RedisEventBusChannels.regexPrefix("\\d+")).isEmpty();
    }

    @Test
    void globMatches_followsRedisGlobForTheGlobsWeWrite() {
        assertThat(RedisEventBusChannels.globMatches("a.*", "a.b.c")).isTrue(); // crosses dots: over-matches
        assertThat(RedisEventBusChannels.globMatches("a.*.c", "a.b.x.c")).isTrue();
        assertThat(RedisEventBusChannels.globMatches("a.*.c", "a.b.d")).isFalse();
        assertThat(RedisEventBusChannels.globMatches("we\\?rd", "we?rd")).isTrue();
        assertThat(RedisEventBusChannels.globMatches("we\\?rd", "weXrd")).isFalse();
        assertThat(RedisEventBusChannels.globMatches("\\[x\\]", "[x]")).isTrue();
        assertThat(RedisEventBusChannels.globMatches("\\[x\\]", "x")).isFalse();
        assertThat(RedisEventBusChannels.globMatches("a\\\\b", "a\\b")).isTrue();
        assertThat(RedisEventBusChannels.globMatches("*", "")).isTrue();
        assertThat(RedisEventBusChannels.globMatches("a*b*c", "aXbYbZc")).isTrue();
        assertThat(RedisEventBusChannels.globMatches("a*b*c", "aXbYbZ")).isFalse();
    }

    /** The glob of a pattern matches the channel of every subject the pattern matches (it may match more). */
    @Test
    void glob_randomPatternsAndSubjectsWithGlobSpecials_neverMissesAMatch() {
        long seed = Long.getLong("colony.seed", 0x610B5L);
        System.out.println("[seed] RedisEventBusChannelsTest.glob_random: seed=" + seed);
        Random random = new Random(seed);
        String[] alphabet = {"a", "b", "?", "[", "]", "\\", "{", "}", "x?", "[a]", "a\\", "é"};
        int matched = 0;
        for (int round = 0; round < 20_000; round++) {
            List<String> tokens = new ArrayList<>();
            int size = 1 + random.nextInt(4);
            for (int i = 0; i < size; i++) {
                tokens.add(alphabet[random.nextInt(alphabet.length)] + (random.nextBoolean() ? "" : "b"));
            }
            Subject subject = Subject.of(String.join(".", tokens));
            List<String> patternTokens = new ArrayList<>();
            int patternSize = 1 + random.nextInt(4);
            for (int i = 0; i < patternSize; i++) {
                int kind = random.nextInt(4);
                String token = i < tokens.size() && kind < 2
                        ? tokens.get(i)
                        : kind == 2 ? "*" : alphabet[random.nextInt(alphabet.length)];
                patternTokens.add(i == patternSize - 1 && random.nextInt(4) == 0 ? ">" : token);
            }
            SubjectPattern.Wildcard pattern = SubjectPattern.of(String.join(".", patternTokens));
            boolean globMatches =
                    RedisEventBusChannels.globMatches(channels.glob(pattern), channels.channel(subject.value()));
            if (pattern.matches(subject)) {
                matched++;
                assertThat(globMatches)
                        .as(
                                "glob %s for pattern %s and subject %s (seed %d)",
                                channels.glob(pattern), pattern, subject, seed)
                        .isTrue();
            }
            if (pattern.isLiteral()) {
                assertThat(globMatches).as("a literal pattern's glob is exact").isEqualTo(pattern.matches(subject));
            }
        }
        assertThat(matched).as("rounds where the pattern matched").isGreaterThan(1_000);
    }

    private String glob(String pattern) {
        return channels.glob(SubjectPattern.of(pattern));
    }
}
