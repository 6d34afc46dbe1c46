package dev.colony.server.dashboard;

import dev.colony.messaging.DeadLetter;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.Messenger;
import dev.colony.messaging.SendOutcome;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.SequencedSet;

/**
 * Replaying a dead letter: its message is sent again to its recipient through the messenger, once.
 *
 * <p>A letter is named by {@link #key}, a digest of its time, recipient, reason and message (the messenger's
 * dead-letter queue has no ids). What can be replayed: a letter with a recipient whose whole message was kept,
 * as the sender's envelope (sent again with {@link Messenger#send}) or as its encoded bytes (handed over again
 * with {@link Messenger#deliverEncoded}). Refused: a letter whose bytes were cut to the first
 * {@value DeadLetter#KEPT_BYTES} bytes, one without a recipient, and a {@code MALFORMED} one (its bytes would
 * not decode again).
 *
 * <p>Replaying twice is refused, not repeated: a letter whose replay was accepted by the recipient's inbox is
 * remembered (the newest {@value #REMEMBERED} of them), so two clicks or two operators deliver it once. A replay
 * the messenger refuses again (the agent is still missing, its inbox is still full) is not remembered: it
 * becomes a new dead letter, and either may be replayed later. Thread-safe.
 */
final class Replays {
    static final int REMEMBERED = 10_000;

    /** A replay's answer: HTTP status and a message for the operator. */
    record Result(int status, String message) {}

    private final Messenger messenger;
    private final SequencedSet<String> replayed = new LinkedHashSet<>();

    Replays(Messenger messenger) {
        this.messenger = messenger;
    }

    /** The letter's name on the page: 16 hex digits of a SHA-256 of what tells letters apart. */
    static String key(DeadLetter d) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            String head = d.time() + "|" + d.recipient() + "|" + d.reason() + "|"
                    + (d.envelope() == null ? "" : d.envelope().id()) + "|" + d.encodedLength();
            sha.update(head.getBytes(StandardCharsets.UTF_8));
            if (d.bytes() != null) {
                sha.update(d.bytes());
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** Why {@code d} cannot be replayed, or empty when it can. */
    static Optional<String> refusal(DeadLetter d) {
        if (d.recipient() == null) {
            return Optional.of("its recipient is unknown");
        }
        if (d.truncated()) {
            return Optional.of("only the first " + d.bytes().length + " of its " + d.encodedLength()
                    + " bytes were kept (dead letters keep " + DeadLetter.KEPT_BYTES + ")");
        }
        if (d.reason() == DeadLetter.Reason.MALFORMED) {
            return Optional.of("its bytes did not decode and would not decode again");
        }
        return Optional.empty();
    }

    synchronized boolean wasReplayed(String key) {
        return replayed.contains(key);
    }

    /** Replays the letter named {@code key} among the account's kept dead letters. */
    Result replay(Viewer viewer, String key) {
        Optional<DeadLetter> found = messenger.deadLetters().peekAll().stream()
                .filter(d -> d.recipient() != null && viewer.owns(d.recipient().value()))
                .filter(d -> key(d).equals(key))
                .findFirst();
        if (found.isEmpty()) {
            return new Result(404, "no dead letter \"" + key + "\" is kept for this account");
        }
        DeadLetter d = found.get();
        Optional<String> refusal = refusal(d);
        if (refusal.isPresent()) {
            return new Result(409, "cannot replay dead letter \"" + key + "\": " + refusal.get());
        }
        synchronized (this) { // one replay of a letter at a time, so two clicks cannot both deliver it
            if (replayed.contains(key)) {
                return new Result(409, "dead letter \"" + key + "\" was replayed already");
            }
            SendOutcome outcome = send(d);
            String to = viewer.local(d.recipient().value());
            if (outcome != SendOutcome.DELIVERED) {
                return new Result(409, "replaying \"" + key + "\" to \"" + to + "\" failed again: " + outcome);
            }
            replayed.addLast(key);
            if (replayed.size() > REMEMBERED) {
                replayed.removeFirst();
            }
            return new Result(200, "replayed \"" + key + "\" to \"" + to + "\": " + outcome);
        }
    }

    private SendOutcome send(DeadLetter d) {
        Envelope e = d.envelope();
        if (e != null) {
            return messenger.send(
                    e.recipient() != null && e.recipient().equals(d.recipient()) ? e : e.withRecipient(d.recipient()));
        }
        return messenger.deliverEncoded(d.recipient(), d.bytes());
    }
}
