package golab.runtime.gc;

import golab.runtime.heap.SizeClasses;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/*
 * Design of the pacer (Go: gcControllerState in mgcpacer.go; design docs 44167 "GC pacer redesign" and 48409
 * "soft memory limit"; go-runtime.md §7.5, §7.6, §8).
 *
 * The pacer answers three questions for the collector:
 *   - when to start a cycle: the trigger, compared against heapLive on allocation;
 *   - how large the heap may be when the cycle ends: the heap goal;
 *   - how much marking an allocating goroutine owes meanwhile: the assist ratio, revised during mark.
 *
 * The model behind the trigger. Background workers get 25 % of GOMAXPROCS. If the mutator allocates A bytes per
 * CPU-second and the GC scans S bytes per CPU-second, then consMark = A / S, and while the workers do the
 * expected scan work W (last cycle's heap and stack scan plus all globals) on 25 % of the CPUs, the mutator on the
 * other 75 % allocates consMark * 3 * W bytes: the runway. Starting the cycle at goal - runway lets it finish at
 * the goal with no assists. endCycle measures consMark from what really happened and commit turns it into the
 * next runway; assists absorb the error of that estimate within a cycle.
 *
 * Invariants:
 *   1. trigger() <= heapGoal(). When heapMarked < goal the trigger lies in [minTrigger, maxTrigger], where
 *      minTrigger >= heapMarked + 45/64 of (goal - heapMarked) and maxTrigger >= heapMarked + 61/64 of it (or
 *      goal - 4 MiB for large heaps); when heapMarked >= goal the trigger is the goal (GC runs continuously).
 *   2. The memory-limit goal is never below heapMarked: a goal smaller than what survived makes no sense.
 *   3. The goal and the trigger are not stored: they are computed on demand from the inputs that commit() fixes
 *      (gcPercentHeapGoal, runway, sweepDistMinTrigger) and the live MemoryStats. A GOGC or memory-limit change,
 *      or memory growing toward the limit, therefore acts at the next trigger test, not at the next cycle.
 *   4. Outside the memory-limited regime, while the previous sweep is unfinished, goal and trigger are at least
 *      heapLive + 1 MiB as of the last commit, so proportional sweeping ends before the next cycle starts; and
 *      during mark the goal is at least triggered + 64 KiB, so assists never face a zero runway. The memory-
 *      limited regime skips both: there the limit matters more than assist smoothness.
 *   5. heapScan grows with allocation only while no cycle is marking; during mark it is frozen and is the
 *      worst case (all scannable heap live) that revise() extrapolates to.
 *   6. triggered is Long.MAX_VALUE (Go: ^uint64(0)) outside mark.
 *   7. The two assist ratios are published together in one immutable AssistRatio, so a reader never combines
 *      one revision's work-per-byte with another's bytes-per-work (Go publishes them separately and tolerates the
 *      skew).
 *
 * Concurrency. Counters that many threads update at any time (heapLive, heapScan, the scan-work counters,
 * background credit, the time counters, stack and globals sizes, worker slots) are atomics. The cycle methods
 * (startCycle, endCycle, resetLive, commit) run with the world stopped, and the setters under the caller's heap
 * lock; they write plain inputs into volatile fields so that concurrent readers (trigger tests, revise) see each
 * one whole. A reader may see some inputs of a commit and not others; as in Go, each combination is sane. The
 * cons/mark history (the 1.21 window, the 1.19 PI controller) is touched only by endCycle.
 *
 * Sizes are bytes in signed longs; Go's uint64 sentinel ^0 ("no goal", "not triggered") is Long.MAX_VALUE.
 */

/**
 * The GC pacer (Go's {@code gcControllerState}): heap goal, trigger, assist ratio, mark-worker counts and the
 * cons/mark estimate, following the Go release chosen by {@link PacerVersion}. A pure object: it never reads a
 * clock or the heap itself; the collector feeds it allocation, scan work, time and memory figures.
 *
 * <p>Thread-safety: the allocation inputs, scan-work, credit, time and worker methods and all getters may be called
 * from any thread at any time; {@link #startCycle}, {@link #endCycle}, {@link #resetLive} and {@link #commit}
 * must be called with the world stopped, and the setters must not run concurrently with those.
 */
public final class Pacer {

    /** The heap goal's floor at GOGC=100 (Go's {@code defaultHeapMinimum}); scaled by GOGC/100 for other values. */
    public static final long DEFAULT_HEAP_MINIMUM = 4L << 20;

