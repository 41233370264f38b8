package golab.harness.report;

import java.util.Comparator;

/**
 * A column of a score table: one value of the {@code gomaxprocs} parameter, or the single score
 * of a benchmark that has no such parameter.
 */
public sealed interface Column extends Comparable<Column> {

    /** The JMH parameter that the lab sweeps and tabulates across columns. */
    String GOMAXPROCS = "gomaxprocs";

    record Gomaxprocs(String value) implements Column {}

    record Unparameterized() implements Column {}

    static Column of(RunKey key) {
        String value = key.params().get(GOMAXPROCS);
        return value == null ? new Unparameterized() : new Gomaxprocs(value);
    }

    default String header() {
        return switch (this) {
            case Gomaxprocs(String value) -> GOMAXPROCS + "=" + value;
            case Unparameterized() -> "score";
        };
    }

    /** The unparameterized column first, then gomaxprocs in numeric order (1, 2, 10, not 1, 10, 2). */
    @Override
    default int compareTo(Column other) {
        return ORDER.compare(this, other);
    }

    Comparator<Column> ORDER = Comparator
            .comparing((Column c) -> c instanceof Gomaxprocs)
            .thenComparing(c -> c instanceof Gomaxprocs(String value) ? numericKey(value) : 0L)
            .thenComparing(c -> c instanceof Gomaxprocs(String value) ? value : "");

    private static long numericKey(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException notANumber) {
            return Long.MAX_VALUE;
        }
    }
}
