package dev.colony.validation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The spread of one figure over a run's measured iterations: median, quartiles and extremes. Quartiles are
 * interpolated linearly between the sorted values (the "type 7" definition of R and NumPy), so two or three
 * iterations still give an interquartile range; one iteration gives none.
 *
 * @param n how many iterations the figure has (0: only the headline value is known, from an older file)
 * @param median the middle value
 * @param min the smallest value
 * @param q1 the first quartile
 * @param q3 the third quartile
 * @param max the largest value
 */
public record Spread(int n, double median, double min, double q1, double q3, double max) {

    /** The spread of {@code values}; when there are none, {@code headline} with no spread ({@code n == 0}). */
    public static Spread of(List<Double> values, double headline) {
        if (values == null || values.isEmpty()) {
            return new Spread(0, headline, headline, headline, headline, headline);
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return new Spread(
                sorted.size(),
                quantile(sorted, 0.5),
                sorted.getFirst(),
                quantile(sorted, 0.25),
                quantile(sorted, 0.75),
                sorted.getLast());
    }

    /** The interquartile range, q3 - q1. */
    public double iqr() {
        return q3 - q1;
    }

    /** The interquartile range as a fraction of the median (0 when the median is 0). */
    public double relativeIqr() {
        return median == 0 ? 0 : iqr() / Math.abs(median);
    }

    public static double quantile(List<Double> sorted, double p) {
        double position = p * (sorted.size() - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.size() - 1);
        double fraction = position - below;
        return sorted.get(below) + fraction * (sorted.get(above) - sorted.get(below));
    }
}
