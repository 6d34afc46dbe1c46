package dev.colony.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.messaging.AgentId;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TaskTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private static final AgentId AGENT = AgentId.of("worker-1");

    private static Task queued(int maxAttempts) {
        return Task.submitted(TaskSpec.of("t1", "job", new byte[] {1}).withMaxAttempts(maxAttempts), T0);
    }

    @Test
    void claimed_queuedTask_holdsLeaseAndCountsAttempt() {
        Task claimed = queued(3).claimed(AGENT, 7, T0.plusSeconds(30));

        assertThat(claimed.status()).isEqualTo(TaskStatus.CLAIMED);
        assertThat(claimed.attempts()).isEqualTo(1);
        assertThat(claimed.lease()).isEqualTo(new Lease("t1", AGENT, 7, T0.plusSeconds(30), 1, claimed));
    }

    @Test
    void renewed_claimedTask_onlyExpiryChanges() {
        Task claimed = queued(3).claimed(AGENT, 7, T0.plusSeconds(30));

        Task renewed = claimed.renewed(T0.plusSeconds(90));

        assertThat(renewed.leaseExpiresAt()).isEqualTo(T0.plusSeconds(90));
        assertThat(renewed)
                .usingRecursiveComparison()
                .ignoringFields("leaseExpiresAt")
                .isEqualTo(claimed);
    }

    @Test
    void failed_retryableWithAttemptsLeft_queuedAfterBackoff() {
        Task failed = queued(2).claimed(AGENT, 1, T0.plusSeconds(30)).failed("flaky", true, T0.plusSeconds(5));

        assertThat(failed.status()).isEqualTo(TaskStatus.QUEUED);
        assertThat(failed.notBefore()).isEqualTo(T0.plusSeconds(5));
        assertThat(failed.lastError()).isEqualTo("flaky");
        assertThat(failed.holder()).isNull();
    }

    @Test
    void failed_notRetryable_dead() {
        Task failed = queued(3).claimed(AGENT, 1, T0.plusSeconds(30)).failed("bad input", false, T0);

        assertThat(failed.status()).isEqualTo(TaskStatus.DEAD);
        assertThat(failed.lastError()).isEqualTo("bad input");
    }

    @Test
    void released_lastAttempt_deadAndSaysOutOfAttempts() {
        Task released = queued(1).claimed(AGENT, 1, T0.plusSeconds(30)).released("lease expired");

        assertThat(released.status()).isEqualTo(TaskStatus.DEAD);
        assertThat(released.lastError()).isEqualTo("lease expired; out of attempts (1 of 1)");
    }

    @Test
    void released_attemptsLeft_queuedAtOnce() {
        Task released = queued(2).claimed(AGENT, 1, T0.plusSeconds(30)).released("holder failed");

        assertThat(released.status()).isEqualTo(TaskStatus.QUEUED);
        assertThat(released.notBefore()).isNull();
        assertThat(released.attempts()).isEqualTo(1);
    }

    @Test
    void completed_thenCancelled_throwsNamingTaskStatusAndTransition() {
        Task done = queued(3).claimed(AGENT, 1, T0.plusSeconds(30)).completed(new byte[] {9});

        assertThat(done.result()).containsExactly(9);
        assertThatThrownBy(done::cancelled)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("task \"t1\" is COMPLETED: cannot take transition CANCEL (allowed from [QUEUED, CLAIMED])");
    }

    @Test
    void transitions_fromWrongStatus_throw() {
        Task queued = queued(3);

        assertThatThrownBy(() -> queued.renewed(T0)).hasMessageContaining("is QUEUED: cannot take transition RENEW");
        assertThatThrownBy(() -> queued.completed(new byte[0])).hasMessageContaining("COMPLETE");
        assertThatThrownBy(() -> queued.failed("x", true, T0)).hasMessageContaining("FAIL");
        assertThatThrownBy(() -> queued.released("x")).hasMessageContaining("RELEASE");
        assertThatThrownBy(queued::lease).hasMessage("task \"t1\" has no lease: it is QUEUED");
        Task claimed = queued.claimed(AGENT, 1, T0);
        assertThatThrownBy(() -> claimed.claimed(AGENT, 2, T0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is CLAIMED: cannot take transition CLAIM");
        assertThat(claimed.cancelled().status()).isEqualTo(TaskStatus.CANCELLED);
    }
}