    /** Fraction of GOMAXPROCS the background mark workers use during mark ({@code gcBackgroundUtilization}). */
    public static final double GC_BACKGROUND_UTILIZATION = 0.25;

    /** Largest relative error of rounding to whole dedicated workers before fractional workers make it up. */
    public static final double MAX_UTIL_ERROR = 0.3;

    /** Minimum heap growth left for proportional sweeping between two cycles ({@code sweepMinHeapDistance}). */
    public static final long SWEEP_MIN_HEAP_DISTANCE = 1L << 20;

    /** Least scan work an assist does, pre-paying later allocation ({@code gcOverAssistWork}). */
    public static final long GC_OVER_ASSIST_WORK = 64L << 10;

    /** Scan work a worker accumulates locally before flushing it to the counters and credit. */
    public static final long GC_CREDIT_SLACK = 2000;

    /** Least distance between {@link #triggered()} and the goal while a cycle runs ({@code minRunway}). */
    public static final long MIN_RUNWAY = 64L << 10;

    /** GOGC=off. */
    public static final int GC_PERCENT_OFF = -1;

    /** GOMEMLIMIT=off. */
    public static final long NO_MEMORY_LIMIT = Long.MAX_VALUE;

    /** Trigger bounds as fractions of (goal - heapMarked) over 64: about 0.70 and 0.95. */
    private static final long TRIGGER_RATIO_DEN = 64;
    private static final long MIN_TRIGGER_RATIO_NUM = 45;
    private static final long MAX_TRIGGER_RATIO_NUM = 61;

    /** revise() treats GOGC=off as this, so a forced cycle still gets a finite hard goal. */
    private static final int GC_PERCENT_OFF_FOR_REVISE = 100_000;
    /** How far revise() lets the heap overshoot a goal it has already passed. */
    private static final double MAX_OVERSHOOT = 1.1;
    /** Floor of the remaining scan work in revise(): aiming slightly high beats a division by almost nothing. */
    private static final long MIN_SCAN_WORK_REMAINING = 1000;

    /** Number of previous measurements the 1.21 cons/mark estimate takes the maximum over. */
    private static final int CONS_MARK_HISTORY = 4;

    /**
     * The two assist ratios of one revision: scan work owed per byte allocated, and bytes of allocation one unit
     * of scan work pays for.
     */
    public record AssistRatio(double workPerByte, double bytesPerWork) {
    }

    private final PacerVersion version;
    private final MemoryStats mem;

    private volatile int gcPercent;
    private volatile long memoryLimit;
    private volatile long heapMinimum;

    // Allocation inputs, updated concurrently.
    private final AtomicLong heapLive = new AtomicLong();
    private final AtomicLong heapScan = new AtomicLong();
    private final AtomicLong maxStackScan = new AtomicLong();
    private final AtomicLong globalsScan = new AtomicLong();

    // Results of the last cycle, written with the world stopped.
    private volatile long heapMarked;
    private volatile long lastHeapScan;
    private volatile long lastStackScan;
    private volatile long lastHeapGoal;
    private volatile double consMark;

    // Pacing inputs fixed by commit().
    private volatile long gcPercentHeapGoal;
    private volatile long sweepDistMinTrigger;
    private volatile long runway;

    // Per-cycle state.
    private volatile boolean markActive;
    private volatile long triggered = Long.MAX_VALUE;
    private volatile long markStartNanos;
    private volatile double fractionalUtilizationGoal;
    private final AtomicLong dedicatedMarkWorkersNeeded = new AtomicLong();
    /** Running idle workers in the low 32 bits, their maximum in the high 32: updated together by CAS. */
    private final AtomicLong idleMarkWorkers = new AtomicLong();
    private final AtomicLong heapScanWork = new AtomicLong();
    private final AtomicLong stackScanWork = new AtomicLong();
    private final AtomicLong globalsScanWork = new AtomicLong();
    private final AtomicLong bgScanCredit = new AtomicLong();
    private final AtomicLong assistTime = new AtomicLong();
    private final AtomicLong dedicatedMarkTime = new AtomicLong();
    private final AtomicLong fractionalMarkTime = new AtomicLong();
    private final AtomicLong idleMarkTime = new AtomicLong();
    private volatile AssistRatio assistRatio = new AssistRatio(0, 0);

    // cons/mark smoothing state, touched only by endCycle.
    private final double[] lastConsMark = new double[CONS_MARK_HISTORY];
    private final PiController consMarkController = new PiController();

