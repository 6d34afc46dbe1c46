package dev.colony.snapshot;

/**
 * A journal that cannot be replayed as written: a damaged record before the last one of the newest
 * segment (a torn last record is expected after a crash and cut away, not reported), a damaged older
 * segment, or revisions missing between the snapshot and the journal. Nothing is recovered from it.
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
