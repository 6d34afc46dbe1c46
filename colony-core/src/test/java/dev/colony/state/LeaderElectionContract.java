package dev.colony.state;

import static dev.colony.state.StateFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.LogCapture;
import dev.colony.messaging.AgentId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Part of {@link StateContract}: leader election by leases, terms that only grow, announcements, and
 * fences checked by shared memory.
 */
public interface LeaderElectionContract extends StateFixture {
    String GROUP = "planners";

    @Test
    default void changesOfLeader_electedResignedExpired_eachLoggedOnceWithGroupTermAndLeader() {
        CoordinationState state = state();
        LeaderElection leaders = state.leaders();
        String group = "logged-" + Long.toHexString(System.nanoTime()); // unique: other lines are ignored
        try (LogCapture log = LogCapture.of("dev.colony.state")) {
            Leadership alice = leaders.campaign(group, ALICE, LEASE).orElseThrow();
            leaders.campaign(group, ALICE, LEASE).orElseThrow(); // a renewal: no change of leader
            leaders.resign(alice);
            leaders.campaign(group, BOB, LEASE).orElseThrow();
            clock().advance(LEASE);
            state.sweep();

            assertThat(log.containing(group))
                    .containsExactly(
                            new LogCapture.Line(
                                    Level.INFO,
                                    "leader elected: group " + group + ", term 1, leader alice, lease until "
                                            + alice.expiresAt()),
                            new LogCapture.Line(
                                    Level.INFO, "leader resigned: group " + group + ", term 1, leader alice"),
                            new LogCapture.Line(
                                    Level.INFO,
                                    "leader elected: group " + group + ", term 2, leader bob, lease until "
                                            + clock().instant()),
                            new LogCapture.Line(
                                    Level.WARNING,
                                    "leader expired: group " + group + ", term 2, leader bob, lease lapsed at "
                                            + clock().instant() + " without renewal"));
        }
    }

    @Test
    default void campaign_firstCandidate_electedInTermOne() {
        LeaderElection leaders = state().leaders();

        Leadership won = leaders.campaign(GROUP, ALICE, LEASE).orElseThrow();

        assertThat(won.group()).isEqualTo(GROUP);
        assertThat(won.leader()).isEqualTo(ALICE);
        assertThat(won.term()).isEqualTo(1);
        assertThat(won.expiresAt()).isEqualTo(clock().instant().plus(LEASE));
        assertThat(leaders.leader(GROUP)).contains(won);
        assertThat(leaders.currentTerm(GROUP)).isEqualTo(1);
    }

    @Test
    default void campaign_otherCandidateWhileLeaseLive_refused() {
        LeaderElection leaders = state().leaders();
        Leadership alice = leaders.campaign(GROUP, ALICE, LEASE).orElseThrow();
        clock().advance(LEASE.minusMillis(1));

        assertThat(leaders.campaign(GROUP, BOB, LEASE)).isEmpty();
        assertThat(leaders.leader(GROUP)).contains(alice);
        assertThat(leaders.currentTerm(GROUP)).isEqualTo(1);
    }

    @Test
    default void campaign_leaderAgain_sameTermLeaseExtended() {
        LeaderElection leaders = state().leaders();
        leaders.campaign(GROUP, ALICE, LEASE).orElseThrow();
        clock().advance(Duration.ofSeconds(10));

        Leadership again = leaders.campaign(GROUP, ALICE, LEASE).orElseThrow();

        assertThat(again.term()).isEqualTo(1);
        assertThat(again.expiresAt()).isEqualTo(clock().instant().plus(LEASE));
        assertThat(leaders.leader(GROUP)).contains(again);
    }

    @Test
    default void campaign_afterLeaseLapsed_otherElectedWithHigherTermAndOldLeaderLocked() {
        LeaderElection leaders = state().leaders();
        Leadership alice = leaders.campaign(GROUP, ALICE, LEASE).orElseThrow();
        clock().advance(LEASE);

        assertThat(leaders.leader(GROUP)).isEmpty();
        Leadership bob = leaders.campaign(GROUP, BOB, LEASE).orElseThrow();

        assertThat(bob.term()).isEqualTo(2);
        assertThat(leaders.renew(alice, LEASE)).isFalse();
        assertThat(leaders.resign(alice)).isFalse();
        assertThat(leaders.leader(GROUP)).contains(bob);
    }

    @Test
    default void renew_currentLeader_leaseExtended() {
        LeaderElection leaders = state().leaders();
        Leadership alice = leaders.campaign(GROUP, ALICE, LEASE).orElseThrow();
        clock().advance(LEASE.minusSeconds(1));

        assertThat(leaders.renew(alice, LEASE)).isTrue();
        clock().advance(LEASE.minusSeconds(1));

        Leadership current = leaders.leader(GROUP).orElseThrow();
        assertThat(current.term()).isEqualTo(1);
        assertThat(current.leader()).isEqualTo(ALICE);
        assertThat(leaders.campaign(GROUP, BOB, LEASE)).isEmpty();
    }