    /**
     * A pacer before the first cycle: nothing marked, cons/mark 0, sweeping done; so the first goal is the heap
     * minimum (4 MiB at GOGC=100) unless the memory limit is lower.
     *
     * @param gcPercent   GOGC, or {@link #GC_PERCENT_OFF}
     * @param memoryLimit GOMEMLIMIT in bytes, or {@link #NO_MEMORY_LIMIT}
     * @param mem         the memory figures the memory-limit goal reads
     * @throws IllegalArgumentException if {@code gcPercent < -1} or {@code memoryLimit < 0}
     */
    public Pacer(PacerVersion version, int gcPercent, long memoryLimit, MemoryStats mem) {
        this.version = Objects.requireNonNull(version, "version");
        this.mem = Objects.requireNonNull(mem, "mem");
        if (gcPercent < GC_PERCENT_OFF) {
            throw new IllegalArgumentException("gcPercent " + gcPercent + " is invalid: must be -1 (off) or >= 0");
        }
        if (memoryLimit < 0) {
            throw new IllegalArgumentException("memoryLimit " + memoryLimit + " is invalid: must be >= 0 bytes");
        }
        storeGCPercent(gcPercent);
        this.memoryLimit = memoryLimit;
        commit(true);
    }

    public PacerVersion version() {
        return version;
    }

    public int gcPercent() {
        return gcPercent;
    }

    public long memoryLimit() {
        return memoryLimit;
    }

    /** The heap goal's floor, {@link #DEFAULT_HEAP_MINIMUM} × GOGC / 100 (0 for GOGC=0 and GOGC=off). */
    public long heapMinimum() {
        return heapMinimum;
    }

    /**
     * Sets GOGC (Go's {@code debug.SetGCPercent}: any negative value means off) and recommits at once, as after
     * a finished sweep; see {@link #setGCPercent(int, boolean)}. Unlike Go it does not wait for a running mark
     * phase when turning the GC off: the caller owns the cycle.
     *
     * @return the previous GOGC
     */
    public int setGCPercent(int in) {
        return setGCPercent(in, true);
    }

    /**
     * Sets GOGC and recommits, telling {@link #commit} whether the previous cycle's sweep has finished.
     *
     * @return the previous GOGC
     */
    public int setGCPercent(int in, boolean sweepDone) {
        int out = gcPercent;
        storeGCPercent(in);
        commit(sweepDone);
        return out;
    }

    private void storeGCPercent(int in) {
        int percent = Math.max(in, GC_PERCENT_OFF);
        // Go computes this from uint64(-1) for GOGC=off; the value is unused then because the goal is unbounded.
        heapMinimum = percent <= 0 ? 0 : DEFAULT_HEAP_MINIMUM * percent / 100;
        gcPercent = percent;
    }

    /**
     * Sets the memory limit (Go's {@code debug.SetMemoryLimit}: a negative value only reads it) and recommits at
     * once, as after a finished sweep.
     *
     * @return the previous limit
     */
    public long setMemoryLimit(long in) {
        return setMemoryLimit(in, true);
    }

    /**
     * Sets the memory limit and recommits, telling {@link #commit} whether the previous cycle's sweep has finished.
     * A negative value changes nothing and only returns the limit.
     *
     * @return the previous limit
     */
    public long setMemoryLimit(long in, boolean sweepDone) {
        long out = memoryLimit;
        if (in >= 0 && in != out) {
            memoryLimit = in;
            commit(sweepDone);
        }
        return out;
    }

    // ---- allocation inputs ----

    /**
     * Records heap growth (Go's {@code gcController.update}): {@code dHeapLive} bytes more are live (span
     * refills, large allocations; negative when a span's unused tail returns), of which {@code dHeapScan} are
     * scannable. heapScan only moves while no cycle is marking; during mark the assist ratio is revised instead.
     */
    public void update(long dHeapLive, long dHeapScan) {
        if (dHeapLive != 0) {
            heapLive.addAndGet(dHeapLive);
        }
        if (!markActive) {
            if (dHeapScan != 0) {
                heapScan.addAndGet(dHeapScan);
            }
        } else {
            revise();
        }
    }

    /** Records goroutine stack space allocated ({@code delta > 0}) or freed: Go's {@code maxStackScan}. */
    public void addScannableStack(long delta) {
        maxStackScan.addAndGet(delta);
    }

    /** Records {@code bytes} of data and BSS segments, all of which are counted as scannable globals. */
    public void addGlobals(long bytes) {
        globalsScan.addAndGet(bytes);
    }

    public long heapLive() {
        return heapLive.get();
    }

    public long heapScan() {
        return heapScan.get();
    }

