package golab.harness.report;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One line of a score table: a benchmark method in one mode with fixed values of its other
 * parameters, with an outcome per {@link Column}.
 *
 * @param otherParams the parameters except {@code gomaxprocs}, which spans the columns
 */
public record Row(String method, String mode, SortedMap<String, String> otherParams, SortedMap<Column, RunOutcome> cells) {

    public Row {
        otherParams = Collections.unmodifiableSortedMap(new TreeMap<>(otherParams));
        cells = Collections.unmodifiableSortedMap(new TreeMap<>(cells));
    }

    /** The row a run belongs to: its key without gomaxprocs. */
    record Identity(String method, String mode, SortedMap<String, String> otherParams) {

        static Identity of(RunKey key) {
            SortedMap<String, String> other = new TreeMap<>(key.params());
            other.remove(Column.GOMAXPROCS);
            return new Identity(key.method(), key.mode(), other);
        }
    }

    Identity identity() {
        return new Identity(method, mode, otherParams);
    }

    /** The method, followed by the other parameter values when there are any. */
    public String label() {
        String values = otherParams.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
        return values.isEmpty() ? method : method + " " + values;
    }

    /** The unit of the row's scores; JMH uses one unit per benchmark method and mode. */
    public Optional<String> unit() {
        return cells.values().stream()
                .filter(JmhResult.class::isInstance)
                .map(outcome -> ((JmhResult) outcome).unit())
                .findFirst();
    }

    public Optional<JmhResult> result(Column column) {
        return cells.get(column) instanceof JmhResult result ? Optional.of(result) : Optional.empty();
    }

    static Row of(Identity identity, Map<Column, RunOutcome> cells) {
        return new Row(identity.method(), identity.mode(), identity.otherParams(), new TreeMap<>(cells));
    }
}