    @Test
    default void renew_afterLeaseLapsed_refusedEvenWithoutSuccessor() {
        LeaderElection leaders = state().leaders();
        Leadership alice = leaders.campaign(GROUP, ALICE, LEASE).orElseThrow();
        clock().advance(LEASE);

        assertThat(leaders.renew(alice, LEASE)).isFalse();
        assertThat(leaders.resign(alice)).isFalse();
        assertThat(leaders.leader(GROUP)).isEmpty();
    }

    @Test
    default void renew_forgedLeadershipOfOtherCandidate_refused() {
        LeaderElection leaders = state().leaders();
        Leadership alice = leaders.campaign(GROUP, ALICE, LEASE).orElseThrow();
        Leadership forged = new Leadership(GROUP, BOB, alice.term(), alice.expiresAt());

        assertThat(leaders.renew(forged, LEASE)).isFalse();
        assertThat(leaders.resign(forged)).isFalse();
        assertThat(leaders.leader(GROUP)).contains(alice);
    }

    @Test
    default void resign_thenCampaign_termGrows() {
        LeaderElection leaders = state().leaders();
        Leadership first = leaders.campaign(GROUP, ALICE, LEASE).orElseThrow();

        assertThat(leaders.resign(first)).isTrue();
        assertThat(leaders.leader(GROUP)).isEmpty();
        assertThat(leaders.resign(first)).isFalse();
        assertThat(leaders.currentTerm(GROUP)).isEqualTo(1);

        Leadership second = leaders.campaign(GROUP, ALICE, LEASE).orElseThrow();
        assertThat(second.term()).isEqualTo(2);
        assertThat(leaders.renew(first, LEASE)).isFalse();
    }

    @Test
    default void currentTerm_manyElectionsAndExpiries_neverReusedAndGroupsIndependent() {
        CoordinationState state = state();
        LeaderElection leaders = state.leaders();
        assertThat(leaders.currentTerm(GROUP)).isZero();
        List<Long> terms = new ArrayList<>();
        for (int round = 0; round < 6; round++) {
            Leadership won =
                    leaders.campaign(GROUP, round % 2 == 0 ? ALICE : BOB, LEASE).orElseThrow();
            terms.add(won.term());
            if (round % 3 == 0) {
                leaders.resign(won);
            } else {
                clock().advance(LEASE);
                state.sweep();
            }
        }
        Leadership other = leaders.campaign("reviewers", CAROL, LEASE).orElseThrow();

        assertThat(terms).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(leaders.currentTerm(GROUP)).isEqualTo(6);
        assertThat(other.term()).isEqualTo(1);
    }

    @Test
    default void announcements_electResignExpire_inOrderWithGrowingRevisions() {
        CoordinationState state = state();
        LeaderElection leaders = state.leaders();
        List<StateChange> seen = announcements("colony.leader.>");

        Leadership first = leaders.campaign(GROUP, ALICE, LEASE).orElseThrow();
        leaders.campaign(GROUP, ALICE, LEASE); // a renewal: not announced
        leaders.resign(first);
        Leadership second = leaders.campaign(GROUP, BOB, LEASE).orElseThrow();
        clock().advance(LEASE);
        assertThat(state.sweep()).isEqualTo(1);
        assertThat(state.sweep()).isZero();

        assertThat(seen).extracting(StateChange::change).containsExactly("elected", "resigned", "elected", "expired");
        assertThat(seen).extracting(StateChange::value).containsExactly(first, first, second, second);
        assertThat(seen).extracting(StateChange::revision).isSorted().doesNotHaveDuplicates();
    }

    @Test
    default void campaign_afterUnsweptLapse_announcesExpiredBeforeElected() {
        LeaderElection leaders = state().leaders();
        List<StateChange> seen = announcements("colony.leader." + GROUP + ".*");
        Leadership alice = leaders.campaign(GROUP, ALICE, LEASE).orElseThrow();
        clock().advance(LEASE.plusSeconds(1));

        Leadership bob = leaders.campaign(GROUP, BOB, LEASE).orElseThrow();

        assertThat(seen).extracting(StateChange::change).containsExactly("elected", "expired", "elected");
        assertThat(seen).extracting(StateChange::value).containsExactly(alice, alice, bob);
    }