    /** Bytes marked by the last cycle; after mark termination equal to heapLive, then fixed until the next. */
    public long heapMarked() {
        return heapMarked;
    }

    /** Allocated goroutine stack bytes: the worst-case stack scan work. */
    public long maxStackScan() {
        return maxStackScan.get();
    }

    public long globalsScan() {
        return globalsScan.get();
    }

    /** Heap bytes scanned by the last cycle. */
    public long lastHeapScan() {
        return lastHeapScan;
    }

    /** Stack bytes scanned by the last cycle. */
    public long lastStackScan() {
        return lastStackScan;
    }

    /**
     * The heap size the running cycle counts its allocation from (see {@link PacerVersion}); Long.MAX_VALUE when
     * no cycle is marking.
     */
    public long triggered() {
        return triggered;
    }

    /** The heap goal when the last mark phase ended, as gctrace prints it. */
    public long lastHeapGoal() {
        return lastHeapGoal;
    }

    /** The cons/mark estimate: allocation bytes per mutator CPU-ns over scan bytes per GC CPU-ns. */
    public double consMark() {
        return consMark;
    }

    /** Bytes of allocation the next cycle should take to finish; the trigger sits this far below the goal. */
    public long runway() {
        return runway;
    }

    /** The GOGC-based goal fixed by the last commit; Long.MAX_VALUE for GOGC=off. */
    public long gcPercentHeapGoal() {
        return gcPercentHeapGoal;
    }

    /** heapLive + 1 MiB as of the last commit while the sweep was unfinished, else 0. */
    public long sweepDistMinTrigger() {
        return sweepDistMinTrigger;
    }

    /** Whether a cycle is between {@link #startCycle} and {@link #resetLive}. */
    public boolean markActive() {
        return markActive;
    }

    // ---- goal and trigger ----

    /**
     * The heap goal (go-runtime.md §8.1): the GOGC goal, or the memory-limit goal when that is lower; outside the
     * memory-limited regime raised to keep the sweep distance and, during mark, 64 KiB above {@link #triggered()}.
     */
    public long heapGoal() {
        return heapGoal(gcPercentHeapGoal, memoryLimitHeapGoal(), sweepDistMinTrigger);
    }

    /**
     * Go's {@code heapGoalInternal} from inputs read once, which {@link #trigger()} also bounds its trigger by.
     * Go returns the goal and the lowest trigger together; a pair here would be an allocation on every trigger
     * test of the allocation path.
     */
    private long heapGoal(long percentGoal, long limitGoal, long sweepDist) {
        if (limitGoal < percentGoal) {
            // Memory-limited: react hard to the limit rather than push the goal past it.
            return limitGoal;
        }
        long goal = Math.max(percentGoal, sweepDist);
        long t = triggered;
        if (t != Long.MAX_VALUE && goal < t + MIN_RUNWAY) {
            goal = t + MIN_RUNWAY;
        }
        return goal;
    }

    /**
     * The heap goal the memory limit allows (go-runtime.md §8.4): the limit minus non-heap memory and any
     * overage, minus the version's headroom, and never below heapMarked. Without a limit this is close to
     * Long.MAX_VALUE, which still caps the goal under GOGC=off as Go's does.
     */
    public long memoryLimitHeapGoal() {
        long limit = memoryLimit;
        long mappedReady = mem.mappedReady();
        // Go re-reads until heapFree + heapAlloc <= mappedReady; here a torn read just counts as no non-heap memory.
        long nonHeap = Math.max(0, mappedReady - mem.heapFree() - mem.heapAlloc());
        long overage = mappedReady > limit ? mappedReady - limit : 0;
        long marked = heapMarked;
        if (nonHeap >= limit - overage) {
            // Non-heap memory alone fills the limit: GC continuously and let the CPU limiter rein it in.
            return marked;
        }
        long goal = limit - (nonHeap + overage);
        long headroom = version.memoryLimitHeadroom(goal);
        goal = goal - headroom < headroom ? headroom : goal - headroom;
        return Math.max(goal, marked);
    }

