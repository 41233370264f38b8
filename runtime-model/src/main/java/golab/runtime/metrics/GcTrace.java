package golab.runtime.metrics;

import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * {@code GODEBUG=gctrace=1} output in Go 1.19+'s exact format (mgc.go {@code gcMarkTermination}), one line per
 * cycle:
 * <pre>
 * gc 24 @0.301s 12%: 0.010+10+0.023 ms clock, 0.021+0.21/0.44/4.7+0.047 ms cpu, 52-&gt;64-&gt;33 MB, 62 MB goal, 0 MB stacks, 0 MB globals, 2 P
 * </pre>
 * followed by {@code " (forced)"} for a cycle started by {@code runtime.GC}. runtime/extern.go documents the
 * globals field as {@code #MB globals}, but the runtime prints a space before {@code MB} like the other sizes;
 * golab prints what Go prints.
 */
public final class GcTrace {

    private static final String MS = "\\d+(?:\\.\\d+)?";

    /**
     * One complete gctrace line as Go prints it, without the newline. Every field is a named group:
     * {@code cycle, seconds, util, sweepTerm, mark, markTerm, sweepTermCpu, assistCpu, backgroundCpu, idleCpu,
     * markTermCpu, heap0, heap1, heap2, goal, stacks, globals, procs}; {@code forced} is present only for forced
     * cycles. Times are the printed millisecond strings, sizes the printed MB counts.
     */
    public static final Pattern LINE = Pattern.compile("gc (?<cycle>\\d+) @(?<seconds>\\d+\\.\\d{3})s (?<util>\\d+)%: "
            + "(?<sweepTerm>" + MS + ")\\+(?<mark>" + MS + ")\\+(?<markTerm>" + MS + ") ms clock, "
            + "(?<sweepTermCpu>" + MS + ")\\+(?<assistCpu>" + MS + ")/(?<backgroundCpu>" + MS + ")/(?<idleCpu>" + MS
            + ")\\+(?<markTermCpu>" + MS + ") ms cpu, "
            + "(?<heap0>\\d+)->(?<heap1>\\d+)->(?<heap2>\\d+) MB, (?<goal>\\d+) MB goal, (?<stacks>\\d+) MB stacks, "
            + "(?<globals>\\d+) MB globals, (?<procs>\\d+) P(?<forced> \\(forced\\))?");

    private GcTrace() {
    }

    /**
     * What gctrace reports about one finished cycle. Times are nanoseconds, sizes bytes.
     *
     * @param cycle              cycle number, counting from 1 ({@code memstats.numgc} after the increment)
     * @param sinceStartNanos    from runtime start to the start of this cycle's sweep termination
     * @param cpuFraction        fraction of all CPU time since start spent in GC, 0 to 1
     * @param sweepTermNanos     wall time of the sweep-termination stop-the-world
     * @param markNanos          wall time of the concurrent mark phase
     * @param markTermNanos      wall time of the mark-termination stop-the-world
     * @param sweepTermCpuNanos  CPU time of sweep termination (stop-the-world procs × wall time)
     * @param assistCpuNanos     CPU time of mutator assists
     * @param backgroundCpuNanos CPU time of dedicated and fractional mark workers
     * @param idleCpuNanos       CPU time of idle mark workers
     * @param markTermCpuNanos   CPU time of mark termination (stop-the-world procs × wall time)
     * @param heap0              live heap when the cycle started
     * @param heap1              live heap at mark termination
     * @param heap2              bytes marked (the live heap after the cycle)
     * @param heapGoal           heap goal of this cycle
     * @param stacks             goroutine stack bytes scanned
     * @param globals            size of the scannable globals
     * @param procs              GOMAXPROCS when the cycle started
     * @param forced             started by {@code runtime.GC}
     */
    public record Cycle(int cycle, long sinceStartNanos, double cpuFraction,
                        long sweepTermNanos, long markNanos, long markTermNanos,
                        long sweepTermCpuNanos, long assistCpuNanos, long backgroundCpuNanos, long idleCpuNanos,
                        long markTermCpuNanos,
                        long heap0, long heap1, long heap2, long heapGoal, long stacks, long globals,
                        int procs, boolean forced) {

        public Cycle {
            if (cycle < 1 || procs < 1) {
                throw new IllegalArgumentException("cycle " + cycle + " and procs " + procs + " must be >= 1");
            }
            if (!(cpuFraction >= 0 && cpuFraction <= 1)) {
                throw new IllegalArgumentException("cpuFraction " + cpuFraction + " must be within [0, 1]");
            }
            // Go prints these as unsigned, so a negative value would come out as a huge number; refuse it here.
            long[] amounts = {sinceStartNanos, sweepTermNanos, markNanos, markTermNanos, sweepTermCpuNanos,
                    assistCpuNanos, backgroundCpuNanos, idleCpuNanos, markTermCpuNanos,
                    heap0, heap1, heap2, heapGoal, stacks, globals};
            for (long a : amounts) {
                if (a < 0) {
                    throw new IllegalArgumentException("times and sizes must be >= 0: " + Arrays.toString(amounts));
                }
            }
        }
    }

    /** The gctrace line for {@code c}, without the newline. */
    public static String format(Cycle c) {
        return "gc " + c.cycle()
                + " @" + decimal(c.sinceStartNanos() / 1_000_000, 3) + "s "
                + (int) (c.cpuFraction() * 100) + "%: "
                + formatNanosAsMillis(c.sweepTermNanos()) + "+" + formatNanosAsMillis(c.markNanos())
                + "+" + formatNanosAsMillis(c.markTermNanos()) + " ms clock, "
                + formatNanosAsMillis(c.sweepTermCpuNanos()) + "+" + formatNanosAsMillis(c.assistCpuNanos())
                + "/" + formatNanosAsMillis(c.backgroundCpuNanos()) + "/" + formatNanosAsMillis(c.idleCpuNanos())
                + "+" + formatNanosAsMillis(c.markTermCpuNanos()) + " ms cpu, "
                + mb(c.heap0()) + "->" + mb(c.heap1()) + "->" + mb(c.heap2()) + " MB, "
                + mb(c.heapGoal()) + " MB goal, "
                + mb(c.stacks()) + " MB stacks, "
                + mb(c.globals()) + " MB globals, "
                + c.procs() + " P"
                + (c.forced() ? " (forced)" : "");
    }

    /**
     * {@code nanos} as milliseconds the way Go's {@code fmtNSAsMS} writes them: from 10 ms on, whole
     * milliseconds; below, the whole microseconds cut (not rounded) to two significant digits and written with
     * at most three decimals, keeping trailing zeros ({@code 0.010}, {@code 0.21}, {@code 4.7}, {@code 1.0});
     * below 1 µs, {@code 0}.
     */
    public static String formatNanosAsMillis(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("negative duration " + nanos + " ns");
        }
        if (nanos >= 10_000_000) {
            return Long.toString(nanos / 1_000_000);
        }
        long micros = nanos / 1_000;
        if (micros == 0) {
            return "0";
        }
        int decimals = 3;
        while (micros >= 100) {
            micros /= 10;
            decimals--;
        }
        return decimal(micros, decimals);
    }

    /** {@code scaled / 10^decimals} with exactly {@code decimals} digits after the point. */
    private static String decimal(long scaled, int decimals) {
        long unit = 1;
        for (int i = 0; i < decimals; i++) {
            unit *= 10;
        }
        String fraction = Long.toString(scaled % unit);
        return scaled / unit + "." + "0".repeat(decimals - fraction.length()) + fraction;
    }

    /** Truncated, as Go's {@code >> 20}. */
    private static long mb(long bytes) {
        return bytes >> 20;
    }
}
