package golab.harness.sweep;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SequencedSet;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The GOMAXPROCS values a sweep measures each benchmark at, in the order given; each becomes a
 * value of the benchmarks' {@code gomaxprocs} JMH parameter.
 */
public record GomaxprocsList(List<Integer> values) {

    static final String ALLOWED = "a comma-separated list of distinct positive integers, for example 1,2 or 1,2,4";

    public GomaxprocsList {
        if (values.isEmpty() || values.stream().anyMatch(v -> v < 1) || values.stream().distinct().count() != values.size()) {
            throw new IllegalArgumentException("invalid gomaxprocs values " + values + "; expected " + ALLOWED);
        }
        values = List.copyOf(values);
    }

    /** @throws IllegalArgumentException naming the offending value and the allowed syntax */
    public static GomaxprocsList parse(String text) {
        SequencedSet<Integer> values = new LinkedHashSet<>();
        for (String item : text.split(",", -1)) {
            String trimmed = item.strip();
            int value;
            try {
                value = Integer.parseInt(trimmed);
            } catch (NumberFormatException notAnInteger) {
                throw new IllegalArgumentException(describe(text, trimmed, "is not an integer"));
            }
            if (value < 1) {
                throw new IllegalArgumentException(describe(text, trimmed, "is not positive (GOMAXPROCS is at least 1)"));
            }
            if (!values.add(value)) {
                throw new IllegalArgumentException(describe(text, trimmed, "is listed twice"));
            }
        }
        return new GomaxprocsList(new ArrayList<>(values));
    }

    private static String describe(String text, String item, String problem) {
        String what = item.isEmpty() ? "an empty item" : "'" + item + "'";
        String where = text.strip().equals(item) ? "" : "in '" + text + "', ";
        return where + what + " " + problem + "; expected " + ALLOWED;
    }

    /** The values as JMH parameter strings. */
    public String[] asParameterValues() {
        return values.stream().map(String::valueOf).toArray(String[]::new);
    }

    @JsonValue
    public List<Integer> json() {
        return values;
    }

    @Override
    public String toString() {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** Lets picocli report a malformed list as a usage error naming the option. */
    public static final class Converter implements ITypeConverter<GomaxprocsList> {
        @Override
        public GomaxprocsList convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