    /**
     * The heap size at which the next cycle starts (go-runtime.md §8.3): goal − runway, clamped to
     * [heapMarked + 45/64·(goal − heapMarked), max(heapMarked + 61/64·(goal − heapMarked), goal − 4 MiB)] and
     * to the sweep distance; the goal itself when heapMarked has reached it.
     */
    public long trigger() {
        long percentGoal = gcPercentHeapGoal;
        long limitGoal = memoryLimitHeapGoal();
        long sweepDist = sweepDistMinTrigger;
        long goal = heapGoal(percentGoal, limitGoal, sweepDist);
        long marked = heapMarked;
        if (marked >= goal) {
            return goal;
        }
        // The sweep distance bounds the trigger from below unless the memory limit sets the goal.
        long minTrigger = Math.max(limitGoal < percentGoal ? 0 : sweepDist, marked);
        long distance = goal - marked;
        // Divide before multiplying, as Go does: the bounds are exact for distances that are multiples of 64.
        minTrigger = Math.max(minTrigger, distance / TRIGGER_RATIO_DEN * MIN_TRIGGER_RATIO_NUM + marked);
        long maxTrigger = distance / TRIGGER_RATIO_DEN * MAX_TRIGGER_RATIO_NUM + marked;
        if (goal > DEFAULT_HEAP_MINIMUM && goal - DEFAULT_HEAP_MINIMUM > maxTrigger) {
            // Large heaps: the 4 MiB minimum heap is runway enough for a cycle with little to scan.
            maxTrigger = goal - DEFAULT_HEAP_MINIMUM;
        }
        maxTrigger = Math.max(maxTrigger, minTrigger);
        long r = runway;
        long trigger = r > goal ? minTrigger : goal - r;
        return Math.clamp(trigger, minTrigger, maxTrigger);
    }

    /** Whether heapLive has reached {@link #trigger()}: the heap trigger test of Go's {@code gcTrigger.test}. */
    public boolean heapTriggered() {
        return heapLive.get() >= trigger();
    }

    /**
     * Recomputes the inputs of goal and trigger (go-runtime.md §8.1 {@code commit}): the sweep distance, the GOGC
     * goal heapMarked + (heapMarked + lastStackScan + globalsScan) × GOGC/100 (at least the heap minimum;
     * Long.MAX_VALUE for GOGC=off) and the runway consMark × (1 − 0.25)/0.25 × expected scan work. Go 1.19 and
     * 1.21 compute these identically. Revises the assist ratio if a cycle is marking.
     *
     * @param sweepDone whether the previous cycle's sweep has finished (false right after mark termination)
     */
    public void commit(boolean sweepDone) {
        sweepDistMinTrigger = sweepDone ? 0 : heapLive.get() + SWEEP_MIN_HEAP_DISTANCE;

        long marked = heapMarked;
        long stackScan = lastStackScan;
        long globals = globalsScan.get();
        int percent = gcPercent;
        long goal = Long.MAX_VALUE;
        if (percent >= 0) {
            goal = saturatingAdd(marked, percentOf(marked + stackScan + globals, percent));
        }
        gcPercentHeapGoal = Math.max(goal, heapMinimum);

        double scanWork = lastHeapScan + stackScan + globals;
        runway = toBytes(consMark * (1 - GC_BACKGROUND_UTILIZATION) / GC_BACKGROUND_UTILIZATION * scanWork);

        if (markActive) {
            revise();
        }
    }

    /** {@code base × percent / 100}, multiplying first as Go does, saturating where Go's uint64 would wrap. */
    private static long percentOf(long base, int percent) {
        if (percent != 0 && base > Long.MAX_VALUE / percent) {
            return Long.MAX_VALUE;
        }
        return base * percent / 100;
    }

    private static long saturatingAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    /**
     * A runway in bytes. A negative or NaN estimate (a nonsensical measurement, or the 1.19 PI controller
     * swinging below zero) counts as an unbounded runway, so the next cycle starts as early as allowed; Go's
     * uint64 conversion of such values is platform-dependent and on amd64 mostly has the same effect.
     */
    private static long toBytes(double runway) {
        return runway >= 0 ? (long) runway : Long.MAX_VALUE;
    }

    // ---- cycle ----