    @Test
    default void fence_afterNewElection_refusedByMemory() {
        CoordinationState state = state();
        LeaderElection leaders = state.leaders();
        SharedMemory memory = state.memory();
        Fence old = leaders.campaign(GROUP, ALICE, LEASE).orElseThrow().fence();
        clock().advance(LEASE);
        Fence current = leaders.campaign(GROUP, BOB, LEASE).orElseThrow().fence();

        assertThat(leaders.isCurrent(old)).isFalse();
        assertThat(leaders.isCurrent(current)).isTrue();
        assertThat(memory.put("plan", "step", bytes("stale"), null, old)).isEmpty();
        assertThat(memory.compareAndSet("plan", "step", 0, bytes("stale"), null, old))
                .isEqualTo(CasOutcome.STALE_TERM);
        assertThat(memory.get("plan", "step")).isEmpty();
        assertThat(memory.put("plan", "step", bytes("fresh"), null, current))
                .hasValueSatisfying(e -> assertThat(e.version()).isEqualTo(1));
        assertThat(memory.compareAndSet("plan", "step", 1, bytes("fresher"), null, current))
                .isEqualTo(CasOutcome.OK);
        assertThat(memory.get("plan", "step").orElseThrow().valueAsString()).isEqualTo("fresher");
    }

    @Test
    default void fence_leaseLapsedButNobodyElected_stillHolds() {
        CoordinationState state = state();
        Leadership alice = state.leaders().campaign(GROUP, ALICE, LEASE).orElseThrow();
        clock().advance(LEASE);
        state.sweep();

        assertThat(state.leaders().isCurrent(alice.fence())).isTrue();
        assertThat(state.memory().put("plan", "step", bytes("late"), null, alice.fence()))
                .isPresent();
    }

    @Test
    default void fence_ofGroupNeverElectedOrFutureTerm_notCurrent() {
        CoordinationState state = state();
        state.leaders().campaign(GROUP, ALICE, LEASE).orElseThrow();

        assertThat(state.leaders().isCurrent(new Fence("nobody", 1))).isFalse();
        assertThat(state.leaders().isCurrent(new Fence(GROUP, 2))).isFalse();
        assertThat(state.memory().compareAndSet("plan", "step", 0, bytes("x"), null, new Fence("nobody", 1)))
                .isEqualTo(CasOutcome.STALE_TERM);
    }

    @Test
    default void campaign_invalidArguments_rejectedQuotingTheInput() {
        LeaderElection leaders = state().leaders();

        assertThatThrownBy(() -> leaders.campaign("bad group", ALICE, LEASE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"bad group\"");
        assertThatThrownBy(() -> leaders.campaign(GROUP, ALICE, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lease")
                .hasMessageContaining("PT0S");
        assertThatThrownBy(() -> leaders.campaign(GROUP, ALICE, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> leaders.currentTerm("a.b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"a.b\"");
        assertThat(leaders.currentTerm(GROUP)).isZero();
    }

    /**
     * 500 virtual threads campaign for one group over and over while a driver moves the clock past the
     * lease; some leaders resign. Every term has exactly one leader, every term from 1 to the last was
     * granted, and each thread sees terms that never go down.
     */
    @Test
    default void campaign_manyConcurrentCandidates_oneLeaderPerTerm() throws Exception {
        LeaderElection leaders = state().leaders();
        int candidates = 500;
        int rounds = 20;
        ConcurrentLinkedQueue<Leadership> granted = new ConcurrentLinkedQueue<>();
        CountDownLatch done = new CountDownLatch(candidates);
        List<Future<Boolean>> monotonic = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < candidates; c++) {
                AgentId me = AgentId.of("candidate-" + c);
                monotonic.add(threads.submit(() -> {
                    try {
                        return campaignRounds(leaders, me, rounds, granted);
                    } finally {
                        done.countDown();
                    }
                }));
            }
            while (!done.await(1, TimeUnit.MILLISECONDS)) {
                clock().advance(LEASE);
            }
            for (Future<Boolean> f : monotonic) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isTrue();
            }
        }

        Map<Long, Set<AgentId>> leadersByTerm = granted.stream()
                .collect(Collectors.groupingBy(
                        Leadership::term, Collectors.mapping(Leadership::leader, Collectors.toSet())));
        long last = leaders.currentTerm(GROUP);
        assertThat(last).isPositive();
        assertThat(leadersByTerm.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        LongStream.rangeClosed(1, last).boxed().toList());
        assertThat(leadersByTerm.values()).allSatisfy(who -> assertThat(who).hasSize(1));
    }

    /** Campaigns {@code rounds} times; true if the terms this thread saw never went down. */
    private static boolean campaignRounds(
            LeaderElection leaders, AgentId me, int rounds, ConcurrentLinkedQueue<Leadership> granted) {
        long lastSeen = 0;
        boolean monotonic = true;
        for (int i = 0; i < rounds; i++) {
            Optional<Leadership> won = leaders.campaign(GROUP, me, LEASE);
            long term = won.map(Leadership::term).orElseGet(() -> leaders.currentTerm(GROUP));
            monotonic &= term >= lastSeen;
            lastSeen = term;
            if (won.isPresent()) {
                granted.add(won.get());
                if (i % 3 == 0) {
                    leaders.resign(won.get());
                }
            }
            Thread.yield();
        }
        return monotonic;
    }
}
