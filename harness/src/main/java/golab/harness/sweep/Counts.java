package golab.harness.sweep;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Converters for the whole-number options of a sweep, so an out-of-range count is a usage error. */
final class Counts {

    private Counts() {}

    static int atLeast(int minimum, String text) {
        int value;
        try {
            value = Integer.parseInt(text.strip());
        } catch (NumberFormatException notAnInteger) {
            throw new TypeConversionException("'" + text + "' is not a whole number; expected an integer >= " + minimum);
        }
        if (value < minimum) {
            throw new TypeConversionException("'" + text + "' is too small; expected an integer >= " + minimum);
        }
        return value;
    }

    /** Forks and measurement iterations: a sweep without them measures nothing. */
    static final class AtLeastOne implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return atLeast(1, value);
        }
    }

    /** Warmup iterations, which may be skipped. */
    static final class AtLeastZero implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return atLeast(0, value);
        }
    }
}