    /**
     * Starts a cycle's mark phase (go-runtime.md §7.5): resets the per-cycle counters, records where the cycle
     * began ({@link #triggered()}), computes the mark workers, marks the cycle active and sets the first assist
     * ratio.
     *
     * @param procs    GOMAXPROCS for this cycle
     * @param periodic whether the cycle was started by the 2-minute timer, which limits idle workers to 0 (or 1
     *                 when there is no dedicated worker)
     */
    public void startCycle(long markStartNanos, int procs, boolean periodic) {
        if (procs < 1) {
            throw new IllegalArgumentException("procs " + procs + " is invalid: must be >= 1");
        }
        heapScanWork.set(0);
        stackScanWork.set(0);
        globalsScanWork.set(0);
        bgScanCredit.set(0);
        assistTime.set(0);
        dedicatedMarkTime.set(0);
        fractionalMarkTime.set(0);
        idleMarkTime.set(0);
        this.markStartNanos = markStartNanos;
        triggered = switch (version) {
            case GO1_19 -> trigger();
            case GO1_21 -> heapLive.get();
        };

        // Round to whole dedicated workers; if that misses 25 % by more than 30 % (GOMAXPROCS <= 3 or 6), round
        // down and let fractional workers make up the rest.
        double totalUtilizationGoal = procs * GC_BACKGROUND_UTILIZATION;
        long dedicated = (long) (totalUtilizationGoal + 0.5);
        double utilError = dedicated / totalUtilizationGoal - 1;
        double fractional = 0;
        if (utilError < -MAX_UTIL_ERROR || utilError > MAX_UTIL_ERROR) {
            if (dedicated > totalUtilizationGoal) {
                dedicated--;
            }
            fractional = (totalUtilizationGoal - dedicated) / procs;
        }
        fractionalUtilizationGoal = fractional;

        long maxIdle;
        if (periodic) {
            // The program is idle anyway; but with only a fractional worker, which may not get scheduled, one
            // idle worker guarantees progress.
            maxIdle = dedicated > 0 ? 0 : 1;
        } else {
            maxIdle = procs - dedicated;
        }
        setMaxIdleMarkWorkers(maxIdle);
        dedicatedMarkWorkersNeeded.set(dedicated);
        markActive = true;
        revise();
    }

    /** When the running cycle's mark phase started, in ns. */
    public long markStartNanos() {
        return markStartNanos;
    }

    /** Takes a dedicated-worker slot if one is left (the atomic decrement of {@code findRunnableGCWorker}). */
    public boolean tryTakeDedicatedWorker() {
        while (true) {
            long v = dedicatedMarkWorkersNeeded.get();
            if (v <= 0) {
                return false;
            }
            if (dedicatedMarkWorkersNeeded.compareAndSet(v, v - 1)) {
                return true;
            }
        }
    }

    /** Gives back a dedicated-worker slot when that worker stops. */
    public void releaseDedicatedWorker() {
        dedicatedMarkWorkersNeeded.incrementAndGet();
    }

    /** Dedicated workers still to start; at {@link #startCycle} the number the cycle wants. */
    public int dedicatedMarkWorkersNeeded() {
        return (int) dedicatedMarkWorkersNeeded.get();
    }

    /** Fraction of wall time each P should spend in a fractional worker; 0 when dedicated workers suffice. */
    public double fractionalUtilizationGoal() {
        return fractionalUtilizationGoal;
    }

    /** How many idle-priority workers may run at once this cycle. */
    public int maxIdleWorkers() {
        return (int) (idleMarkWorkers.get() >>> 32);
    }

    /** Sets how many idle-priority workers may run, keeping the count running (Go's setMaxIdleMarkWorkers). */
    private void setMaxIdleMarkWorkers(long max) {
        while (true) {
            long w = idleMarkWorkers.get();
            if (idleMarkWorkers.compareAndSet(w, max << 32 | (w & 0xFFFF_FFFFL))) {
                return;
            }
        }
    }

    /** Idle-priority workers running now. */
    public int idleWorkers() {
        return (int) idleMarkWorkers.get();
    }

    /** Whether fewer idle-priority workers run than may (Go's needIdleMarkWorker, racy by design). */
    public boolean needIdleMarkWorker() {
        long w = idleMarkWorkers.get();
        return (int) w < (int) (w >>> 32);
    }

    /** Takes an idle-worker slot if fewer than {@link #maxIdleWorkers()} are running (Go's addIdleMarkWorker). */
    public boolean tryTakeIdleWorker() {
        while (true) {
            long w = idleMarkWorkers.get();
            int running = (int) w;
            if (running >= (int) (w >>> 32)) {
                return false;
            }
            if (idleMarkWorkers.compareAndSet(w, w + 1)) {
                return true;
            }
        }
    }

    /**
     * Gives back an idle-worker slot.
     *
     * @throws IllegalStateException if no idle worker is running
     */
    public void releaseIdleWorker() {
        while (true) {
            long w = idleMarkWorkers.get();
            if ((int) w <= 0) {
                throw new IllegalStateException("releaseIdleWorker: no idle mark worker is running");
            }
            if (idleMarkWorkers.compareAndSet(w, w - 1)) {
                return;
            }
        }
    }

    // ---- scan work and credit ----

    public void addHeapScanWork(long work) {
        heapScanWork.addAndGet(work);
    }

    public void addStackScanWork(long work) {
        stackScanWork.addAndGet(work);
    }

