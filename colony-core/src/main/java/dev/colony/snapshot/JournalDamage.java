package dev.colony.snapshot;

import java.util.Objects;

/**
 * Where and why a journal segment stops being readable, and what follows (ADR 0020).
 *
 * @param offset the byte offset of the first bad record (or of the segment header)
 * @param problem what is wrong there, in a few words
 * @param tornTail whether this is the tail a crash mid-append leaves: the newest segment, and no valid
 *     record anywhere after {@code offset}. Recovery sets a torn tail aside; anything else stops it.
 * @param nextValidOffset the offset of the first valid record after {@code offset}, or -1 if there is none
 * @param recordsAfter the valid records found after {@code offset}: acknowledged operations that recovery
 *     cannot replay past the damage, and that a repair drops
 * @param firstRevisionAfter the revision of the first of them, or -1
 * @param lastRevisionAfter the revision of the last of them, or -1
 */
public record JournalDamage(
        long offset,
        String problem,
        boolean tornTail,
        long nextValidOffset,
        int recordsAfter,
        long firstRevisionAfter,
        long lastRevisionAfter) {
    public JournalDamage {
        Objects.requireNonNull(problem, "problem");
    }

    /** One line: the offset, the problem and what follows it. */
    public String describe() {
        String after = recordsAfter == 0
                ? "no valid record follows"
                : "a valid record follows at offset " + nextValidOffset + " (" + recordsAfter + " valid records"
                        + (firstRevisionAfter >= 0
                                ? ", revisions " + firstRevisionAfter + " to " + lastRevisionAfter
                                : "")
                        + " after the damage)";
        return "offset " + offset + ": " + problem + "; " + after;
    }
}
