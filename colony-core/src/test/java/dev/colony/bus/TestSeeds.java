package dev.colony.bus;

/**
 * Seeds of the randomized tests: fixed by default so a run is repeatable, printed so a failure can be
 * replayed, and overridable with {@code -Dcolony.seed=N} to explore other cases.
 */
public final class TestSeeds {
    private TestSeeds() {}

    /** The seed for {@code test}: {@code -Dcolony.seed} when set, else {@code fallback}; printed either way. */
    public static long seed(String test, long fallback) {
        String override = System.getProperty("colony.seed");
        long seed = override == null || override.isBlank() ? fallback : Long.parseLong(override.strip());
        System.out.printf("[seed] %s: seed=%d (replay with -Dcolony.seed=%d)%n", test, seed, seed);
        return seed;
    }
}
