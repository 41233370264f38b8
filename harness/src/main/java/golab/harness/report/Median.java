package golab.harness.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The median as benchstat summarises runs: the middle value, or the mean of the middle two for an even count. */
final class Median {

    private Median() {
    }

    /** The median of {@code values} (in any order; at least one). */
    static double of(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
