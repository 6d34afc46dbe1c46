package dev.colony.bus;

import java.util.Random;
import java.util.StringJoiner;

/**
 * Random subjects, wildcard patterns and regexes over a three-token alphabet, so that matches are
 * frequent and every routing case (literal, '*', '>', regex, overlaps) comes up many times.
 */
public final class RandomSubjects {
    private static final String[] TOKENS = {"a", "b", "c"};
    private static final String[] REGEX_TOKENS = {"a", "b", "c", "[ab]", "[^.]+", "\\w"};

    private final Random random;

    public RandomSubjects(Random random) {
        this.random = random;
    }

    /** A subject of 1 to 5 tokens. */
    public String subject() {
        StringJoiner joiner = new StringJoiner(".");
        int length = 1 + random.nextInt(5);
        for (int i = 0; i < length; i++) {
            joiner.add(TOKENS[random.nextInt(TOKENS.length)]);
        }
        return joiner.toString();
    }

    /** A wildcard pattern of 1 to 5 tokens: about a quarter '*', and a trailing '>' one time in three. */
    public String wildcard() {
        StringJoiner joiner = new StringJoiner(".");
        int length = 1 + random.nextInt(5);
        for (int i = 0; i < length; i++) {
            if (i == length - 1 && random.nextInt(3) == 0) {
                joiner.add(">");
            } else if (random.nextInt(4) == 0) {
                joiner.add("*");
            } else {
                joiner.add(TOKENS[random.nextInt(TOKENS.length)]);
            }
        }
        return joiner.toString();
    }

    /** A regex over subjects of the same alphabet, sometimes with an open-ended tail. */
    public String regex() {
        StringJoiner joiner = new StringJoiner("\\.");
        int length = 1 + random.nextInt(4);
        for (int i = 0; i < length; i++) {
            joiner.add(REGEX_TOKENS[random.nextInt(REGEX_TOKENS.length)]);
        }
        return switch (random.nextInt(3)) {
            case 0 -> joiner + "(\\.[abc])*";
            case 1 -> joiner + "\\..+";
            default -> joiner.toString();
        };
    }
}
