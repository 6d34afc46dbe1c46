package dev.colony.cli.args;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/**
 * The up-front heap check of a command's size options. Each option is given with an estimate of the bytes one
 * unit of it keeps on the heap for the whole run (taken from what the command allocates per agent, task or
 * message); a run whose total is more than half of {@link Runtime#maxMemory()} is refused before it starts,
 * with a usage error naming the options, the estimate and the limit. Half, because the run also needs room
 * for what it allocates and discards as it goes (encoded snapshots, envelopes, reports) and a garbage
 * collector needs headroom to keep up.
 */
public final class HeapBudget {
    /**
     * The heap one agent of an embedded colony keeps (registry record, inbox, virtual thread, announcements'
     * share): the {@code load} scenario measured 1.9 to 4.7 KB per agent after GC, from 100,000 agents down to
     * 100 (docs/benchmarks/agents.md); rounded up to 8 KiB for the snapshots and messages a run has in flight.
     */
    public static final long AGENT_BYTES = 8 * 1024;

    /**
     * One size option and its estimated cost.
     *
     * @param option the option, e.g. {@code --agents}
     * @param count its value
     * @param bytesEach the estimated bytes one unit keeps on the heap
     * @param unit what one unit is, e.g. {@code agent}
     */
    public record Need(String option, long count, long bytesEach, String unit) {}

    private HeapBudget() {}

    /** The bytes a run may plan on: half of the JVM's maximum heap. */
    public static long available() {
        return Runtime.getRuntime().maxMemory() / 2;
    }

    /**
     * Refuses the run if {@code needs} add up to more than {@link #available()}.
     *
     * @throws CommandLine.ParameterException saying the estimate, the limit and the rule
     */
    public static void check(CommandLine.Model.CommandSpec spec, Need... needs) {
        long total = 0;
        for (Need need : needs) {
            total = saturatedAdd(total, saturatedMultiply(need.count(), need.bytesEach()));
        }
        if (total <= available()) {
            return;
        }
        List<String> options = new ArrayList<>();
        List<String> rates = new ArrayList<>();
        for (Need need : needs) {
            options.add(String.format(Locale.ROOT, "%s %,d", need.option(), need.count()));
            rates.add(bytes(need.bytesEach()) + " per " + need.unit());
        }
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                String.join(" with ", options) + " would need about " + bytes(total) + " of heap (about "
                        + String.join(", ", rates) + "), more than the " + bytes(available())
                        + " a run may use (half of the maximum heap, "
                        + bytes(Runtime.getRuntime().maxMemory())
                        + "): lower them or raise -Xmx");
    }

    static String bytes(long bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " bytes" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    private static long saturatedMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return high == 0 && low >= 0 ? low : Long.MAX_VALUE;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
