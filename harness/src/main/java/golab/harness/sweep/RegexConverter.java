package golab.harness.sweep;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Checks a benchmark pattern up front, so a typo is a usage error naming the option instead of
 * a stack trace from inside JMH. The value stays a string: JMH compiles it itself.
 */
final class RegexConverter implements ITypeConverter<String> {

    @Override
    public String convert(String value) {
        try {
            Pattern.compile(value);
            return value;
        } catch (PatternSyntaxException e) {
            throw new TypeConversionException("'" + value + "' is not a Java regular expression ("
                    + e.getDescription() + " near index " + e.getIndex() + "); expected a pattern such as golab\\.workloads\\.sched\\..*");
        }
    }
}
