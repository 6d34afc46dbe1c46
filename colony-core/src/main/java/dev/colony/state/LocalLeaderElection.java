package dev.colony.state;

import dev.colony.messaging.AgentId;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The embedded leader election. Every method runs under the state lock (see {@link LocalState}).
 *
 * <p>Each group keeps two things: its latest term, a counter that only grows (it is never reset, not by a
 * resignation nor by an expiry, so a term is never reused within a group), and its current leadership,
 * if any. A leadership is live while the clock is before its {@code expiresAt}; it lapses at that instant.
 * A lapsed leadership is invisible at once ({@link #leader} is empty, renew and resign are refused) and is
 * announced {@code expired} by the next sweep, or by the next campaign in its group, which announces
 * {@code expired} before {@code elected} so that watchers see the changes in order.
 *
 * <p>Campaigning while already leading is a renewal: same term, lease set to now plus {@code lease}, and
 * no announcement (the announcement subjects are {@code elected|resigned|expired} only).
 *
 * <p>Fencing: a fence holds exactly while its term is the group's latest term. A leader whose lease lapsed
 * (or who resigned) keeps a valid fence until someone else is elected: fencing protects against a newer
 * leader, not against time. An agent that must not act without a live lease checks {@link #leader} or
 * {@link #renew} as well.
 *
 * <p>Every change of leader is logged when it is announced, outside the lock ({@link
 * dev.colony.state.LeaderChangeLog}): elected and resigned at INFO, expired at WARNING.
 *
 * <p>Memory: one small record per group ever used, kept for the life of the state (dropping a group would
 * forget its term and let a term be reused).
 */
final class LocalLeaderElection implements LeaderElection {
    private final LocalState state;
    private final Map<String, LeaderGroup> groups = new LinkedHashMap<>(); // guarded by state.lock

    LocalLeaderElection(LocalState state) {
        this.state = state;
    }

    /** One election group's latest term and current leadership (null when nobody leads). */
    private static final class LeaderGroup {
        long term;
        Leadership current;
    }

    private static String prefix(String group) {
        return "colony.leader." + group;
    }

    /** Announces and clears leaderships whose lease lapsed; their terms stay. Under the lock. */
    int expire(Changes changes, Instant now) {
        int expired = 0;
        for (LeaderGroup group : groups.values()) {
            if (expireIfLapsed(group, changes, now)) {
                expired++;
            }
        }
        return expired;
    }

    /** Every group with its latest term and leadership, unsorted, for a snapshot. Under the lock. */
    List<Snapshot.LeaderTerm> exportLocked() {
        List<Snapshot.LeaderTerm> all = new ArrayList<>(groups.size());
        for (Map.Entry<String, LeaderGroup> entry : groups.entrySet()) {
            all.add(new Snapshot.LeaderTerm(entry.getKey(), entry.getValue().term, entry.getValue().current));
        }
        return all;
    }

    /** Replaces every group. Under the lock; the caller validated the content. */
    void importLocked(List<Snapshot.LeaderTerm> restored) {
        groups.clear();
        for (Snapshot.LeaderTerm term : restored) {
            LeaderGroup group = new LeaderGroup();
            group.term = term.term();
            group.current = term.current();
            groups.put(term.group(), group);
        }
    }

    /**
     * Replays a journaled change: the group's term becomes at least the leadership's, and the leadership is
     * current unless it {@code resigned} or {@code expired}. Under the lock.
     */
    void applyLocked(String change, Leadership leadership) {
        LeaderGroup g = groups.computeIfAbsent(leadership.group(), name -> new LeaderGroup());
        g.term = Math.max(g.term, leadership.term());
        boolean ended = change.equals("resigned") || change.equals("expired");
        g.current = ended ? null : leadership;
    }

    /** Whether {@code fence} carries its group's latest term. Under the lock. */
    boolean isCurrentLocked(Fence fence) {
        LeaderGroup group = groups.get(fence.group());
        return group != null && group.term == fence.term();
    }

    @Override
    public Optional<Leadership> campaign(String group, AgentId candidate, Duration lease) {
        Names.token(group, "group");
        Objects.requireNonNull(candidate, "candidate");
        positive(lease, "lease");
        return state.write(changes -> {
            Instant now = state.now();
            LeaderGroup g = groups.computeIfAbsent(group, name -> new LeaderGroup());
            expireIfLapsed(g, changes, now);
            if (g.current != null) {
                if (!g.current.leader().equals(candidate)) {
                    return Optional.empty();
                }
                g.current = new Leadership(group, candidate, g.term, expiry(now, lease));
                changes.recordSilently(prefix(group) + ".renewed", "renewed", g.current);
                return Optional.of(g.current);
            }
            g.term++;
            g.current = new Leadership(group, candidate, g.term, expiry(now, lease));
            changes.record(prefix(group), "elected", g.current);
            return Optional.of(g.current);
        });
    }

    @Override
    public boolean renew(Leadership leadership, Duration lease) {
        Objects.requireNonNull(leadership, "leadership");
        positive(lease, "lease");
        return state.write(changes -> {
            Instant now = state.now();
            LeaderGroup g = liveGroupOf(leadership, now);
            if (g == null) {
                return false;
            }
            g.current = new Leadership(leadership.group(), leadership.leader(), g.term, expiry(now, lease));
            changes.recordSilently(prefix(leadership.group()) + ".renewed", "renewed", g.current);
            return true;
        });
    }

    @Override
    public boolean resign(Leadership leadership) {
        Objects.requireNonNull(leadership, "leadership");
        return state.write(changes -> {
            LeaderGroup g = liveGroupOf(leadership, state.now());
            if (g == null) {
                return false;
            }
            Leadership resigned = g.current;
            g.current = null;
            changes.record(prefix(resigned.group()), "resigned", resigned);
            return true;
        });
    }

    @Override
    public Optional<Leadership> leader(String group) {
        Names.token(group, "group");
        return state.read(() -> {
            LeaderGroup g = groups.get(group);
            if (g == null || g.current == null || lapsed(g.current, state.now())) {
                return Optional.empty();
            }
            return Optional.of(g.current);
        });
    }

    @Override
    public long currentTerm(String group) {
        Names.token(group, "group");
        return state.read(() -> {
            LeaderGroup g = groups.get(group);
            return g == null ? 0L : g.term;
        });
    }

    @Override
    public boolean isCurrent(Fence fence) {
        Objects.requireNonNull(fence, "fence");
        return state.read(() -> isCurrentLocked(fence));
    }

    /** The group {@code leadership} still currently and lively leads, or null. Under the lock. */
    private LeaderGroup liveGroupOf(Leadership leadership, Instant now) {
        LeaderGroup g = groups.get(leadership.group());
        if (g == null || g.current == null || lapsed(g.current, now)) {
            return null;
        }
        boolean same =
                g.current.term() == leadership.term() && g.current.leader().equals(leadership.leader());
        return same ? g : null;
    }

    private static boolean expireIfLapsed(LeaderGroup group, Changes changes, Instant now) {
        Leadership current = group.current;
        if (current == null || !lapsed(current, now)) {
            return false;
        }
        group.current = null;
        changes.record(prefix(current.group()), "expired", current);
        return true;
    }

    private static boolean lapsed(Leadership leadership, Instant now) {
        return !now.isBefore(leadership.expiresAt());
    }

    /** {@code now + lease}, saturating at {@link Instant#MAX} for absurdly long leases. */
    private static Instant expiry(Instant now, Duration lease) {
        try {
            return now.plus(lease);
        } catch (DateTimeException | ArithmeticException e) {
            return Instant.MAX;
        }
    }

    private static void positive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
    }
}
