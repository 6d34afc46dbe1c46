package dev.colony.bus;

/**
 * A deliberately naive model of subject syntax and wildcard matching, written from the documentation
 * and independently of the bus, for the randomized tests to compare the real implementation against.
 */
public final class ReferenceMatcher {
    private ReferenceMatcher() {}

    /** Splits subject or pattern text on '.', keeping empty tokens. */
    public static String[] tokens(String text) {
        return text.split("\\.", -1);
    }

    /** Whether the wildcard pattern matches the subject: '*' is one token, a last '>' is one or more. */
    public static boolean matches(String pattern, String subject) {
        return matches(tokens(pattern), tokens(subject));
    }

    public static boolean matches(String[] pattern, String[] subject) {
        return matches(pattern, 0, subject, 0);
    }

    private static boolean matches(String[] pattern, int p, String[] subject, int s) {
        if (p == pattern.length) {
            return s == subject.length;
        }
        if (pattern[p].equals(">")) {
            // '>' swallows one or more tokens; try every split
            for (int end = s + 1; end <= subject.length; end++) {
                if (matches(pattern, p + 1, subject, end)) {
                    return true;
                }
            }
            return false;
        }
        if (s == subject.length) {
            return false;
        }
        boolean tokenMatches = pattern[p].equals("*") || pattern[p].equals(subject[s]);
        return tokenMatches && matches(pattern, p + 1, subject, s + 1);
    }

    /** Whether {@code text} is a valid published subject ({@code wildcards == false}) or pattern. */
    public static boolean isValid(String text, boolean wildcards) {
        if (text.isEmpty() || text.length() > Subject.MAX_LENGTH) {
            return false;
        }
        String[] tokens = tokens(text);
        for (int i = 0; i < tokens.length; i++) {
            String token = tokens[i];
            if (token.isEmpty() || token.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c))) {
                return false;
            }
            boolean wildcardChar = token.contains("*") || token.contains(">");
            if (!wildcardChar) {
                continue;
            }
            boolean wholeWildcard = token.equals("*") || (token.equals(">") && i == tokens.length - 1);
            if (!wildcards || !wholeWildcard) {
                return false;
            }
        }
        return true;
    }
}
