package golab.harness.report;

import java.util.Locale;

/**
 * How numbers appear in reports: a score keeps as many decimals as its error needs for two
 * significant digits, so a reader sees at once which digits are noise; without an error, four
 * significant digits.
 */
public final class ScoreFormat {

    private static final int MAX_DECIMALS = 6;

    private ScoreFormat() {}

    /** {@code 1234.6 ± 5.3}, or just the score when JMH could not estimate an error. */
    public static String scoreWithError(double score, double error) {
        if (!Double.isFinite(error) || error <= 0) {
            return significant(score, 4);
        }
        int decimals = decimalsFor(error, 2);
        return fixed(score, decimals) + " ± " + fixed(error, decimals);
    }

    /** A ratio with three significant digits: {@code 1.95}, {@code 0.0123}, {@code 12.3}. */
    public static String ratio(double ratio) {
        return significant(ratio, 3);
    }

    /** Integer digits are never cut: 123456.7 with four significant digits is {@code 123457}. */
    private static String significant(double value, int digits) {
        if (!Double.isFinite(value)) {
            return String.valueOf(value);
        }
        return value == 0 ? "0" : fixed(value, decimalsFor(value, digits));
    }

    private static int decimalsFor(double value, int significantDigits) {
        int magnitude = (int) Math.floor(Math.log10(Math.abs(value)));
        return Math.clamp(significantDigits - 1 - magnitude, 0, MAX_DECIMALS);
    }

    private static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
