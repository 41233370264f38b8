package golab.runtime.gc;

import golab.runtime.heap.Arena;
import golab.runtime.heap.Global;
import golab.runtime.heap.MHeap;
import golab.runtime.heap.Ref;
import golab.runtime.heap.Span;
import golab.runtime.heap.Stack;
import golab.runtime.heap.Type;
import golab.runtime.sched.G;
import golab.runtime.sched.GStatus;
import golab.runtime.sched.Park;
import golab.runtime.sched.Sched;
import golab.runtime.sched.Sudog;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Marking: Go's mgcmark.go and the {@code work} state of mgc.go — root jobs, greying, scanning and the
 * drain loops that mark workers and assists run.
 *
 * <p>Tri-colour invariant: a white object (mark bit clear) is never pointed to by a black one (marked and
 * scanned) unless a grey object (marked, queued in some {@link GcWork}) or the write barrier's buffer
 * still leads to it. Roots are greyed by root jobs, each claimed once by an atomic counter: the globals
 * (one job each) and every goroutine's stack (one job per goroutine of the snapshot taken at the cycle's
 * start; goroutines created later start with empty stacks and everything they see is either reachable
 * or allocated black).
 *
 * <p>Stop-the-world latency: an oblet holds 16 Ki pointers and each one shaded is usually a cache miss, so
 * the scan checks every {@value #STOP_CHECK_POINTERS} pointers whether a stop-the-world is waiting and, if so,
 * queues the rest of the oblet as new work and returns, rather than making the stop wait for the whole
 * oblet. Go has no such check.
 *
 * <p>Memory-level parallelism: Go's greyobject prefetches each object it queues, so that its cache line is on the
 * way by the time it is scanned; in a heap of small objects spread over memory, most of marking is waiting for those
 * lines and for the spans and mark bits of what they point to. Java has no prefetch instruction, and a load that
 * misses holds up every instruction after it once the core's reorder window is full, so the drain loops take grey
 * objects {@value #SCAN_BATCH} at a time and {@link #scanBatch} works in passes whose loads do not depend on each
 * other: one word of every object (a short loop, so that all the misses are in flight together), then the pointer
 * words of every small object, then the span, slot and mark word of every target, and only then the marks, whose
 * locked instructions wait for all the loads before them. Objects with more than {@value #BATCH_WORDS} pointer
 * words, and oblets, are scanned alone by {@link #scanobject}, which shades what it loads in the same two passes,
 * {@value #SCAN_BATCH} × {@value #BATCH_WORDS} pointers at a time, as a write-barrier buffer's flush does.
 *
 * <p>Termination: {@link #active} counts the markers (workers and assists) draining right now; marking
 * may be complete only when it is 0 and {@link #workAvailable} is false, which {@link Collector} then
 * confirms with a ragged barrier and a stop-the-world.
 */
final class Marker {

    /** Go's maxObletBytes: larger objects are scanned in pieces of this size. */
    static final long MAX_OBLET_BYTES = 128 << 10;
    /** Pointers scanned between checks for a pending stop-the-world inside one object or oblet. */
    static final int STOP_CHECK_POINTERS = 512;
    /** Grey objects a drain loop takes and scans together (see the class comment). */
    static final int SCAN_BATCH = 16;
    /** Pointer words an object may have and still be scanned in a batch. */
    static final int BATCH_WORDS = 16;
    /** Pointers {@link #shadeAll} takes at once: a batch's (256) or a full write-barrier buffer's. */
    static final int SHADE_MAX = Math.max(SCAN_BATCH * BATCH_WORDS, WbBuf.SLOTS);
    /** Go's drainCheckThreshold: work units between the idle/fractional self-checks. */
    static final long DRAIN_CHECK_THRESHOLD = 100_000;

    private final MHeap heap;
    private final Sched sched;
    private final Arena arena;
    private final Pacer pacer;
    final WorkLists lists = new WorkLists();
    /** Bytes marked this cycle by the gcWorks disposed so far (Go's work.bytesMarked). */
    private final AtomicLong bytesMarked = new AtomicLong();
    private final GcWork[] gcw;
    private final WbBuf[] wbBufs;

    /** Markers draining right now (Go's nproc - nwait). */
    final AtomicInteger active = new AtomicInteger();
    /** Root jobs: the next to claim, and how many there are (Go's markrootNext, markrootJobs). */
    private final AtomicInteger markrootNext = new AtomicInteger();
    private volatile int markrootJobs;
    private volatile List<Global> globalRoots = List.of();
    private volatile List<G> stackRoots = List.of();
    private volatile List<RootHolder> holderRoots = List.of();

    /** The GC CPU limiter: an assist stops marking as soon as it is on. */
    private final CpuLimiter limiter;

    /** Called with the bytes of scan work flushed by a background worker (assists' credit, Go's gcFlushBgCredit). */
    private final Assists assists;

    /** Whether the cycle is in its mark phase (Go's gcphase == _GCmark), when enlisting a worker can help. */
    private final BooleanSupplier inMarkPhase;

    Marker(Sched sched, Pacer pacer, CpuLimiter limiter, Assists assists, BooleanSupplier inMarkPhase, int maxProcs) {
        this.sched = sched;
        this.limiter = limiter;
        this.inMarkPhase = inMarkPhase;
        this.heap = sched.heap;
        this.arena = heap.arena();
        this.pacer = pacer;
        this.assists = assists;
        this.gcw = new GcWork[maxProcs];
        this.wbBufs = new WbBuf[maxProcs];
        for (int i = 0; i < maxProcs; i++) {
            gcw[i] = new GcWork(lists, bytesMarked, this::enlistWorker);
            wbBufs[i] = new WbBuf();
        }
    }

    /**
     * Go's gcControllerState.enlistWorker, called when a P publishes grey objects: if the pacer wants dedicated
     * workers (GOMAXPROCS 4 and up), preempt a random other running P so that its scheduler starts one soon.
     */
    private void enlistWorker() {
        if (inMarkPhase.getAsBoolean() && pacer.dedicatedMarkWorkersNeeded() > 0) {
            sched.preemptRandomOtherP();
        }
    }

    GcWork gcw(int pid) {
        return gcw[pid];
    }

    WbBuf wbBuf(int pid) {
        return wbBufs[pid];
    }

    /** Go's gcMarkRootPrepare, with the world stopped: snapshots the globals and every goroutine. */
    void prepareRoots(List<Global> globals, List<G> goroutines, List<RootHolder> holders) {
        globalRoots = globals;
        stackRoots = goroutines;
        holderRoots = holders;
        markrootNext.set(0);
        markrootJobs = globals.size() + goroutines.size() + holders.size();
    }

    /** The root holders of this cycle (for the verifier). */
    List<RootHolder> holderRoots() {
        return holderRoots;
    }

    /** Drops the root snapshot at mark termination, so dead goroutines are not kept reachable from here. */
    void dropRoots() {
        globalRoots = List.of();
        stackRoots = List.of();
        holderRoots = List.of();
        markrootJobs = 0;
    }

    /**
     * Go's check at the start of gcMark, with the world stopped for mark termination: no shared grey object and no
     * root job may be left (the Ps' own queues may hold pointers that write barriers buffered after the ragged
     * barrier, all to objects already marked). Fails the run rather than free what the left work would have marked.
     */
    void checkNoWorkLeft() {
        int next = markrootNext.get();
        if (lists.hasFull() || next < markrootJobs) {
            throw new IllegalStateException("runtime: non-empty mark queue after concurrent mark (shared list "
                    + (lists.hasFull() ? "not empty" : "empty") + ", root job " + next + " of " + markrootJobs + ")");
        }
    }

    /** Go's gcMarkWorkAvailable: some root job or shared grey object is left, or P {@code pid}'s own queue has one. */
    boolean workAvailable(int pid) {
        return lists.hasFull() || markrootNext.get() < markrootJobs || (pid >= 0 && !gcw[pid].isEmpty());
    }

    /**
     * Go's greyobject (via findObject): if {@code p} points into an allocated heap object that is unmarked,
     * marks it and queues it for scanning, or counts it at once if it holds no pointers. Other addresses
     * (nil, the zerobase, stacks) are ignored.
     */
    void shade(long p, GcWork w) {
        Span s = heap.spanOf(p);
        if (s == null || p >= s.limit()) {
            return;
        }
        greyobject(s, s.objIndex(p), w);
    }

    /** Go's greyobject: marks slot {@code idx} of {@code s} and queues it, unless it was marked already. */
    private static void greyobject(Span s, int idx, GcWork w) {
        if (!s.tryMark(idx)) {
            return;
        }
        if (s.noscan()) {
            w.bytesMarked += s.elemsize();
            return;
        }
        w.put(s.base() + idx * s.elemsize());
    }

    /**
     * Go's scanobject: greys every pointer of the object (or oblet) at {@code b}. An object over
     * {@link #MAX_OBLET_BYTES} is split: scanning from its base queues the start of every further 128 KiB
     * piece as separate work.
     */
    void scanobject(long b, GcWork w) {
        Span s = heap.spanOf(b);
        int idx = s.objIndex(b);
        long base = s.base() + idx * s.elemsize();
        Type t = s.typeOf(idx);
        long n = s.elemsize();
        if (t == null) {
            w.bytesMarked += n; // untyped memory in a scan span: nothing to scan
            return;
        }
        long dataSize = t.size() * s.lenOf(idx);
        long start = b - base;
        if (n > MAX_OBLET_BYTES && b == base) {
            for (long oblet = b + MAX_OBLET_BYTES; oblet < base + dataSize; oblet += MAX_OBLET_BYTES) {
                w.put(oblet);
            }
        }
        // The piece runs to the next oblet boundary: a piece queued mid-oblet (below) ends where its oblet did.
        n = Math.min((start / MAX_OBLET_BYTES + 1) * MAX_OBLET_BYTES, s.elemsize()) - start;
        long end = Math.min(start + n, dataSize);
        long tsize = t.size();
        int npw = t.pointerWordCount();
        long scanned = 0;
        int sinceCheck = 0;
        long[] targets = w.objectWords;
        int ntargets = 0;
        for (long elem = start - start % tsize; elem < end; elem += tsize) {
            for (int i = 0; i < npw; i++) {
                long off = elem + 8L * t.pointerWord(i);
                if (off < start) {
                    continue;
                }
                if (off >= end) {
                    break;
                }
                long p = arena.getLong(base + off);
                if (p != 0) {
                    targets[ntargets++] = p;
                    if (ntargets == targets.length) {
                        shadeAll(targets, ntargets, w);
                        ntargets = 0;
                    }
                }
                scanned = off + 8 - start;
                if (++sinceCheck == STOP_CHECK_POINTERS && end - off > 8) {
                    sinceCheck = 0;
                    if (sched.stopping()) {
                        // A stop-the-world waits on this P: queue the rest of the piece and let it stop
                        // (golab's finer preemption point inside an oblet; see the class comment).
                        shadeAll(targets, ntargets, w);
                        w.put(base + off + 8);
                        w.bytesMarked += off + 8 - start;
                        w.heapScanWork += scanned;
                        return;
                    }
                }
            }
        }
        shadeAll(targets, ntargets, w);
        w.bytesMarked += n;
        w.heapScanWork += scanned;
    }

    /**
     * Go's markroot: runs root job {@code job} (shades a global, scans a goroutine's stack or a holder's roots) and
     * returns its scan work, already added to the pacer's globals or stack counter (Go's workDone). A holder's
     * {@code Ref}s are golab's own roots: in Go the channel buffers and pools behind them are heap objects, whose
     * scanning is heap work, so they count as none here.
     */
    private long markroot(int job, GcWork w) {
        List<Global> globals = globalRoots;
        if (job < globals.size()) {
            Global g = globals.get(job);
            shade(g.addr(), w);
            long work = g.type().size();
            pacer.addGlobalsScanWork(work);
            return work;
        }
        List<G> gs = stackRoots;
        int i = job - globals.size();
        if (i < gs.size()) {
            return scanG(gs.get(i), w);
        }
        List<RootHolder> holders = holderRoots;
        i -= gs.size();
        if (i < holders.size()) {
            holders.get(i).scanRoots(p -> shade(p, w));
        }
        return 0;
    }

    /**
     * Go's suspendG + scanstack + resumeG: holds {@code gp} still at a safepoint, shrinks its stack if less
     * than a quarter is used, and greys every pointer in its frames. A running goroutine is asked to stop at
     * its next safepoint, on no queue ({@link G#requestStop}); the scan claims it there and readies it after,
     * unless it parked, yielded or entered a syscall first. The caller's own stack is scanned in place.
     *
     * <p>The caller is a marker, WAITING while it marks ({@link Park#beginMarking}), and so are the goroutines
     * it could otherwise wait for while they wait for it: two markers scan each other's stacks at once. If a
     * stop-the-world asks the scanner itself to yield meanwhile, it does, so the two never wait for each other;
     * it may then resume on another P, so callers must look up their P's queues again after a root job.
     */
    long scanG(G gp, GcWork w) {
        if (Park.onGoroutine() && Park.getg() == gp) {
            return scanstack(gp, w);
        }
        boolean stopped = false; // this scan stopped gp (Go's suspendG "stopped"): it readies gp after
        while (true) {
            GStatus s = gp.status();
            switch (s) {
                case DEAD, IDLE -> {
                    return 0;
                }
                case RUNNABLE, WAITING, SYSCALL -> {
                    if (gp.tryHoldForScan(s)) {
                        if (!stopped) {
                            gp.cancelStop();
                        }
                        long work;
                        try {
                            work = scanstack(gp, w);
                        } finally {
                            gp.releaseScan();
                        }
                        if (stopped) {
                            Park.ready(gp, true); // resumeG
                        }
                        return work;
                    }
                }
                case PREEMPTED -> stopped = gp.tryClaimPreempted();
                case RUNNING -> {
                    gp.requestStop();
                    if (Park.preemptRequested()) {
                        Park.goschedWhileMarking(Park.getg());
                        w = gcw[Park.currentP().id()]; // resumed, perhaps on another P
                    } else {
                        Thread.onSpinWait();
                    }
                }
            }
        }
    }

    /** Go's scanstack: greys what {@code gp}'s frames point to; returns the scan work, the stack bytes in use. */
    private long scanstack(G gp, GcWork w) {
        Stack.shrinkstack(gp);
        Stack st = gp.stack();
        long work = st.used();
        pacer.addStackScanWork(work);
        st.scanFrames(p -> shade(p, w));
        // A Ref handed to this goroutine by a channel but not yet taken from its sudog (Go: the value is
        // already in the receiver's frame), or offered by it to a blocked send.
        if (gp.param instanceof Sudog sg && sg.elem instanceof Ref r) {
            shade(r.addr(), w);
        }
        for (Sudog sg = gp.waiting; sg != null; sg = sg.waitlink) {
            if (sg.elem instanceof Ref r) {
                shade(r.addr(), w);
            }
        }
        return work;
    }

    /**
     * Go's gcDrain for background workers: root jobs, then grey objects, until there is no work, or the worker
     * was asked to yield and either {@code untilPreempt} or a stop-the-world is waiting, or {@code stop} says so
     * (checked every {@link #DRAIN_CHECK_THRESHOLD} units: the idle worker's pollWork, the fractional worker's
     * time budget). Scan work is flushed to the pacer and to the assists' background credit every
     * {@link Pacer#GC_CREDIT_SLACK} units.
     */
    void drain(G self, int pid, boolean untilPreempt, BooleanSupplier stop) {
        GcWork w = gcw[pid];
        while (!stopDraining(self, untilPreempt)) {
            int job = markrootNext.getAndIncrement();
            if (job >= markrootJobs) {
                break;
            }
            long work = markroot(job, w);
            if (work != 0) {
                assists.flushBgCredit(work); // Go's markroot with flushBgCredit: roots pay assists' debts too
            }
            // A stack scan may have yielded to a stop-the-world and resumed on another P: use that P's queue.
            pid = Park.currentP().id();
            w = gcw[pid];
            if (stop != null && stop.getAsBoolean()) {
                flushScanWork(w, true);
                return;
            }
        }
        long checkWork = DRAIN_CHECK_THRESHOLD;
        while (!stopDraining(self, untilPreempt)) {
            if (!lists.hasFull()) {
                w.balance();
            }
            if (scanBatch(pid, w) == 0) {
                break;
            }
            if (w.heapScanWork >= Pacer.GC_CREDIT_SLACK) {
                checkWork -= w.heapScanWork;
                flushScanWork(w, true);
                if (checkWork <= 0) {
                    checkWork += DRAIN_CHECK_THRESHOLD;
                    if (stop != null && stop.getAsBoolean()) {
                        break;
                    }
                }
            }
        }
        flushScanWork(w, true);
    }

    /** gcDrain's loop condition: {@code gp.preempt && (preemptible || sched.gcwaiting != 0)}. */
    private boolean stopDraining(G self, boolean untilPreempt) {
        return self.preemptRequested() && (untilPreempt || sched.stopping());
    }

    /**
     * Go's gcDrainN for assists: does about {@code scanWork} units of grey objects and, only when there are none
     * to take, root jobs (counted as their scan work), stopping early if the goroutine is asked to yield, the CPU
     * limiter turns on or the work runs out. Returns the work done.
     */
    long drainN(G self, int pid, long scanWork) {
        GcWork w = gcw[pid];
        long done = 0;
        while (done < scanWork && !self.preemptRequested() && !limiter.limiting()) {
            if (!lists.hasFull()) {
                w.balance();
            }
            long before = w.heapScanWork;
            if (scanBatch(pid, w) != 0) {
                done += w.heapScanWork - before;
                if (w.heapScanWork >= Pacer.GC_CREDIT_SLACK) {
                    flushScanWork(w, false);
                }
                continue;
            }
            int job = markrootNext.get() < markrootJobs ? markrootNext.getAndIncrement() : Integer.MAX_VALUE;
            if (job >= markrootJobs) {
                break; // no heap or root jobs
            }
            flushScanWork(w, false); // the stack scan may move this goroutine to another P's gcWork
            done += markroot(job, w);
            pid = Park.currentP().id(); // a stack scan may have yielded and resumed on another P
            w = gcw[pid];
        }
        flushScanWork(w, false);
        return done;
    }

    /**
     * Takes up to {@value #SCAN_BATCH} grey objects from P {@code pid}'s queue and scans them in passes: the objects'
     * cache lines, their pointer words, their targets' spans and mark words, then the marks (see the class comment).
     * Returns how many objects were taken, 0 when there was no grey object. A batch shades at most
     * {@value #SCAN_BATCH} × {@value #BATCH_WORDS} pointers, fewer than scanobject shades between two of its
     * stop-the-world checks.
     */
    private int scanBatch(int pid, GcWork w) {
        long[] greys = w.batchGreys;
        int taken = 0;
        for (long b; taken < SCAN_BATCH && (b = nextGrey(pid, w)) != 0; ) {
            greys[taken++] = b;
        }
        // Load a word of every object before looking any up: a short loop of independent loads keeps all their
        // misses in flight at once, where the lookups below would hold up the next object's miss.
        long touched = 0;
        for (int i = 0; i < taken; i++) {
            touched += arena.getLong(greys[i]);
        }
        w.touched = touched;
        long[] words = w.batchWords;
        int nwords = 0;
        for (int g = 0; g < taken; g++) {
            long b = greys[g];
            Span s = heap.spanOf(b);
            int idx = s.objIndex(b);
            long elemsize = s.elemsize();
            Type t = s.typeOf(idx);
            if (t == null) {
                w.bytesMarked += elemsize; // untyped memory in a scan span: nothing to scan
                continue;
            }
            long base = s.base() + idx * elemsize;
            long len = s.lenOf(idx);
            int npw = t.pointerWordCount();
            if (b != base || elemsize > MAX_OBLET_BYTES || npw * len > BATCH_WORDS) {
                scanobject(b, w);
                continue;
            }
            long tsize = t.size();
            for (long elem = base; elem < base + len * tsize; elem += tsize) {
                for (int i = 0; i < npw; i++) {
                    words[nwords++] = arena.getLong(elem + 8L * t.pointerWord(i));
                }
            }
            w.bytesMarked += elemsize;
            if (npw > 0) {
                w.heapScanWork += (len - 1) * tsize + 8L * t.pointerWord(npw - 1) + 8; // as scanobject counts it
            }
        }
        shadeAll(words, nwords, w);
        return taken;
    }

    /**
     * Shades the first {@code n} (at most {@link #SHADE_MAX}) of {@code words}, zeros included, in two passes:
     * every target's span, slot and mark word, then the marks of those not marked yet. A mark is a locked
     * instruction, which waits for every load before it, so marking as we went would take the targets' misses one
     * at a time.
     */
    void shadeAll(long[] words, int n, GcWork w) {
        Span[] spans = w.batchSpans;
        int[] slots = w.batchSlots;
        int unmarked = 0;
        for (int i = 0; i < n; i++) {
            long p = words[i];
            if (p == 0) {
                continue;
            }
            Span s = heap.spanOf(p);
            if (s == null || p >= s.limit()) {
                continue;
            }
            int idx = s.objIndex(p);
            if (!s.isMarked(idx)) {
                spans[unmarked] = s;
                slots[unmarked++] = idx;
            }
        }
        for (int i = 0; i < unmarked; i++) {
            greyobject(spans[i], slots[i], w);
        }
    }

    /** A grey object from P {@code pid}'s queue, or from its write-barrier buffer once that is empty; 0 if none. */
    private long nextGrey(int pid, GcWork w) {
        long b = w.tryGet();
        if (b == 0) {
            wbBufs[pid].flush(this, w);
            b = w.tryGet();
        }
        return b;
    }

    private void flushScanWork(GcWork w, boolean toBgCredit) {
        long work = w.heapScanWork;
        if (work == 0) {
            return;
        }
        w.heapScanWork = 0;
        pacer.addHeapScanWork(work);
        if (toBgCredit) {
            assists.flushBgCredit(work);
        }
    }

    /**
     * Takes the bytes marked this cycle (at mark termination, world stopped, after every P's gcWork was
     * disposed: each P's count reaches the total when its gcWork is disposed, as in Go).
     */
    long takeBytesMarked() {
        return bytesMarked.getAndSet(0);
    }
}
