package golab.harness.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * golab's score divided by a JVM baseline's, per column, for two rows of a table that do the
 * same work ({@link Contender}: same group, same mode, same other parameters). Columns where
 * either score is missing, the units differ or the baseline scored zero have no ratio.
 */
public record BaselineRatio(Row golab, Row baseline, SortedMap<Column, Double> ratios) {

    public BaselineRatio {
        ratios = Collections.unmodifiableSortedMap(new TreeMap<>(ratios));
    }

    /** Every golab/baseline pair in the table, in row order. */
    public static List<BaselineRatio> of(ScoreTable table) {
        List<BaselineRatio> pairs = new ArrayList<>();
        for (Row golab : table.rows()) {
            Optional<Contender.Method> golabMethod = Contender.of(golab.method())
                    .filter(m -> m.contender() == Contender.GOLAB);
            if (golabMethod.isEmpty()) {
                continue;
            }
            for (Row baseline : table.rows()) {
                if (isBaselineFor(golab, golabMethod.get().group(), baseline)) {
                    pairs.add(new BaselineRatio(golab, baseline, ratios(table, golab, baseline)));
                }
            }
        }
        return pairs;
    }

    /** Whether golab being better means a ratio above 1 (throughput) rather than below 1 (time per op). */
    public boolean higherIsBetter() {
        return golab.mode().equals("thrpt");
    }

    private static boolean isBaselineFor(Row golab, String group, Row candidate) {
        return Contender.of(candidate.method())
                .filter(m -> m.contender() != Contender.GOLAB && m.group().equals(group))
                .isPresent()
                && candidate.mode().equals(golab.mode())
                && candidate.otherParams().equals(golab.otherParams());
    }

    private static SortedMap<Column, Double> ratios(ScoreTable table, Row golab, Row baseline) {
        SortedMap<Column, Double> ratios = new TreeMap<>();
        for (Column column : table.columns()) {
            Optional<JmhResult> mine = golab.result(column);
            Optional<JmhResult> theirs = baseline.result(column);
            if (mine.isPresent() && theirs.isPresent()
                    && mine.get().unit().equals(theirs.get().unit())
                    && theirs.get().score() != 0) {
                ratios.put(column, mine.get().score() / theirs.get().score());
            }
        }
        return ratios;
    }
}
