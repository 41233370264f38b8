package golab.runtime.gc;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsing of the collector's environment settings {@code GOGC} and {@code GOMEMLIMIT} (mgcpacer.go
 * {@code readGOGC}, {@code readGOMEMLIMIT}; string.go {@code parseByteCount}).
 *
 * <p>Both parsers take a value that is present and non-empty: Go treats an empty variable like an unset one, and
 * choosing the default for it ({@link #DEFAULT_GOGC}, {@link #NO_MEMORY_LIMIT}) is the caller's business.
 */
public final class GcSettings {

    /** {@code GOGC=off}: no proportional heap goal. */
    public static final int GOGC_OFF = -1;

    /** GOGC when the variable is not set. */
    public static final int DEFAULT_GOGC = 100;

    /** {@code GOMEMLIMIT=off}, and the limit when the variable is not set. */
    public static final long NO_MEMORY_LIMIT = Long.MAX_VALUE;

    private static final String GOGC_ALLOWED = "allowed values are \"off\" or a non-negative integer percent";

    private static final String GOMEMLIMIT_ALLOWED = "allowed values are \"off\" or a non-negative integer byte count"
            + " with an optional suffix B, KiB, MiB, GiB or TiB";

    /** Digits followed by letters: the shape of a size with a unit, used to name a wrong unit in the message. */
    private static final Pattern NUMBER_WITH_UNIT = Pattern.compile("[0-9]+([A-Za-z]+)");

    private GcSettings() {
    }

    /**
     * The GOGC percent, or {@link #GOGC_OFF} for {@code "off"}.
     *
     * <p>Go falls back to 100 for a value it cannot parse and treats any negative number as off; golab rejects
     * both, so that a typo does not silently run with a different collector setting than intended.
     *
     * @throws IllegalArgumentException for anything but {@code "off"} or a decimal integer from 0 to
     *                                  {@link Integer#MAX_VALUE}, naming the value and what is allowed
     */
    public static int parseGOGC(String value) {
        Objects.requireNonNull(value, "value");
        if (value.equals("off")) {
            return GOGC_OFF;
        }
        if (!isDigits(value)) {
            throw new IllegalArgumentException("GOGC=" + value + ": " + GOGC_ALLOWED);
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException tooLarge) {
            throw new IllegalArgumentException("GOGC=" + value + ": " + GOGC_ALLOWED + " up to " + Integer.MAX_VALUE);
        }
    }

    /**
     * The memory limit in bytes, or {@link #NO_MEMORY_LIMIT} for {@code "off"}.
     *
     * <p>Accepts what Go's {@code parseByteCount} accepts: {@code [0-9]+(([KMGT]i)?B)?}, case-sensitive, where the
     * suffixes are powers of 1024. No sign, fraction, spaces or decimal units ({@code KB}, {@code MB}, ...), and
     * the result must fit in a signed 64-bit count. One difference: Go's integer parser also takes a leading
     * {@code -}, so Go reads {@code -0} and {@code -KiB} as 0; golab rejects them.
     *
     * @throws IllegalArgumentException for anything else, naming the value and the allowed syntax
     */
    public static long parseGOMEMLIMIT(String value) {
        Objects.requireNonNull(value, "value");
        if (value.equals("off")) {
            return NO_MEMORY_LIMIT;
        }
        int shift;
        String number;
        if (value.endsWith("KiB") || value.endsWith("MiB") || value.endsWith("GiB") || value.endsWith("TiB")) {
            shift = 10 * ("KMGT".indexOf(value.charAt(value.length() - 3)) + 1); // KiB = 2^10 ... TiB = 2^40
            number = value.substring(0, value.length() - 3);
        } else if (value.endsWith("B")) {
            shift = 0;
            number = value.substring(0, value.length() - 1);
        } else {
            shift = 0;
            number = value;
        }
        if (!isDigits(number)) {
            Matcher unit = NUMBER_WITH_UNIT.matcher(value);
            if (unit.matches()) {
                throw new IllegalArgumentException("GOMEMLIMIT=" + value + ": unit \"" + unit.group(1)
                        + "\" is not accepted; Go accepts only the suffixes B, KiB, MiB, GiB and TiB (powers of 1024)");
            }
            throw new IllegalArgumentException("GOMEMLIMIT=" + value + ": " + GOMEMLIMIT_ALLOWED);
        }
        try {
            long n = Long.parseLong(number);
            if (n <= Long.MAX_VALUE >> shift) {
                return n << shift;
            }
        } catch (NumberFormatException tooLarge) {
            // reported below, like a count that fits but overflows once scaled by its unit
        }
        throw new IllegalArgumentException("GOMEMLIMIT=" + value + ": more than the largest limit, "
                + Long.MAX_VALUE + " bytes; use \"off\" for no limit");
    }

    /**
     * Whether {@code s} is one or more ASCII digits; checked before {@code parseInt}/{@code parseLong}, which
     * also accept a sign and non-ASCII digits.
     */
    private static boolean isDigits(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
