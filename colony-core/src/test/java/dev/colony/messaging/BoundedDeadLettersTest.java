package dev.colony.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The checks of received bytes before they are copied. */
class BoundedDeadLettersTest {
    private static final AgentId BOB = AgentId.of("bob");
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    @Test
    void refuseReceived_withinLimitAndOpen_falseNothingRecorded() {
        BoundedDeadLetters letters = new BoundedDeadLetters(10, BoundedDeadLetters.MIN_BYTES);

        assertThat(letters.refuseReceived(new byte[100], BOB, false, 100, NOW)).isFalse();
        assertThat(letters.total()).isZero();
    }

    @Test
    void refuseReceived_tooLarge_tooLargeLetterWithPrefixOnly() {
        BoundedDeadLetters letters = new BoundedDeadLetters(10, BoundedDeadLetters.MIN_BYTES);
        byte[] huge = new byte[DeadLetter.KEPT_BYTES * 4];

        assertThat(letters.refuseReceived(huge, BOB, false, 100, NOW)).isTrue();

        DeadLetter letter = letters.poll();
        assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.TOO_LARGE);
        assertThat(letter.detail())
                .isEqualTo("received message of " + huge.length + " bytes exceeds the limit of 100 bytes");
        assertThat(letter.bytes()).hasSize(DeadLetter.KEPT_BYTES);
        assertThat(letter.encodedLength()).isEqualTo(huge.length);
    }

    @Test
    void refuseReceived_messengerClosed_rejectedLetter() {
        BoundedDeadLetters letters = new BoundedDeadLetters(10, BoundedDeadLetters.MIN_BYTES);

        assertThat(letters.refuseReceived(new byte[1], BOB, true, 100, NOW)).isTrue();

        DeadLetter letter = letters.poll();
        assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.REJECTED);
        assertThat(letter.detail()).isEqualTo("the messenger is closed");
        assertThat(letter.recipient()).isEqualTo(BOB);
    }
}