    public void addGlobalsScanWork(long work) {
        globalsScanWork.addAndGet(work);
    }

    /** Heap scan work done this cycle; after mark, the scannable bytes of the live heap. */
    public long heapScanWork() {
        return heapScanWork.get();
    }

    public long stackScanWork() {
        return stackScanWork.get();
    }

    public long globalsScanWork() {
        return globalsScanWork.get();
    }

    /** Scan work done by background workers that assists have not yet stolen. */
    public long bgScanCredit() {
        return bgScanCredit.get();
    }

    public void addBgScanCredit(long work) {
        bgScanCredit.addAndGet(work);
    }

    /**
     * Steals background credit for an assist: atomically takes min({@code want}, available) if both are positive.
     *
     * @return the work taken, 0 if none
     */
    public long stealBgScanCredit(long want) {
        while (true) {
            long available = bgScanCredit.get();
            if (available <= 0 || want <= 0) {
                return 0;
            }
            long take = Math.min(want, available);
            if (bgScanCredit.compareAndSet(available, available - take)) {
                return take;
            }
        }
    }

    /**
     * Recomputes the assist ratio (go-runtime.md §7.6): spread the remaining expected scan work over the heap
     * left before the goal. When more work than expected is done, the heap is assumed to be growing and the goal
     * is extrapolated toward the worst case, capped by the hard goal (1 + GOGC/100) × goal; past the goal, 10 %
     * overshoot is allowed. Safe to call concurrently; meant for the mark phase, when {@link #triggered()} is set.
     */
    public void revise() {
        int percent = gcPercent;
        if (percent < 0) {
            percent = GC_PERCENT_OFF_FOR_REVISE;
        }
        long live = heapLive.get();
        long scan = heapScan.get();
        long work = heapScanWork.get() + stackScanWork.get() + globalsScanWork.get();
        long goal = heapGoal();
        long globals = globalsScan.get();
        long scanWorkExpected = lastHeapScan + lastStackScan + globals;
        long maxScanWork = scan + maxStackScan.get() + globals;
        if (work > scanWorkExpected) {
            // Keep the assist ratio flat as the heap grows: give the extra work proportionally more runway. The
            // next cycle will need at least that much memory anyway.
            long t = triggered;
            double extended = (double) (goal - t) / scanWorkExpected * maxScanWork + t;
            scanWorkExpected = maxScanWork;
            long hardGoal = (long) ((1.0 + percent / 100.0) * goal);
            // With nothing expected (no globals, first cycle) the ratio is infinite or NaN: take the hard goal
            // rather than Go's undefined float-to-int conversion.
            goal = extended < hardGoal ? (long) extended : hardGoal;
        }
        if (live > goal) {
            goal = (long) (goal * MAX_OVERSHOOT);
            scanWorkExpected = maxScanWork;
        }
        // Racy marking may scan objects twice, so the remaining work may even come out negative.
        long scanWorkRemaining = Math.max(scanWorkExpected - work, MIN_SCAN_WORK_REMAINING);
        long heapRemaining = Math.max(goal - live, 1);
        assistRatio = new AssistRatio((double) scanWorkRemaining / heapRemaining,
                (double) heapRemaining / scanWorkRemaining);
    }

    /** The latest assist ratio, both values from the same revision. */
    public AssistRatio assistRatio() {
        return assistRatio;
    }

    /** Scan work an assist owes per byte allocated. */
    public double assistWorkPerByte() {
        return assistRatio.workPerByte();
    }

    /** Bytes of allocation one unit of scan work pays for. */
    public double assistBytesPerWork() {
        return assistRatio.bytesPerWork();
    }

    // ---- time accounting ----

    public void addAssistTime(long nanos) {
        assistTime.addAndGet(nanos);
    }

    public void addDedicatedMarkTime(long nanos) {
        dedicatedMarkTime.addAndGet(nanos);
    }

    public void addFractionalMarkTime(long nanos) {
        fractionalMarkTime.addAndGet(nanos);
    }

    public void addIdleMarkTime(long nanos) {
        idleMarkTime.addAndGet(nanos);
    }

    public long assistTime() {
        return assistTime.get();
    }

    public long dedicatedMarkTime() {
        return dedicatedMarkTime.get();
    }

    public long fractionalMarkTime() {
        return fractionalMarkTime.get();
    }

    public long idleMarkTime() {
        return idleMarkTime.get();
    }

