package dev.colony.redis;

import dev.colony.bus.Subject;
import dev.colony.bus.SubjectPattern;
import java.util.HashMap;
import java.util.Map;

/**
 * Where a received subject goes on one node: the {@link Subject} (or none, when the text is not a valid subject)
 * and whether one of the node's open patterns matches it, cached per subject text until the patterns change
 * (at most {@value #LIMIT} subjects, then cleared). The receiver matches every event again this way because
 * Redis globs over-match and node channels carry every subject (ADRs 0016, 0075). Dispatcher thread only.
 */
final class RedisEventBusRoutes {
    static final int LIMIT = 65_536;

    /** A subject's route: the subject (null when the text is not a valid subject) and whether a pattern matches. */
    record Route(Subject subject, boolean matched) {}

    private SubjectPattern[] cachedFor;
    private final Map<String, Route> routes = new HashMap<>();

    /** The route of {@code text} under the patterns {@code now} (an array the receiver swaps, never changes). */
    Route route(String text, SubjectPattern[] now) {
        if (now != cachedFor || routes.size() >= LIMIT) {
            routes.clear();
            cachedFor = now;
        }
        Route cached = routes.get(text);
        if (cached == null) {
            cached = resolve(text, now);
            routes.put(text, cached);
        }
        return cached;
    }

    private static Route resolve(String text, SubjectPattern[] now) {
        Subject subject;
        try {
            subject = Subject.of(text);
        } catch (IllegalArgumentException e) {
            return new Route(null, false);
        }
        for (SubjectPattern pattern : now) {
            if (pattern.matches(subject)) {
                return new Route(subject, true);
            }
        }
        return new Route(subject, false);
    }
}
