package dev.colony.snapshot;

/**
 * A journal that cannot be replayed as written: a bad record with valid records after it, a bad record in
 * a segment other than the newest, a damaged segment header or an unknown format version, or revisions
 * missing between the snapshot and the journal. The message is one line naming the segment file, the
 * byte offset and what is wrong there. Nothing is recovered and nothing is cut; {@link Journal#inspect}
 * and {@link Journal#repair} (the {@code colony journal} command) tell and decide. A torn tail (a bad
 * record with nothing valid after it, in the newest segment: a crash mid-append) is not reported here: it
 * is set aside in a side file and cut (ADR 0020).
 */
public final class CorruptJournalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CorruptJournalException(String message) {
        super(message);
    }

    public CorruptJournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
