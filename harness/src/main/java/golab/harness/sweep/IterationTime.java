package golab.harness.sweep;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The duration of one JMH iteration, written like {@code 500ms}, {@code 1s} or {@code 2min}. */
public record IterationTime(long amount, TimeUnit unit) {

    static final String ALLOWED = "a positive whole number followed by ns, us, ms, s or min (for example 500ms, 1s, 2min)";

    private static final Pattern SYNTAX = Pattern.compile("(\\d{1,9})(ns|us|ms|s|min)");
    private static final Map<String, TimeUnit> UNITS = Map.of(
            "ns", TimeUnit.NANOSECONDS, "us", TimeUnit.MICROSECONDS, "ms", TimeUnit.MILLISECONDS,
            "s", TimeUnit.SECONDS, "min", TimeUnit.MINUTES);

    public IterationTime {
        if (amount <= 0) {
            throw new IllegalArgumentException("an iteration time must be positive: " + amount);
        }
    }

    /** @throws IllegalArgumentException naming the allowed syntax */
    public static IterationTime parse(String text) {
        Matcher matcher = SYNTAX.matcher(text.strip());
        if (!matcher.matches() || Long.parseLong(matcher.group(1)) == 0) {
            throw new IllegalArgumentException("'" + text + "' is not an iteration time; expected " + ALLOWED);
        }
        return new IterationTime(Long.parseLong(matcher.group(1)), UNITS.get(matcher.group(2)));
    }

    public TimeValue toTimeValue() {
        return new TimeValue(amount, unit);
    }

    public Duration toDuration() {
        return Duration.of(amount, unit.toChronoUnit());
    }

    @JsonValue
    @Override
    public String toString() {
        String suffix = UNITS.entrySet().stream()
                .filter(e -> e.getValue() == unit)
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow();
        return amount + suffix;
    }

    /** Lets picocli report a malformed value as a usage error naming the option. */
    public static final class Converter implements ITypeConverter<IterationTime> {
        @Override
        public IterationTime convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
