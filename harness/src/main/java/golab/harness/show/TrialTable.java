package golab.harness.show;

import golab.harness.run.StoredTrial;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * The trials of a stored run as a Markdown table: one row per trial and stream, with the count and the p50, p99,
 * p99.9 and max of the values recorded during measurement iterations, in milliseconds.
 */
public final class TrialTable {

    private TrialTable() {
    }

    public static String render(List<StoredTrial> trials) {
        StringBuilder table = new StringBuilder(
                "| benchmark | parameters | fork | stream | count | p50 ms | p99 ms | p99.9 ms | max ms |\n"
                        + "|---|---|---|---|---|---|---|---|---|\n");
        for (StoredTrial trial : trials) {
            String params = new TreeMap<>(trial.manifest().params()).entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(" "));
            for (String stream : trial.manifest().streams()) {
                Histogram h = trial.measurement(stream);
                table.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %d | %s | %s | %s | %s |%n",
                        shortName(trial.manifest().benchmark()), params, trial.folder().path().getFileName(), stream,
                        h.getTotalCount(), percentile(h, 50), percentile(h, 99), percentile(h, 99.9),
                        h.getTotalCount() == 0 ? "-" : millis(h.getMaxValue())));
            }
        }
        return table.toString();
    }

    /** {@code Class.method} of a JMH benchmark name; a Go twin's name ({@code go.requestserver}) as it is. */
    private static String shortName(String benchmark) {
        String[] parts = benchmark.split("\\.");
        return parts.length > 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : benchmark;
    }

    private static String percentile(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? "-" : millis(h.getValueAtPercentile(percentile));
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }
}
