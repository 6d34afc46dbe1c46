package dev.colony.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes every key of one swarm: {@code SCAN MATCH colony:{swarm}:*} then {@code UNLINK} per page, until a
 * full scan finds nothing (keys written during a pass are caught by the next; at most {@value #MAX_PASSES}
 * passes). Refused while a messenger node of the swarm is alive ({@code node:<id>} keys), unless forced.
 */
final class RedisSwarmDrop {
    private static final System.Logger LOG = System.getLogger("dev.colony.redis");
    private static final int PAGE = 1000;
    static final int MAX_PASSES = 5;

    private RedisSwarmDrop() {}

    /** Deletes the keys of {@code link}'s swarm; returns how many. */
    static long drop(RedisLink link, boolean force) {
        String pattern = escapeGlob(link.target().prefix()) + "*";
        try (RedisLinkConnection<String, String> connection = link.connectStrings()) {
            RedisClusterCommands<String, String> redis = connection.sync();
            if (!force) {
                List<String> live = scan(redis, escapeGlob(link.target().key("node:")) + "*", 10);
                if (!live.isEmpty()) {
                    throw new IllegalStateException("the swarm " + link.target() + " has live nodes (" + live
                            + "); stop them first, or force the drop");
                }
            }
            long deleted = 0;
            for (int pass = 0; pass < MAX_PASSES; pass++) {
                long inPass = dropPass(redis, pattern);
                deleted += inPass;
                if (inPass == 0) {
                    break;
                }
            }
            LOG.log(Level.INFO, "dropped swarm {0}: {1} keys deleted", link.target(), deleted);
            return deleted;
        }
    }

    private static long dropPass(RedisClusterCommands<String, String> redis, String pattern) {
        long deleted = 0;
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page =
                    redis.scan(cursor, ScanArgs.Builder.matches(pattern).limit(PAGE));
            if (!page.getKeys().isEmpty()) {
                deleted += redis.unlink(page.getKeys().toArray(String[]::new));
            }
            cursor = page;
        } while (!cursor.isFinished());
        return deleted;
    }

    private static List<String> scan(RedisClusterCommands<String, String> redis, String pattern, int most) {
        List<String> found = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page =
                    redis.scan(cursor, ScanArgs.Builder.matches(pattern).limit(PAGE));
            found.addAll(page.getKeys());
            cursor = page;
        } while (!cursor.isFinished() && found.size() < most);
        return found.size() > most ? found.subList(0, most) : found;
    }

    /** {@code text} with the glob specials {@code ? * [ ] \} escaped: the swarm prefix holds braces only. */
    static String escapeGlob(String text) {
        StringBuilder out = new StringBuilder(text.length() + 4);
        for (char c : text.toCharArray()) {
            if ("?*[]\\".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
