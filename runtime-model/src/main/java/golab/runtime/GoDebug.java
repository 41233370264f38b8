package golab.runtime;

import java.util.List;

/**
 * The {@code GODEBUG} settings golab understands, parsed from Go's syntax {@code name=value,name=value}.
 *
 * @param schedtrace  print a {@code SCHED} line every this many milliseconds (0: never)
 * @param scheddetail with schedtrace, print every P, M and G too
 * @param gctrace     print a line per GC cycle in Go's gctrace=1 format
 */
public record GoDebug(int schedtrace, boolean scheddetail, boolean gctrace) {

    /** No debug output. */
    public static final GoDebug NONE = new GoDebug(0, false, false);

    private static final List<String> OPTIONS = List.of("schedtrace", "scheddetail", "gctrace");

    public GoDebug {
        if (schedtrace < 0) {
            throw new IllegalArgumentException("GODEBUG schedtrace=" + schedtrace
                    + ": must be a number of milliseconds >= 0");
        }
    }

    /**
     * Parses {@code GODEBUG}: comma-separated {@code name=value} pairs. An unknown name or a malformed
     * value is rejected with a message naming it and what is allowed.
     */
    public static GoDebug parse(String godebug) {
        GoDebug d = NONE;
        if (godebug == null || godebug.isBlank()) {
            return d;
        }
        for (String pair : godebug.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("GODEBUG: '" + pair + "' is not of the form name=value (allowed names: "
                        + String.join(", ", OPTIONS) + ")");
            }
            String name = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            d = switch (name) {
                case "schedtrace" -> new GoDebug(integer(name, value, Integer.MAX_VALUE), d.scheddetail, d.gctrace);
                case "scheddetail" -> new GoDebug(d.schedtrace, integer(name, value, 1) == 1, d.gctrace);
                case "gctrace" -> new GoDebug(d.schedtrace, d.scheddetail, integer(name, value, 1) == 1);
                default -> throw new IllegalArgumentException("GODEBUG: unknown option '" + name + "' (allowed: "
                        + String.join(", ", OPTIONS) + ")");
            };
        }
        return d;
    }

    private static int integer(String name, String value, int max) {
        try {
            int v = Integer.parseInt(value);
            if (v >= 0 && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("GODEBUG " + name + "=" + value + ": allowed values are integers from 0 to " + max);
    }

    /** Go's syntax for these settings, e.g. {@code schedtrace=1000,scheddetail=1}; empty for none. */
    @Override
    public String toString() {
        List<String> parts = new java.util.ArrayList<>();
        if (schedtrace != 0 || scheddetail) {
            parts.add("schedtrace=" + schedtrace);
            parts.add("scheddetail=" + (scheddetail ? 1 : 0));
        }
        if (gctrace) {
            parts.add("gctrace=1");
        }
        return String.join(",", parts);
    }
}
