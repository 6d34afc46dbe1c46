package dev.colony.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.Colony;
import dev.colony.LogCapture;
import dev.colony.state.CoordinationState;
import dev.colony.state.LeaderElection;
import dev.colony.state.LeaderElectionContract;
import dev.colony.state.Leadership;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * The leader-election contract through {@code /v1/leaders} of a server over an embedded colony. One test
 * has an HTTP counterpart: the colony's log lines name the stored group ({@code acme_<group>}, ADR 0030),
 * not the client's.
 */
class HttpLeaderElectionContractTest extends HttpStateFixture implements LeaderElectionContract {
    @Override
    Colony.Builder colony() {
        return Colony.builder();
    }

    /** The contract's log test, with the names the colony behind the server logs: the account's stored names. */
    @Test
    @Override
    public void changesOfLeader_electedResignedExpired_eachLoggedOnceWithGroupTermAndLeader() {
        CoordinationState state = state();
        LeaderElection leaders = state.leaders();
        String group = "logged-" + Long.toHexString(System.nanoTime());
        String stored = ACCOUNT + group;
        try (LogCapture log = LogCapture.of("dev.colony.state")) {
            Leadership alice = leaders.campaign(group, ALICE, LEASE).orElseThrow();
            leaders.campaign(group, ALICE, LEASE).orElseThrow();
            leaders.resign(alice);
            leaders.campaign(group, BOB, LEASE).orElseThrow();
            clock().advance(LEASE);
            state.sweep();

            assertThat(log.containing(group))
                    .containsExactly(
                            new LogCapture.Line(
                                    Level.INFO,
                                    "leader elected: group " + stored + ", term 1, leader acme_alice, lease until "
                                            + alice.expiresAt()),
                            new LogCapture.Line(
                                    Level.INFO, "leader resigned: group " + stored + ", term 1, leader acme_alice"),
                            new LogCapture.Line(
                                    Level.INFO,
                                    "leader elected: group " + stored + ", term 2, leader acme_bob, lease until "
                                            + clock().instant()),
                            new LogCapture.Line(
                                    Level.WARNING,
                                    "leader expired: group " + stored + ", term 2, leader acme_bob, lease lapsed at "
                                            + clock().instant() + " without renewal"));
        }
    }
}
