package dev.colony.validation;

import java.util.function.DoubleFunction;

/**
 * One of Colony's own goals for a scenario (docs/workloads.md's Goals table), judged from a measured figure.
 * Colony's goals are far above the original report's 10,000-per-second targets; a run can pass every
 * original target and still miss most of its goals, so the reports show these first.
 *
 * @param scenario the scenario whose run measures it
 * @param name what the goal is about ("DIRECT deliveries/s")
 * @param direction whether the figure must be at least or at most the goal
 * @param goal the goal value, in {@code unit}
 * @param unit the unit of the goal and the figure
 * @param measured the measured figure, or null when this run did not measure it
 * @param note why it was not measured, or null
 */
public record Goal(
        String scenario, String name, Direction direction, double goal, Unit unit, Double measured, String note) {

    /** Which side of the goal value meets it; the goal value itself always meets it. */
    public enum Direction {
        AT_LEAST("≥"),
        AT_MOST("≤");

        public final String symbol;

        Direction(String symbol) {
            this.symbol = symbol;
        }
    }

    /** The outcome of a goal in one run. */
    public enum Verdict {
        MET,
        MISSED,
        NOT_MEASURED
    }

    /** The unit of a goal, and how the reports write a figure in it. */
    public enum Unit {
        PER_SEC(v -> Units.rate(v) + "/s"),
        MICROS(Units::micros),
        MILLIS(Units::millis),
        PERCENT(v -> Units.plain(v) + "%"),
        TIMES(v -> Units.plain(v) + "x"),
        BYTES(Units::bytes);

        private final DoubleFunction<String> format;

        Unit(DoubleFunction<String> format) {
            this.format = format;
        }

        public String format(double value) {
            return format.apply(value);
        }
    }

    public Verdict verdict() {
        if (measured == null) {
            return Verdict.NOT_MEASURED;
        }
        boolean met = direction == Direction.AT_LEAST ? measured >= goal : measured <= goal;
        return met ? Verdict.MET : Verdict.MISSED;
    }

    /**
     * How far the figure is from the goal as a ratio where 1 is the goal and above 1 is better: measured / goal
     * for an at-least goal, goal / measured for an at-most goal; NaN when not measured. Only meaningful for
     * figures that are positive; a percentage overhead is first turned into the time it multiplies (25% is
     * 1.25x), so a negative overhead still gives a positive ratio.
     */
    public double ratio() {
        if (measured == null) {
            return Double.NaN;
        }
        if (unit == Unit.PERCENT) {
            return new Goal(scenario, name, direction, 1 + goal / 100, Unit.TIMES, 1 + measured / 100, note).ratio();
        }
        if (direction == Direction.AT_LEAST) {
            return goal == 0 ? Double.POSITIVE_INFINITY : measured / goal;
        }
        return measured <= 0 ? Double.POSITIVE_INFINITY : goal / measured;
    }

    /** The goal as written: "≥ 50.0M/s". */
    public String goalText() {
        return direction.symbol + " " + unit.format(goal);
    }

    /** The measured figure as written, or why there is none. */
    public String measuredText() {
        return measured == null ? (note == null ? "not measured" : note) : unit.format(measured);
    }

    /** "met", "MISSED" or "not measured". */
    public String verdictText() {
        return switch (verdict()) {
            case MET -> "met";
            case MISSED -> "MISSED";
            case NOT_MEASURED -> "not measured";
        };
    }
}
