package dev.colony.state;

/** What a compare-and-set did. */
public enum CasOutcome {
    /** Written. */
    OK,
    /** The entry's version was not the expected one (or it exists where absence was expected, or vice versa). */
    VERSION_MISMATCH,
    /** The operation carried a stale {@link Fence}. */
    STALE_TERM
}
