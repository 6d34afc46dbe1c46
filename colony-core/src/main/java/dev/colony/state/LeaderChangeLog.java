package dev.colony.state;

import java.lang.System.Logger.Level;

/**
 * The log line of a leader change, the same for every backend's election (embedded, Redis): one line per
 * {@code elected} or {@code resigned} (INFO) and per {@code expired} (WARNING: a leader stopped renewing,
 * which usually means it crashed or stalled), naming the group, the term and the leader. Logger
 * {@code dev.colony.state}. Called where the change is announced, outside any lock, in announcement order.
 */
public final class LeaderChangeLog {
    private static final System.Logger LOG = System.getLogger("dev.colony.state");

    private LeaderChangeLog() {}

    /** Logs {@code change} ({@code elected}, {@code resigned} or {@code expired}) of {@code leadership}. */
    public static void changed(String change, Leadership leadership) {
        switch (change) {
            case "elected" ->
                LOG.log(
                        Level.INFO,
                        "leader elected: group {0}, term {1}, leader {2}, lease until {3}",
                        leadership.group(),
                        leadership.term(),
                        leadership.leader().value(),
                        leadership.expiresAt());
            case "resigned" ->
                LOG.log(
                        Level.INFO,
                        "leader resigned: group {0}, term {1}, leader {2}",
                        leadership.group(),
                        leadership.term(),
                        leadership.leader().value());
            case "expired" ->
                LOG.log(
                        Level.WARNING,
                        "leader expired: group {0}, term {1}, leader {2}, lease lapsed at {3} without renewal",
                        leadership.group(),
                        leadership.term(),
                        leadership.leader().value(),
                        leadership.expiresAt());
            default -> {} // renewals are not changes of leader
        }
    }
}
