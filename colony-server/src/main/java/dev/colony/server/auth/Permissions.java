package dev.colony.server.auth;

import dev.colony.bus.Subject;
import dev.colony.bus.SubjectPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The compiled allow and deny lists of a non-admin token, over subjects {@code <action prefix>.<resource>}:
 * deny wins, and what no allow pattern matches is denied.
 *
 * <p>A subscription's resource is itself a pattern, so it is checked as a set of subjects, conservatively:
 * it is permitted only when one allow pattern {@linkplain PatternCoverage#covers covers} it and no deny
 * pattern {@linkplain PatternCoverage#intersects intersects} it. Every subject it can match is then
 * allowed and none denied. The check is sound but not complete: a pattern covered only by the union of
 * several allow patterns (allow {@code sub.a.*} and {@code sub.a.*.>}, subscribe {@code a.>}) is refused;
 * subscribing to each part works.
 */
record Permissions(List<SubjectPattern.Wildcard> allow, List<SubjectPattern.Wildcard> deny) {
    Permissions {
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
    }

    static Permissions of(TokenInfo token) {
        List<SubjectPattern.Wildcard> allow = new ArrayList<>();
        token.allow().forEach(p -> allow.add(Names.permission("allow", p)));
        List<SubjectPattern.Wildcard> deny =
                token.deny().stream().map(p -> Names.permission("deny", p)).toList();
        return new Permissions(allow, deny);
    }

    /** Why {@code subject} is refused: the deny pattern that matches it, or empty when allowed. */
    Optional<String> check(Subject subject) {
        for (SubjectPattern.Wildcard d : deny) {
            if (d.matches(subject)) {
                return Optional.of("denied by " + d.value());
            }
        }
        for (SubjectPattern.Wildcard a : allow) {
            if (a.matches(subject)) {
                return Optional.empty();
            }
        }
        return Optional.of("no permission allows " + subject.value());
    }

    /** The deny pattern that matches {@code subject}, if any. */
    Optional<String> denied(Subject subject) {
        return deny.stream()
                .filter(d -> d.matches(subject))
                .map(d -> "denied by " + d.value())
                .findFirst();
    }

    /** Why a subscription to {@code pattern} is refused, or empty when every subject it matches is allowed. */
    Optional<String> check(SubjectPattern.Wildcard pattern) {
        List<String> requested = pattern.tokens();
        for (SubjectPattern.Wildcard d : deny) {
            if (PatternCoverage.intersects(d.tokens(), requested)) {
                return Optional.of("denied by " + d.value() + ", which overlaps " + pattern.value());
            }
        }
        for (SubjectPattern.Wildcard a : allow) {
            if (PatternCoverage.covers(a.tokens(), requested)) {
                return Optional.empty();
            }
        }
        return Optional.of("no single permission covers every subject of " + pattern.value());
    }
}
