package golab.runtime.gc;

import golab.runtime.GoConfig;
import golab.runtime.heap.GcController;
import golab.runtime.heap.MCache;
import golab.runtime.heap.MHeap;
import golab.runtime.heap.Sweeper;
import golab.runtime.heap.WriteBarrier;
import golab.runtime.metrics.GcTrace;
import golab.runtime.metrics.TimeHistogram;
import golab.runtime.sched.G;
import golab.runtime.sched.P;
import golab.runtime.sched.Park;
import golab.runtime.sched.RuntimeLock;
import golab.runtime.sched.Sched;
import golab.runtime.sched.Sema;
import golab.runtime.sched.WaitReason;
import golab.runtime.sched.WorldStop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The garbage collector: Go's mgc.go — a concurrent, non-moving, tri-colour mark-sweep collector with the
 * hybrid write barrier, paced by {@link Pacer}.
 *
 * <p>A cycle, as in Go:
 * <ol>
 *   <li><b>Trigger</b>: an allocation that took a span tests {@code heapLive >= trigger}
 *       ({@link #maybeStart}); {@link #gc} forces a cycle.</li>
 *   <li><b>Sweep termination</b>, world stopped: finish sweeping, rotate sync.Pool caches, start the
 *       pacer's cycle, switch on the write barrier and allocate-black, snapshot the roots, grey every P's
 *       tiny block, enable marking ({@link #blackenEnabled}).</li>
 *   <li><b>Concurrent mark</b>: background workers ({@link MarkWorkers}) and assists ({@link Assists}) drain
 *       root jobs and grey objects ({@link Marker}) while goroutines run; every pointer store shades the old
 *       and the new pointer into its P's {@link WbBuf}.</li>
 *   <li><b>Mark termination</b> ({@link #markDone}): when no marker is active and no work is left, a
 *       ragged barrier flushes every P's buffers; if that produced no new work, the world is stopped, the
 *       pacer ends the cycle, the barrier goes off, every mcache is released and sweepgen advances.</li>
 *   <li><b>Concurrent sweep</b>: the background sweeper and proportional sweeping on allocation
 *       ({@link Sweeper}) free what was not marked, until the next cycle begins.</li>
 * </ol>
 * Each stop-the-world is timed as Go times it ({@code work.pauseStart} to {@code now} in mgc.go), so
 * time-to-safepoint counts in {@code /gc/pauses:seconds}: from the stop request to the restart, that is,
 * for sweep termination until the restart has woken the Ms of the Ps with work (the time
 * {@link WorldStop#startTheWorld} returns), for mark termination until the world is about to restart.
 *
 * <p>Invariants: {@link #phase} changes only with the world stopped; the write barrier is on exactly while
 * it is not {@link Phase#OFF}; {@link #blackenEnabled} implies {@link Phase#MARK}; one cycle at a time
 * ({@link #startSema}); marking never overlaps sweeping (sweep termination finishes the sweep first); the cycle
 * holds gcsema from its start to the end of mark termination, so GOMAXPROCS does not change while it marks.
 */
public final class Collector implements GcController, MemoryStats {

    /** Go's reduceExtraPercent: the scavenger keeps mapped memory under 95% of the memory limit. */
    private static final long SCAVENGE_REDUCE_EXTRA_PERCENT = 5;

    /** Go's gcphase. */
    public enum Phase { OFF, MARK, MARKTERMINATION }

    final Sched sched;
    final MHeap heap;
    final Pacer pacer;
    final CpuLimiter limiter;
    final Marker marker;
    final Assists assists;
    final MarkWorkers workers;
    private final GoConfig config;
    private final WriteBarrier barrier = this::writeBarrier;

    volatile Phase phase = Phase.OFF;
    /** Go's gcBlackenEnabled: workers and assists may mark. */
    volatile boolean blackenEnabled;
    volatile long markStartTime;

    /** Go's work.startSema: one goroutine at a time starts a cycle. */
    private final Sema startSema = new Sema(1);
    /** Go's work.markDoneSema: one goroutine at a time decides whether marking has ended. */
    private final Sema markDoneSema = new Sema(1);
    /** sync.Pool's cache rotation (runtime_registerPoolCleanup), one for the process as in Go. */
    private static volatile Runnable poolCleanup = () -> { };
    private final long startNanos = System.nanoTime();

    // Cycle bookkeeping, written by the goroutine driving the cycle.
    private final AtomicLong cyclesStarted = new AtomicLong();
    private volatile long cyclesDone;
    private final AtomicLong forcedCycles = new AtomicLong();
    private boolean forced;
    private long heap0;
    private long tSweepTerm;
    private long tMark;
    private int cycleProcs;
    private long sweepTermPause;

    // Cumulative statistics for runtime/metrics and gctrace.
    private final TimeHistogram pauses = new TimeHistogram();
    /** The stopping part of each pause: request to the last P stopped (Go 1.22's /sched/pauses/stopping/gc). */
    private final TimeHistogram stopping = new TimeHistogram();
    private final AtomicLong assistNanos = new AtomicLong();
    private final AtomicLong dedicatedNanos = new AtomicLong();
    private final AtomicLong fractionalNanos = new AtomicLong();
    private final AtomicLong idleNanos = new AtomicLong();
    private final AtomicLong pauseCpuNanos = new AtomicLong();

    /** Structures holding Refs (channels, pools), scanned as roots each cycle; weakly held. */
    private final java.util.Map<RootHolder, Boolean> rootHolders =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());
    /** Holders added to {@link #rootHolders} so far, guarded by its lock: tells a copy it is out of date. */
    private long rootHoldersAdded;

    // Goroutines waiting in runtime.GC for a mark phase to end, and the background sweeper.
    private final RuntimeLock waitLock = new RuntimeLock();
    private final List<G> cycleWaiters = new ArrayList<>();
    private G bgSweeper;
    private boolean bgSweeperParked;

    /** The collector of a run: installs itself on the scheduler and the heap; nothing runs until a cycle starts. */
    public Collector(Sched sched, GoConfig config) {
        this.sched = sched;
        this.heap = sched.heap;
        this.config = config;
        this.pacer = new Pacer(config.pacer(), config.gogc(), config.gomemlimit(), this);
        this.limiter = new CpuLimiter(config.gomaxprocs(), System.nanoTime());
        this.assists = new Assists(this);
        this.marker = new Marker(sched, pacer, limiter, assists, () -> phase == Phase.MARK, GoConfig.MAX_GOMAXPROCS);
        this.workers = new MarkWorkers(this, GoConfig.MAX_GOMAXPROCS);
        heap.setGcController(this);
        sched.setGcScheduling(workers);
        GcMetrics.register(sched.metrics(), this);
    }

    // ------------------------------------------------------------------ the allocator's side

    @Override
    public void update(long dHeapLive, long dHeapScan) {
        pacer.update(dHeapLive, dHeapScan);
    }

    @Override
    public long heapLive() {
        return pacer.heapLive();
    }

    @Override
    public long mappedReady() {
        return heap.mappedBytes() - heap.releasedBytes();
    }

    @Override
    public long heapFree() {
        return heap.freeBytes();
    }

    @Override
    public long heapAlloc() {
        return heap.stats().objectsBytes();
    }

    /**
     * Called by the allocating goroutine {@code gp} before it allocates {@code size} bytes: charges the allocation
     * to its assist credit during a mark phase (Go's deductAssistCredit). May mark, park or yield.
     */
    public void beforeAlloc(G gp, long size) {
        if (blackenEnabled) {
            assists.deductAssistCredit(gp, size);
        }
    }

    /** Called after an allocation: if it took a span from the heap, tests the heap trigger and starts a cycle. */
    public void afterAlloc(MCache c) {
        if (c.takeNeedGCCheck() && phase == Phase.OFF && pacer.heapTriggered()) {
            start(false);
        }
    }

    /** Registers sync.Pool's cleanup, run with the world stopped at the start of every cycle (clearpools). */
    public static void registerPoolCleanup(Runnable cleanup) {
        poolCleanup = cleanup;
    }

    /**
     * The pacer's root sizes are kept at their source, as in Go, so no pause has to recount them: the stack
     * allocator reports each P's stack-size change once it passes the slack (Go's maxStackScan, which likewise
     * leaves each P's unflushed delta out), and a global is counted when it is registered (Go's globalsScan).
     */
    @Override
    public void addScannableStack(long delta) {
        pacer.addScannableStack(delta);
    }

    @Override
    public void addGlobals(long bytes) {
        pacer.addGlobals(bytes);
    }

    // ------------------------------------------------------------------ cycle start

    /**
     * Go's gcStart, with one difference. Go's callers all wait their turn on startSema; here only a forced start
     * does. A heap-triggered start runs right after an allocation whose result the caller holds only in a Java
     * local, invisible to the collector until it is stored ({@link golab.runtime.heap.Heap}): waiting while
     * another goroutine starts the cycle could last through its whole mark phase, so such a start gives up
     * instead. It sweeps the previous cycle's leftover spans only once it holds startSema (Go sweeps them
     * before), for the same reason: sweeping has safepoints, and no other goroutine can start a cycle meanwhile.
     */
    private void start(boolean force) {
        if (Park.getg().isSystem()) {
            return;
        }
        if (force) {
            startSema.acquire(false, WaitReason.SEMACQUIRE);
        } else if (!startSema.tryAcquire()) {
            return;
        }
        try {
            if (phase != Phase.OFF || (!force && !pacer.heapTriggered())) {
                return;
            }
            // Leftover spans of the previous cycle are swept concurrently first (Go's "for trigger.test() && sweepone()").
            Sweeper sweeper = heap.sweeper();
            while (!sweeper.isSweepDone() && sweeper.sweepone() != -1) {
                Park.checkpoint();
            }
            WorldStop.acquireGcsema(); // as gcStart: the Ps stay as they are until mark termination gives it back
            int procs = sched.gomaxprocs();
            workers.ensureStarted(procs);
            ensureBgSweeper();
            // Go's gcResetMarkState, before the world stops: no goroutine's assist credit moves outside a mark
            // phase (deductAssistCredit needs blackenEnabled), so every G starts the cycle with none.
            for (G gp : sched.allGoroutines()) {
                gp.gcAssistBytes = 0;
            }
            heap0 = pacer.heapLive();
            forced = force;
            // Copied before the world stops (inside, the copy's cold code took some 13 µs of every sweep
            // termination), and copied again inside only if a holder was registered in between.
            RootHolderCopy holders = copyRootHolders();

            tSweepTerm = System.nanoTime();
            stopping.record(WorldStop.stopTheWorld(sched));
            sweeper.finishSweep();
            poolCleanup.run();
            cyclesStarted.incrementAndGet();
            cycleProcs = sched.gomaxprocs();
            long now = System.nanoTime();
            workers.startCycle();
            pacer.startCycle(now, cycleProcs, false);
            limiter.startGCTransition(true, now);
            phase = Phase.MARK;
            heap.setWriteBarrier(barrier);
            heap.setAllocBlack(true);
            marker.prepareRoots(heap.globals(), sched.allGoroutines(), upToDate(holders).holders());
            for (P pp : sched.allPs()) {
                long tiny = pp.mcache().tinyBlock();
                if (tiny != 0) {
                    marker.shade(tiny, marker.gcw(pp.id()));
                }
            }
            markStartTime = System.nanoTime();
            blackenEnabled = true;
            tMark = WorldStop.startTheWorld(sched);
            sweepTermPause = tMark - tSweepTerm;
            recordPause(sweepTermPause, cycleProcs);
            limiter.finishGCTransition(tMark);
        } finally {
            startSema.release(false);
        }
    }

    // ------------------------------------------------------------------ the write barrier

    /** Go's gcWriteBarrier fast path: record old and new pointer in this P's buffer, shade them when it fills. */
    private void writeBarrier(long slot, long old, long ptr) {
        int pid = Park.currentP().id();
        WbBuf b = marker.wbBuf(pid);
        if (b.put(old, ptr)) {
            b.flush(marker, marker.gcw(pid));
        }
    }

    /** Registers a structure holding Refs as a root (idempotent; see {@link Refs}). */
    void registerRootHolder(RootHolder h) {
        synchronized (rootHolders) {
            if (rootHolders.putIfAbsent(h, Boolean.TRUE) == null) {
                rootHoldersAdded++;
            }
        }
    }

    /** The root holders registered when {@code added} holders had been. */
    private record RootHolderCopy(List<RootHolder> holders, long added) {
    }

    private RootHolderCopy copyRootHolders() {
        synchronized (rootHolders) {
            return new RootHolderCopy(new ArrayList<>(rootHolders.keySet()), rootHoldersAdded);
        }
    }

    /** {@code copy}, or a new copy if a holder was registered since it was taken. */
    private RootHolderCopy upToDate(RootHolderCopy copy) {
        synchronized (rootHolders) {
            return copy.added() == rootHoldersAdded ? copy : copyRootHolders();
        }
    }

    /** Shades {@code addr} through the write barrier if a cycle is marking (a Ref moved; see {@link Refs}). */
    void shadeRef(long addr) {
        if (phase != Phase.OFF && addr != 0) {
            writeBarrier(0, 0, addr);
        }
    }

    // ------------------------------------------------------------------ mark termination

    /**
     * Go's gcMarkDone: called by a marker that found no marker active and no work. Confirms termination with a
     * ragged barrier (every P flushes its write-barrier buffer and its grey objects); if some P still had
     * work, marking goes on. Otherwise the world is stopped and the cycle ends.
     */
    void markDone() {
        // Every caller waits its turn and then checks the transition condition itself, as in Go: one that finds
        // marking already ended (or not ended yet) just lets go.
        markDoneSema.acquire(false, WaitReason.SEMACQUIRE);
        terminateIfDone();
    }

    private boolean markingLooksDone() {
        return phase == Phase.MARK && marker.active.get() == 0 && !marker.workAvailable(-1);
    }

    /** The body of {@link #markDone}, run holding markDoneSema; gives it back on every path. */
    private void terminateIfDone() {
        while (markingLooksDone()) {
            // Held from before the ragged barrier until the world is stopped, as Go's gcMarkDone holds worldsema:
            // no other stop-the-world comes between the barrier and the check after the stop.
            WorldStop.acquireWorld();
            boolean[] flushed = {false};
            WorldStop.forEachP(pp -> {
                GcWork w = marker.gcw(pp.id());
                marker.wbBuf(pp.id()).flush(marker, w);
                w.dispose();
                if (w.flushedWork) {
                    flushed[0] = true;
                    w.flushedWork = false;
                }
            });
            if (flushed[0]) {
                WorldStop.releaseWorld();
                continue; // new grey objects were published: check again, markers will pick them up
            }
            long tMarkTerm = System.nanoTime();
            stopping.record(WorldStop.stopTheWorldWithSema(sched));
            boolean restart = false;
            for (P pp : sched.allPs()) {
                GcWork w = marker.gcw(pp.id());
                marker.wbBuf(pp.id()).flush(marker, w);
                if (!w.isEmpty()) {
                    restart = true;
                }
            }
            if (restart) {
                // Go issue 27993: a buffer raced the barrier. Resume marking.
                recordPause(WorldStop.startTheWorld(sched) - tMarkTerm, sched.gomaxprocs());
                continue;
            }
            long now = System.nanoTime();
            blackenEnabled = false;
            limiter.startGCTransition(false, now);
            assists.wakeAll();
            // Like the woken assists, goroutines waiting to end marking run once the world restarts, and find
            // it ended.
            markDoneSema.release(false);
            pacer.endCycle(now, cycleProcs);
            markTermination(tMarkTerm);
            return;
        }
        markDoneSema.release(false);
    }

    /** Go's gcMarkTermination, world stopped: account the mark, switch the barrier off, start the sweep. */
    private void markTermination(long tMarkTerm) {
        phase = Phase.MARKTERMINATION;
        marker.checkNoWorkLeft();
        long heap1 = pacer.heapLive();
        long stacksForTrace = pacer.version() == PacerVersion.GO1_19 ? pacer.maxStackScan() : pacer.stackScanWork();
        long bytesMarked = 0;
        for (P pp : sched.allPs()) {
            bytesMarked += pp.mcache().takeBytesAllocatedBlack();
            marker.wbBuf(pp.id()).reset();
            marker.gcw(pp.id()).dispose();
        }
        bytesMarked += marker.takeBytesMarked(); // after the disposes, which add each P's count to it
        if (heap.debug()) {
            Verifier.verify(heap, sched, marker.holderRoots());
        }
        marker.dropRoots();
        long heapGoal = pacer.heapGoal();
        for (P pp : sched.allPs()) {
            // mcache.prepareForSweep: cached spans must be swept too. Before resetLive, so the unused slots
            // it takes back from heapLive were counted in it.
            pp.mcache().releaseAll();
        }
        pacer.resetLive(bytesMarked);

        phase = Phase.OFF;
        heap.setWriteBarrier(WriteBarrier.NONE);
        heap.setAllocBlack(false);
        heap.advanceSweepgen();
        Sweeper sweeper = heap.sweeper();
        pacer.commit(sweeper.isSweepDone());
        long trigger = pacer.trigger();
        sweeper.pace(Pacer.sweepPagesPerByte(trigger, pacer.heapLive(), heap.pagesInUse(), sweeper.pagesSwept()),
                pacer.heapLive());
        readyBgSweeper();
        long done = cyclesStarted.get();
        cyclesDone = done;
        if (forced) {
            forcedCycles.incrementAndGet();
        }
        limiter.setCompletedCycles(done);
        long tEnd = System.nanoTime();
        limiter.finishGCTransition(tEnd);
        long markTermPause = tEnd - tMarkTerm;
        recordPause(markTermPause, cycleProcs);
        WorldStop.startTheWorld(sched);
        WorldStop.releaseGcsema();
        wakeCycleWaiters();

        long assist = pacer.assistTime();
        long background = pacer.dedicatedMarkTime() + pacer.fractionalMarkTime();
        long idle = pacer.idleMarkTime();
        GcTrace.Cycle c = new GcTrace.Cycle((int) done, tSweepTerm - startNanos, cpuFraction(tEnd),
                sweepTermPause, tMarkTerm - tMark, markTermPause,
                sweepTermPause * cycleProcs, assist, background, idle, markTermPause * cycleProcs,
                heap0, heap1, bytesMarked, heapGoal, stacksForTrace, pacer.globalsScan(), cycleProcs, forced);
        if (config.godebug().gctrace()) {
            config.stderr().println(GcTrace.format(c));
        }
    }

    /** Go 1.21's gc_cpu_fraction: GC CPU (without idle marking) over all CPU since the run began. */
    private double cpuFraction(long now) {
        double total = (double) (now - startNanos) * sched.gomaxprocs();
        double gc = pauseCpuNanos.get() + assistNanos.get() + dedicatedNanos.get() + fractionalNanos.get();
        return total <= 0 ? 0 : Math.min(1, gc / total);
    }

    private void recordPause(long nanos, int procs) {
        pauses.record(nanos);
        pauseCpuNanos.addAndGet(nanos * procs);
    }

    /** An assist marked for {@code nanos}: counted for the pacer and the limiter, which is updated at once (gcAssistAlloc1). */
    void accountAssist(long nanos) {
        pacer.addAssistTime(nanos);
        limiter.addAssistTime(nanos);
        assistNanos.addAndGet(nanos);
        limiter.update(System.nanoTime());
    }

    void accountWorker(MarkWorkers.Mode mode, long nanos) {
        switch (mode) {
            case DEDICATED -> {
                pacer.addDedicatedMarkTime(nanos);
                dedicatedNanos.addAndGet(nanos);
            }
            case FRACTIONAL -> {
                pacer.addFractionalMarkTime(nanos);
                fractionalNanos.addAndGet(nanos);
            }
            case IDLE -> {
                pacer.addIdleMarkTime(nanos);
                limiter.addIdleTime(nanos);
                idleNanos.addAndGet(nanos);
            }
        }
        long now = System.nanoTime();
        if (limiter.needUpdate(now)) {
            limiter.update(now);
        }
    }

    // ------------------------------------------------------------------ runtime.GC

    /**
     * runtime.GC: waits for a running mark phase to end, runs a full cycle of its own, and sweeps the heap
     * completely before returning, as Go's GC does.
     */
    public void gc() {
        long n = cyclesStarted.get();
        waitForMark(n);
        start(true);
        waitForMark(n + 1);
        Sweeper sweeper = heap.sweeper();
        while (cyclesDone == n + 1 && sweeper.sweepone() != -1) {
            Park.checkpoint();
        }
        scavengeForMemoryLimit(); // the sweep is done here, whoever finished it
    }

    /** Parks until mark phase {@code n} has ended (Go's gcWaitOnMark). */
    private void waitForMark(long n) {
        while (true) {
            waitLock.lock();
            if (cyclesDone >= n || cyclesStarted.get() < n) {
                waitLock.unlock();
                return;
            }
            cycleWaiters.add(Park.getg());
            Park.gopark((g, l) -> {
                l.unlock();
                return true;
            }, waitLock, WaitReason.WAIT_FOR_GC_CYCLE);
        }
    }

    private void wakeCycleWaiters() {
        waitLock.lock();
        try {
            for (G gp : cycleWaiters) {
                Park.ready(gp, false);
            }
            cycleWaiters.clear();
        } finally {
            waitLock.unlock();
        }
    }

    // ------------------------------------------------------------------ background sweeper

    private void ensureBgSweeper() {
        if (bgSweeper == null) {
            bgSweeper = Sched.newSystemGoroutine(this::bgsweep);
            while (!sweeperParked()) {
                Park.goyield();
            }
        }
    }

    private boolean sweeperParked() {
        waitLock.lock();
        try {
            return bgSweeperParked;
        } finally {
            waitLock.unlock();
        }
    }

    /** Go's bgsweep: sweeps span by span, yielding the P when others need it (1.19: after every span). */
    private void bgsweep() {
        Sweeper sweeper = heap.sweeper();
        while (true) {
            waitLock.lock();
            bgSweeperParked = true;
            Park.gopark((g, l) -> {
                l.unlock();
                return true;
            }, waitLock, WaitReason.GC_SWEEP_WAIT);
            int n = 0;
            while (sweeper.sweepone() != -1) {
                n++;
                if (pacer.version() == PacerVersion.GO1_19) {
                    Park.gosched();
                } else if (n % 10 == 0 && (Park.preemptRequested() || sched.idlePs() == 0)) {
                    Park.gosched(); // goschedIfBusy
                }
            }
            scavengeForMemoryLimit();
        }
    }

    /**
     * The memory-limit part of Go's scavenger (gcPaceScavenger's memoryLimitGoal, 95% of the limit): once the
     * sweep has freed what it can, free pages beyond that goal go back to the OS, so they stop counting
     * against the limit. Go's background scavenger paces this at 1% of the CPU; here it runs once per cycle
     * when the sweep is done (on the background sweeper, or in runtime.GC).
     */
    private void scavengeForMemoryLimit() {
        long limit = pacer.memoryLimit();
        if (limit == Pacer.NO_MEMORY_LIMIT) {
            return;
        }
        long goal = limit / 100 * (100 - SCAVENGE_REDUCE_EXTRA_PERCENT);
        long excess = mappedReady() - goal;
        if (excess > 0) {
            heap.scavenge(excess);
        }
    }

    private void readyBgSweeper() {
        waitLock.lock();
        try {
            if (bgSweeperParked) {
                bgSweeperParked = false;
                Park.ready(bgSweeper, false);
            }
        } finally {
            waitLock.unlock();
        }
    }

    // ------------------------------------------------------------------ control and observation

    /** debug.SetGCPercent: takes effect at once; returns the previous value. */
    public int setGCPercent(int percent) {
        return pacer.setGCPercent(percent, heap.sweeper().isSweepDone());
    }

    /** debug.SetMemoryLimit: takes effect at once; returns the previous value. */
    public long setMemoryLimit(long limit) {
        return pacer.setMemoryLimit(limit, heap.sweeper().isSweepDone());
    }

    /** The pacer (read-only use: its state is the collector's). */
    public Pacer pacer() {
        return pacer;
    }

    /** The CPU limiter. */
    public CpuLimiter limiter() {
        return limiter;
    }

    /** Completed cycles (/gc/cycles/total:gc-cycles). */
    public long cycles() {
        return cyclesDone;
    }

    /** Completed cycles forced by {@link #gc} (/gc/cycles/forced:gc-cycles). */
    public long forcedCycles() {
        return forcedCycles.get();
    }

    /** Every stop-the-world pause of the collector (/gc/pauses:seconds). */
    public TimeHistogram pauses() {
        return pauses;
    }

    /** The time-to-stop part of every pause (/sched/pauses/stopping/gc:seconds). */
    public TimeHistogram stoppingPauses() {
        return stopping;
    }

    /** Nanoseconds goroutines spent marking in assists, cumulative. */
    public long assistNanos() {
        return assistNanos.get();
    }

    /** Nanoseconds dedicated mark workers ran, cumulative. */
    public long dedicatedNanos() {
        return dedicatedNanos.get();
    }

    /** Nanoseconds fractional mark workers ran, cumulative. */
    public long fractionalNanos() {
        return fractionalNanos.get();
    }

    /** Nanoseconds idle mark workers ran, cumulative. */
    public long idleNanos() {
        return idleNanos.get();
    }

    /** Stop-the-world time multiplied by GOMAXPROCS, cumulative, in nanoseconds (Go's gc/pause CPU class). */
    public long pauseCpuNanos() {
        return pauseCpuNanos.get();
    }
}
