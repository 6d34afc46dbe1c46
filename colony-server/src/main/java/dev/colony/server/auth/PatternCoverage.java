package dev.colony.server.auth;

import java.util.List;

/**
 * Set relations between Colony wildcard patterns, token by token, over an unbounded alphabet of tokens:
 * whether every subject one pattern matches is matched by another ({@link #covers}), and whether two
 * patterns match a common subject ({@link #intersects}). Both are exact for wildcard patterns: {@code *}
 * matches exactly one token, a trailing {@code >} one or more.
 *
 * <p>Both walk the two token lists once, so they cost O(length). Exactness rests on the alphabet being
 * unbounded: a literal never covers {@code *}, because {@code *} also matches a token the literal is not.
 */
final class PatternCoverage {
    private PatternCoverage() {}

    /** Whether every subject {@code inner} matches is also matched by {@code outer}. */
    static boolean covers(List<String> outer, List<String> inner) {
        for (int i = 0; ; i++) {
            if (i == outer.size() || i == inner.size()) {
                return outer.size() == inner.size();
            }
            String o = outer.get(i);
            String n = inner.get(i);
            if (o.equals(">")) {
                return true; // inner has at least one token left here, all of which '>' takes
            }
            if (n.equals(">")) {
                return false; // inner matches subjects of any length; outer (no '>' here) only of one
            }
            if (!o.equals("*") && !o.equals(n)) {
                return false; // outer's literal misses inner's other literal, or one of the tokens inner's '*' takes
            }
        }
    }

    /** Whether some subject is matched by both {@code a} and {@code b}. */
    static boolean intersects(List<String> a, List<String> b) {
        for (int i = 0; ; i++) {
            if (i == a.size() || i == b.size()) {
                return a.size() == b.size();
            }
            String x = a.get(i);
            String y = b.get(i);
            if (x.equals(">") || y.equals(">")) {
                return true; // the other has a token left here; '>' takes it and all that follow
            }
            if (!x.equals("*") && !y.equals("*") && !x.equals(y)) {
                return false;
            }
        }
    }
}