    /**
     * Ends the mark phase (go-runtime.md §8.2): records {@link #lastHeapGoal()} and updates the cons/mark estimate
     * from this cycle, {@code (heapLive − triggered) × (u + uIdle) / (scanWork × (1 − u))} with
     * u = 0.25 + assistTime / (duration × procs) and uIdle = idleMarkTime / (duration × procs), smoothed as the
     * version prescribes. A cycle that saw no allocation past {@link #triggered()} leaves the estimate alone.
     */
    public void endCycle(long nowNanos, int procs) {
        lastHeapGoal = heapGoal();
        long duration = nowNanos - markStartNanos;
        double utilization = GC_BACKGROUND_UTILIZATION;
        double idleUtilization = 0;
        if (duration > 0) {
            double cpu = (double) duration * procs;
            utilization += assistTime.get() / cpu;
            idleUtilization = idleMarkTime.get() / cpu;
        }
        long live = heapLive.get();
        long t = triggered;
        if (live <= t) {
            return;
        }
        // Bytes allocated per mutator CPU-ns over bytes scanned per GC CPU-ns; idle marking counts as GC CPU
        // only, since the mutator could have had that time. Duration and procs cancel out.
        long scanWork = heapScanWork.get() + stackScanWork.get() + globalsScanWork.get();
        double current = (live - t) * (utilization + idleUtilization) / (scanWork * (1 - utilization));
        consMark = switch (version) {
            case GO1_19 -> {
                double next = consMarkController.next(consMark, current);
                // NaN: the controller's error overflowed; start again from no estimate.
                yield Double.isNaN(next) ? 0 : next;
            }
            case GO1_21 -> {
                // Bias toward the highest recent measurement: starting early costs a little memory, assists cost
                // latency.
                double next = current;
                for (double previous : lastConsMark) {
                    next = Math.max(next, previous);
                }
                System.arraycopy(lastConsMark, 1, lastConsMark, 0, CONS_MARK_HISTORY - 1);
                lastConsMark[CONS_MARK_HISTORY - 1] = current;
                yield next;
            }
        };
    }

    /**
     * Sets up the next cycle after mark termination (Go's {@code resetLive}, same in 1.19 and 1.21): the marked
     * bytes become heapMarked and heapLive, this cycle's scan work becomes heapScan, lastHeapScan and
     * lastStackScan, and the cycle stops marking.
     */
    public void resetLive(long bytesMarked) {
        heapMarked = bytesMarked;
        heapLive.set(bytesMarked);
        long heapWork = heapScanWork.get();
        heapScan.set(heapWork);
        lastHeapScan = heapWork;
        lastStackScan = stackScanWork.get();
        triggered = Long.MAX_VALUE;
        markActive = false;
    }

    // ---- sweep pacing ----

    /**
     * Proportional-sweep pacing (go-runtime.md §7.9, Go's {@code gcPaceSweeper}): pages to sweep per byte
     * allocated so that every in-use page is swept before heapLive reaches {@code trigger}, keeping a 1 MiB
     * margin; the heap distance is at least one page. 0 when nothing is left to sweep.
     */
    public static double sweepPagesPerByte(long trigger, long heapLive, long pagesInUse, long pagesSwept) {
        long heapDistance = trigger - heapLive - SWEEP_MIN_HEAP_DISTANCE;
        if (heapDistance < SizeClasses.PAGE_SIZE) {
            heapDistance = SizeClasses.PAGE_SIZE;
        }
        long pages = pagesInUse - pagesSwept;
        return pages <= 0 ? 0 : (double) pages / heapDistance;
    }

    /**
     * The Go 1.19 cons/mark smoother (Go's {@code piController} with kp = 0.9, ti = 4.0, tt = 1000, output in
     * [−1000, 1000], one sample per cycle): it steers its output toward each new measurement, with anti-windup.
     */
    private static final class PiController {
        private static final double KP = 0.9;
        private static final double TI = 4.0;
        private static final double TT = 1000;
        private static final double MIN = -1000;
        private static final double MAX = 1000;
        private static final double PERIOD = 1;

        private double errIntegral;

        /** The next output for {@code input} (the current output) and {@code setpoint}; NaN after an overflow. */
        double next(double input, double setpoint) {
            double rawOutput = KP * (setpoint - input) + errIntegral;
            if (!Double.isFinite(rawOutput)) {
                errIntegral = 0;
                return Double.NaN;
            }
            double output = Math.clamp(rawOutput, MIN, MAX);
            errIntegral += KP * PERIOD / TI * (setpoint - input) + PERIOD / TT * (output - rawOutput);
            if (!Double.isFinite(errIntegral)) {
                errIntegral = 0;
                return Double.NaN;
            }
            return output;
        }
    }
}
