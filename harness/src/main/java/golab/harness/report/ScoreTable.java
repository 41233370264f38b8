package golab.harness.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The outcomes of one benchmark class laid out for reading across GOMAXPROCS: a row per method
 * (and mode and other parameter values), a column per {@code gomaxprocs} value.
 */
public record ScoreTable(String className, SortedSet<Column> columns, List<Row> rows) {

    private static final Comparator<Row> ROW_ORDER = Comparator
            .comparing(Row::method)
            .thenComparing(Row::mode)
            .thenComparing(row -> row.otherParams().toString());

    public ScoreTable {
        columns = Collections.unmodifiableSortedSet(new TreeSet<>(columns));
        rows = List.copyOf(rows);
    }

    /** One table per benchmark class, classes in name order. */
    public static List<ScoreTable> of(List<? extends RunOutcome> outcomes) {
        Map<String, List<RunOutcome>> byClass = new TreeMap<>();
        for (RunOutcome outcome : outcomes) {
            byClass.computeIfAbsent(outcome.key().className(), c -> new ArrayList<>()).add(outcome);
        }
        List<ScoreTable> tables = new ArrayList<>();
        byClass.forEach((className, classOutcomes) -> tables.add(ofClass(className, classOutcomes)));
        return tables;
    }

    private static ScoreTable ofClass(String className, List<RunOutcome> outcomes) {
        SortedSet<Column> columns = new TreeSet<>();
        Map<Row.Identity, Map<Column, RunOutcome>> cellsByRow = new LinkedHashMap<>();
        for (RunOutcome outcome : outcomes) {
            Column column = Column.of(outcome.key());
            columns.add(column);
            cellsByRow.computeIfAbsent(Row.Identity.of(outcome.key()), r -> new TreeMap<>()).put(column, outcome);
        }
        List<Row> rows = new ArrayList<>();
        cellsByRow.forEach((identity, cells) -> rows.add(Row.of(identity, cells)));
        rows.sort(ROW_ORDER);
        return new ScoreTable(className, columns, rows);
    }
}
