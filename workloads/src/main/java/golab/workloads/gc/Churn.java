package golab.workloads.gc;

import java.time.Duration;

/**
 * The shape of the live-heap churn, whatever holds the nodes: golab's model heap ({@link LiveHeapChurn}) or JVM
 * objects ({@code golab.workloads.jvm.JvmLiveHeapChurn}). A table of {@code n} slots, cut into groups of
 * {@value #GROUP} that form binary trees in heap order (the children of slot {@code b + j} are {@code b + 2j + 1}
 * and {@code b + 2j + 2}); mutators owning whole groups, each replacing uniformly chosen slots of its own
 * (splitmix64, Lemire's multiply-shift) in batches paced against the wall clock, as the Go twin
 * {@code workloads/go/gcchurn} does.
 */
public final class Churn {

    public static final int GROUP = 8;
    /** One JMH invocation of a churn workload: this long a window of churn. */
    public static final int WINDOW_MILLIS = 100;
    /** The pacing batch: each mutator allocates this much time's worth of its rate at once. */
    public static final Duration BATCH = Duration.ofMillis(1);

    private Churn() {
    }

    /** How a table replaces the node in slot {@code k} with a fresh one holding {@code val}. */
    @FunctionalInterface
    public interface Table {
        void replace(int k, long val);
    }

    /**
     * How a mutator waits on its scheduler: {@code Go.sleep} and {@code Go.gosched} for goroutines, a park and
     * {@code Thread.yield} for virtual threads.
     */
    public interface Sleeper {
        /** Sleeps {@code nanos} (the next batch is not due yet). */
        void sleep(long nanos);

        /** Lets the scheduler's other tasks run before the next batch (the mutator is behind schedule). */
        void yieldTurn();
    }

    /**
     * What one mutator did: {@code replacements} nodes allocated, {@code lateBatches} batches begun more than a
     * batch interval after they were due.
     */
    public record Mutated(long replacements, long lateBatches) {
    }

    /** The first slot of the group holding slot {@code k}. */
    public static int groupStart(int k) {
        return k & ~(GROUP - 1);
    }

    /** One past the last slot of the group starting at {@code b}, in a table of {@code n}. */
    public static int groupEnd(int b, int n) {
        return Math.min(n, b + GROUP);
    }

    /** The left child's slot of slot {@code k} in the group starting at {@code b}; the right one is the next. */
    public static int leftChild(int b, int k) {
        return b + 2 * (k - b) + 1;
    }

    /** The parent's slot of slot {@code k}, which must not be its group's root. */
    public static int parent(int b, int k) {
        return b + (k - b - 1) / 2;
    }

    /** Whether slot {@code k} is its parent's left child (it must not be its group's root). */
    public static boolean isLeftChild(int b, int k) {
        return ((k - b) & 1) == 1;
    }

    /** The first slot of mutator {@code m} of {@code mutators}, in a table of {@code n}: a whole number of groups. */
    public static int firstSlot(int n, int m, int mutators) {
        long groups = (n + GROUP - 1) / GROUP;
        return (int) Math.min(n, groups * m / mutators * GROUP);
    }

    /**
     * Replaces uniformly chosen slots of {@code [lo, hi)} at {@code rate} bytes per second of {@code nodeBytes}
     * nodes, in batches of {@code batch}'s worth, the {@code b}th due at {@code start + b * interval}, until
     * {@code end} (both {@link System#nanoTime}). A mutator behind schedule does not sleep, and catches up; it
     * yields its turn between batches, as the twin calls {@code runtime.Gosched()}, so that the hiccup probe and the
     * heap sampler run between batches as they would while it sleeps, not only when it is preempted after a time slice.
     */
    public static Mutated mutate(Table table, int lo, int hi, long seed, double rate, long nodeBytes, Duration batch,
            long start, long end, Sleeper sleeper) {
        int size = hi - lo;
        if (size == 0) {
            return new Mutated(0, 0);
        }
        long[] rng = {seed};
        int perBatch = (int) Math.max(1, Math.round(rate * batch.toNanos() / 1e9 / nodeBytes));
        long interval = (long) (perBatch * nodeBytes / rate * 1e9);
        long val = 0;
        long late = 0;
        for (long b = 0; ; b++) {
            long due = start + b * interval;
            if (due >= end) {
                break;
            }
            long now = System.nanoTime();
            if (now >= end) {
                break;
            }
            if (now < due) {
                sleeper.sleep(due - now);
            } else {
                sleeper.yieldTurn();
            }
            if (now - due > interval) {
                late++;
            }
            for (int j = 0; j < perBatch; j++) {
                val++;
                table.replace(lo + below(rng, size), val);
            }
        }
        return new Mutated(val, late);
    }

    /** splitmix64, as the Go twin's. */
    static long next(long[] s) {
        s[0] += 0x9e3779b97f4a7c15L;
        long z = s[0];
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Uniform in {@code [0, n)}: Lemire's multiply-shift. */
    static int below(long[] s, int n) {
        return (int) Math.unsignedMultiplyHigh(next(s), n);
    }

    /** Mutator {@code m}'s seed, derived from the run's as the Go twin derives it. */
    public static long mutatorSeed(long seed, int m) {
        long[] s = {seed + m};
        return next(s);
    }
}
