package golab.runtime.sched;

import golab.runtime.GoConfig;
import golab.runtime.GoFatalError;
import golab.runtime.GoPanic;
import golab.runtime.GoRuntimeException;
import golab.runtime.heap.MHeap;
import golab.runtime.heap.Stack;
import golab.runtime.heap.StackAlloc;
import golab.runtime.metrics.MetricDescription;
import golab.runtime.metrics.MetricValue;
import golab.runtime.metrics.RuntimeMetrics;
import golab.runtime.metrics.SchedState;
import golab.runtime.metrics.TimeHistogram;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The scheduler's global state and the operations on it: Go's {@code schedt} and the parts of proc.go that
 * move Ps, Ms and Gs between the idle lists and the run queues.
 *
 * <h2>Design (after proc.go's header)</h2>
 * <p>Gs are goroutines, Ms are platform threads, Ps are the right to run Go code; an M must hold a P to
 * run a G, and there are exactly GOMAXPROCS Ps. Work is published to a P's local run queue (or the global
 * one); idle Ps and Ms wait on LIFO lists under {@link #lock}.
 *
 * <p>Waking Ms is deliberately conservative: when work is published, one more M is woken only if there
 * is an idle P and no M is spinning ({@link #wakep}). A spinning M looks for work in every queue; when it
 * finds some it stops spinning and, if it was the last spinner, wakes another. Two orderings make this
 * race-free: a submitter publishes work, then checks {@link #nmspinning}; a spinner that gives up
 * decrements {@link #nmspinning}, then re-checks every queue. So either the submitter sees a spinner, or
 * the ex-spinner sees the work.
 *
 * <p>Lock order: {@link #lock} before a P's timer lock; nothing is called under {@link #lock} that can
 * take it again or park.
 */
public final class Sched {

    /** Live system goroutines (Go's sched.ngsys), left out of {@link #gcount}. */
    private final AtomicInteger ngsys = new AtomicInteger();
    /** What findRunnable asks the collector for (mark workers); null while no collector is installed. */
    volatile GcScheduling gcScheduling;
    /** The function forEachP runs on every P (Go's sched.safePointFn), and how many Ps have yet to run it. */
    java.util.function.Consumer<P> safePointFn;
    int safePointWait;
    final Note safePointNote = new Note();

    /** Go's _GoidCacheBatch-sized allocation starts at goidgen 0, so main is goroutine 1. */
    private final AtomicLong goidgen = new AtomicLong();

    final GoConfig config;
    /** The model heap of this run (Go's mheap_). */
    public final MHeap heap;
    /** Goroutine stack memory of this run (Go's stackpool and stackLarge). */
    public final StackAlloc stacks;
    /** The garbage collector of this run. */
    public final golab.runtime.gc.Collector gc;
    /** Go's sched.lock. */
    final RuntimeLock lock = new RuntimeLock();
    final GlobalRunQueue runq = new GlobalRunQueue(lock);

    volatile P[] allp = new P[0];
    volatile int gomaxprocs;
    /** GOMAXPROCS to apply at the next start-the-world, 0 for none. */
    int newprocs;
    volatile PMask idlepMask = new PMask(0);
    volatile PMask timerpMask = new PMask(0);
    final StealOrder stealOrder = new StealOrder();

    private P pidle;
    final AtomicInteger npidle = new AtomicInteger();
    final AtomicInteger nmspinning = new AtomicInteger();
    final AtomicInteger needspinning = new AtomicInteger();

    private M midle;
    int nmidle;
    int nmidlelocked;
    /** Ms that do not count for deadlock detection (sysmon). */
    int nmsys;
    /** Next M id; also the number of Ms ever created (Go's mnext). */
    long mnext;
    int nmfreed;
    final List<M> allm = new ArrayList<>();

    private final RuntimeLock gFreeLock = new RuntimeLock();
    private G gFree;
    private int gFreeCount;

    private final RuntimeLock allgLock = new RuntimeLock();

    private final RuntimeLock sudogLock = new RuntimeLock();
    private Sudog sudogFree;
    /**
     * Every G ever made (Go's allgs), append-only. Appended under {@link #allgLock}; read without it as Go's
     * allgptr/allglen: {@link #allglen} is written after {@link #allgptr}, so a reader that loads the length
     * first finds at least that many Gs in the array it loads next. A full array is copied into a larger one.
     */
    private volatile G[] allgptr = new G[16];
    private volatile int allglen;

    /** When a poller last finished; 0 while an M blocks in {@link #netpoll} (Go's sched.lastpoll). */
    final AtomicLong lastpoll = new AtomicLong(System.nanoTime());
    /** When the blocked poller will wake, 0 if none blocks (Go's sched.pollUntil). */
    final AtomicLong pollUntil = new AtomicLong();
    final Netpoll netpoll = new Netpoll();

    // Stop-the-world.
    /** Held by a collection from its start to the end of mark termination, and by a GOMAXPROCS change (Go's gcsema). */
    final Sema gcsema = new Sema(1);
    /** Held by the goroutine that stops the world or runs forEachP (Go's worldsema). */
    final Sema worldsema = new Sema(1);
    /** The goroutine holding {@link #worldsema}, or null: what {@link WorldStop} checks its callers against. */
    volatile G worldOwner;
    volatile boolean gcwaiting;
    int stopwait;
    final Note stopnote = new Note();
    volatile boolean sysmonwait;
    final Note sysmonnote = new Note();

    /** Runnable-to-running latency, Go's sched.timeToRun behind /sched/latencies:seconds. */
    public final TimeHistogram timeToRun = new TimeHistogram();

    /**
     * A clock read by sysmon every round (20 µs to 10 ms apart, up to a minute while everything idles),
     * for timestamps that need no precision: when a goroutine started waiting (dumps print whole minutes)
     * or was created. Reading the real clock on every park took 10% of ParkReadyBench's CPU profile here.
     */
    volatile long coarseNanos = System.nanoTime();
    volatile boolean mainStarted;
    volatile boolean exiting;
    G mainG;
    Sysmon sysmon;
    private final AtomicReference<GoRuntimeException> failure = new AtomicReference<>();
    private final CountDownLatch exited = new CountDownLatch(1);

    private final RuntimeMetrics metrics = new RuntimeMetrics();

    /** Creates the scheduler for one run; {@link #start} brings it to life. */
    public Sched(GoConfig config) {
        this.config = config;
        this.heap = new MHeap(config.arenaBytes());
        this.stacks = new StackAlloc(heap);
        this.gc = new golab.runtime.gc.Collector(this, config);
        metrics.register(new MetricDescription("/sched/latencies:seconds",
                "Distribution of the time goroutines have spent in the scheduler in a runnable state before "
                        + "actually running (sampled: one in " + G.TRACKING_PERIOD + " transitions).", true),
                () -> new MetricValue.Histogram(timeToRun.toFloat64Histogram()));
        metrics.register(new MetricDescription("/sched/goroutines:goroutines",
                "Count of live goroutines.", false), () -> new MetricValue.Uint64(gcount()));
        metrics.register(new MetricDescription("/sched/gomaxprocs:threads",
                "The current runtime.GOMAXPROCS setting.", false), () -> new MetricValue.Uint64(gomaxprocs));
        metrics.register(new MetricDescription("/golab/sched/steals:goroutines",
                "Goroutines taken from another P's run queue by work stealing (golab only).", true),
                () -> new MetricValue.Uint64(steals()));
        golab.runtime.heap.HeapMetrics.register(metrics, heap, stacks::inUseBytes);
    }

    /** The runtime/metrics of this run. */
    public RuntimeMetrics metrics() {
        return metrics;
    }

    /** The {@code go} statement on the calling goroutine (newproc). */
    public static void newproc(Runnable fn) {
        Park.checkpoint();
        M mp = Park.currentM();
        mp.sched.newproc(mp, fn);
    }

    // ---------------------------------------------------------------- start and exit

    /** schedinit + newproc(main) + mstart: creates the Ps, queues {@code main} as goroutine 1 and starts M0 and sysmon. */
    public void start(Runnable main) {
        lock.lock();
        try {
            WorldStop.procresize(this, null, config.gomaxprocs());
        } finally {
            lock.unlock();
        }
        lock.lock();
        P p0;
        try {
            p0 = pidleget();
        } finally {
            lock.unlock();
        }
        mainG = newproc1(main, p0, 0, CreationSite.of(main), 0);
        p0.runq.put(mainG, true);
        long m0 = mReserveId();
        sysmon = new Sysmon(this, mReserveId());
        // Before M0 can run main (Go sets it first thing in runtime.main): main's first go statement or Gosched
        // must be able to wake an idle P, or main and its goroutine can share one P while the others idle.
        mainStarted = true;
        newm(p0, false, m0);
        sysmon.start();
    }

    /**
     * Waits until the run ends and tears it down: every M and sysmon are stopped and joined. Returns
     * normally when main returned, or throws the panic or fatal error that ended the run.
     */
    public void awaitExit() throws InterruptedException {
        exited.await();
        if (Teardown.run(this)) {
            heap.close(); // a thread that never stopped may still touch the heap: then it stays mapped
        }
        GoRuntimeException f = failure.get();
        if (f != null) {
            throw f;
        }
    }

    /** Ends the run normally (main returned): Go's exit(0). */
    void exit() {
        exiting = true;
        exited.countDown();
    }

    /**
     * Ends the run with a runtime fatal error ({@code fatal error: msg} and a goroutine dump in Go's
     * format). Returns the exception so the caller on a goroutine can throw it to unwind.
     */
    public GoFatalError fatal(String message, String goroutines) {
        return fatal(message, goroutines, null);
    }

    /**
     * Go's throw on the calling goroutine: ends the run with {@code fatal error: message} and the goroutine's
     * stack (every goroutine's when called off a goroutine). Returns the error for the caller to throw.
     */
    public GoFatalError fatalThrow(String message) {
        G gp = G.current();
        return fatal(message, gp == null ? Traceback.all(this) : Traceback.current(gp));
    }

    /** {@link #fatal(String, String)} caused by a runtime failure {@code cause}. */
    GoFatalError fatal(String message, String goroutines, Throwable cause) {
        GoFatalError error = new GoFatalError(message, goroutines, cause);
        fail(error);
        return error;
    }

    /** Ends the run with a goroutine's uncaught exception, reported as Go reports a panic. */
    void panic(G gp, Throwable cause) {
        fail(new GoPanic(cause, Traceback.panicking(gp, cause)));
    }

    private void fail(GoRuntimeException error) {
        if (failure.compareAndSet(null, error)) {
            exiting = true;
            exited.countDown();
        }
    }

    boolean isExiting() {
        return exiting;
    }

    // ---------------------------------------------------------------- goroutines

    /**
     * Go's newproc1: a G for {@code fn} taken from {@code pp}'s free list or made, with a stack (the one a
     * dead G kept, else a new 2 KiB one), status runnable.
     */
    G newproc1(Runnable fn, P pp, long parentGoid, CreationSite site, int random) {
        G gp = gfget(pp);
        if (gp == null) {
            gp = new G(this);
            gp.casgstatus(GStatus.IDLE, GStatus.DEAD);
            allgadd(gp);
        }
        if (pp.goidcache == pp.goidcacheend) {
            pp.goidcache = goidgen.addAndGet(P.GOID_CACHE_BATCH) - (P.GOID_CACHE_BATCH - 1);
            pp.goidcacheend = pp.goidcache + P.GOID_CACHE_BATCH;
        }
        gp.stack.acquire(pp.stackcache);
        gp.init(fn, pp.goidcache++, parentGoid, site, random & 0xff);
        gp.casgstatus(GStatus.DEAD, GStatus.RUNNABLE);
        return gp;
    }

    /** Go's newproc: spawns {@code fn} from the running goroutine; the new G goes to runnext. */
    void newproc(M mp, Runnable fn) {
        G parent = mp.curg;
        G gp = newproc1(fn, mp.p, parent.goid, CreationSite.of(fn), mp.fastrand());
        mp.p.runq.put(gp, true);
        if (mainStarted) {
            wakep();
        }
    }

    /**
     * Starts a goroutine of the runtime itself (a mark worker, the background sweeper) from the running
     * goroutine, like {@link #newproc}, and returns it. It is not counted by {@link #gcount}, dumps omit
     * it, and deadlock detection ignores it, as Go's isSystemGoroutine. It never exits.
     */
    public static G newSystemGoroutine(Runnable fn) {
        Park.checkpoint();
        M mp = Park.currentM();
        Sched sched = mp.sched;
        G gp = sched.newproc1(fn, mp.p, mp.curg.goid, CreationSite.of(fn), mp.fastrand());
        gp.system = true;
        sched.ngsys.incrementAndGet();
        mp.p.runq.put(gp, true);
        sched.wakep();
        return gp;
    }

    /** Installs what findRunnable asks for GC mark workers (null: none). */
    public void setGcScheduling(GcScheduling gcs) {
        this.gcScheduling = gcs;
    }

    /**
     * Puts a dead G on {@code pp}'s free list, spilling half to the global list beyond 64 (gfput). The G
     * keeps its stack if it has the starting size; any other is freed (see {@link Stack#release}).
     */
    void gfput(P pp, G gp) {
        gp.stack.release(pp.stackcache);
        gp.schedlink = pp.gFree;
        pp.gFree = gp;
        pp.gFreeCount++;
        if (pp.gFreeCount >= P.GFREE_MAX) {
            spillFreeGs(pp, P.GFREE_MAX / 2 - 1);
        }
    }

    /** Moves dead Gs from {@code pp}'s free list to the global one until {@code keep} are left. */
    private void spillFreeGs(P pp, int keep) {
        gFreeLock.lock();
        try {
            while (pp.gFreeCount > keep) {
                G g = pp.gFree;
                pp.gFree = g.schedlink;
                pp.gFreeCount--;
                g.schedlink = gFree;
                gFree = g;
                gFreeCount++;
            }
        } finally {
            gFreeLock.unlock();
        }
    }

    /** Takes a dead G from {@code pp}'s free list, refilling up to 32 from the global list (gfget). */
    private G gfget(P pp) {
        if (pp.gFree == null && gFreeCount > 0) {
            gFreeLock.lock();
            try {
                while (pp.gFreeCount < P.GFREE_MAX / 2 && gFree != null) {
                    G g = gFree;
                    gFree = g.schedlink;
                    gFreeCount--;
                    g.schedlink = pp.gFree;
                    pp.gFree = g;
                    pp.gFreeCount++;
                }
            } finally {
                gFreeLock.unlock();
            }
        }
        G gp = pp.gFree;
        if (gp != null) {
            pp.gFree = gp.schedlink;
            gp.schedlink = null;
            pp.gFreeCount--;
        }
        return gp;
    }

    /** Moves a destroyed P's dead Gs to the global free list. */
    void gfpurge(P pp) {
        spillFreeGs(pp, 0);
    }

    /** Moves half of the central sudog cache to {@code pp}'s empty cache. */
    void refillSudogs(P pp) {
        sudogLock.lock();
        try {
            while (pp.sudogCount < pp.sudogCache.length / 2 && sudogFree != null) {
                Sudog s = sudogFree;
                sudogFree = s.next;
                s.next = null;
                pp.sudogCache[pp.sudogCount++] = s;
            }
        } finally {
            sudogLock.unlock();
        }
    }

    /** Moves half of {@code pp}'s full sudog cache to the central cache. */
    void spillSudogs(P pp) {
        sudogLock.lock();
        try {
            while (pp.sudogCount > pp.sudogCache.length / 2) {
                Sudog s = pp.sudogCache[--pp.sudogCount];
                pp.sudogCache[pp.sudogCount] = null;
                s.next = sudogFree;
                sudogFree = s;
            }
        } finally {
            sudogLock.unlock();
        }
    }

    /** Makes a waiting goroutine runnable on the current P, in runnext if {@code next}, and wakes a P (ready). */
    void ready(G gp, boolean next) {
        ready(gp, M.current().p, next);
    }

    /** {@link #ready(G, boolean)} onto {@code pp}, the P of the calling M. */
    void ready(G gp, P pp, boolean next) {
        gp.casgstatus(GStatus.WAITING, GStatus.RUNNABLE);
        pp.runq.put(gp, next);
        wakep();
    }

    /** Go's allgadd: appends a new G to allgs, publishing the array before the length. */
    private void allgadd(G gp) {
        allgLock.lock();
        try {
            G[] a = allgptr;
            int n = allglen;
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
                allgptr = a;
            }
            a[n] = gp;
            allglen = n + 1;
        } finally {
            allgLock.unlock();
        }
    }

    /** Number of live goroutines: all Gs ever made minus the dead ones on free lists (gcount). */
    public int gcount() {
        int n = allglen;
        n -= gFreeCount + ngsys.get();
        for (P pp : allp) {
            n -= pp.gFreeCount;
        }
        return Math.max(n, 1);
    }

    /** Whether the global run queue holds a goroutine (read racily, as Go's pollWork does). */
    public boolean hasGlobalWork() {
        return runq.size() != 0;
    }

    /** Whether a stop-the-world is waiting for Ps to stop (Go's sched.gcwaiting): long loops check it. */
    public boolean stopping() {
        return gcwaiting;
    }

    /** Idle Ps right now (racy; Go's sched.npidle). */
    public int idlePs() {
        return npidle.get();
    }

    /**
     * Every G ever made so far, dead ones included (allgs): the collector's stack roots. A fixed-size view of
     * the Gs made before the call, taken without a lock or a copy (Go's forEachGRace, and gcMarkRootPrepare's
     * snapshot of allglen), so the stop-the-world that prepares the roots does not copy the list.
     */
    public List<G> allGoroutines() {
        int n = allglen; // length first: the array read next holds at least n Gs
        return Arrays.asList(allgptr).subList(0, n);
    }

    /** Every P (allp), for the collector's per-P work with the world stopped. */
    public P[] allPs() {
        return allp;
    }

    /** A copy of every G ever made (allgs), for dumps and traces. */
    List<G> allgs() {
        return new ArrayList<>(allGoroutines());
    }

    // ---------------------------------------------------------------- Ps and Ms

    /** Puts {@code pp} on the idle list (pidleput). Caller holds {@link #lock}; the P's run queue is empty. */
    void pidleput(P pp) {
        assert lock.isLocked();
        if (!pp.runq.isEmpty()) {
            throw new IllegalStateException("pidleput: P has non-empty run queue");
        }
        if (pp.timers.earliest() == 0) {
            timerpMask.clear(pp.id);
        }
        idlepMask.set(pp.id);
        pp.link = pidle;
        pidle = pp;
        npidle.incrementAndGet();
    }

    /** Takes a P from the idle list, or null (pidleget). Caller holds {@link #lock}. */
    /** The head of the idle-P list (linked through {@link P#link}). Caller holds {@link #lock}. */
    P pidleHead() {
        return pidle;
    }

    P pidleget() {
        assert lock.isLocked();
        P pp = pidle;
        if (pp != null) {
            timerpMask.set(pp.id);
            idlepMask.clear(pp.id);
            pidle = pp.link;
            pp.link = null;
            npidle.decrementAndGet();
        }
        return pp;
    }

    /** pidleget for a spinning M: when no P is idle, asks an M about to drop its P to spin instead. */
    P pidlegetSpinning() {
        P pp = pidleget();
        if (pp == null) {
            needspinning.set(1);
        }
        return pp;
    }

    boolean hasIdleP() {
        return pidle != null;
    }

    /** Pushes {@code mp} on the idle-M list and checks for deadlock (mput). Caller holds {@link #lock}. */
    void mput(M mp) {
        assert lock.isLocked();
        mp.schedlink = midle;
        midle = mp;
        nmidle++;
        Deadlock.checkdead(this);
    }

    /** Pops an idle M, or null (mget). Caller holds {@link #lock}. */
    M mget() {
        M mp = midle;
        if (mp != null) {
            midle = mp.schedlink;
            mp.schedlink = null;
            nmidle--;
        }
        return mp;
    }

    /** Reserves an M id, counting the M as running from now on (mReserveID); fails past the thread limit. */
    long mReserveId() {
        lock.lock();
        try {
            long id = mnext++;
            checkmcount();
            return id;
        } finally {
            lock.unlock();
        }
    }

    private void checkmcount() {
        long count = mnext - nmfreed - nmsys;
        if (count > config.maxThreads()) {
            config.stderr().println("runtime: program exceeds " + config.maxThreads() + "-thread limit");
            throw fatal("thread exhaustion", Traceback.all(this));
        }
    }

    /** Starts a new M thread that will acquire {@code pp} and, if {@code spinning}, start out spinning (newm). */
    void newm(P pp, boolean spinning, long id) {
        M mp = new M(this, id, pp, spinning);
        lock.lock();
        try {
            allm.add(mp);
        } finally {
            lock.unlock();
        }
        if (exiting) {
            return;
        }
        mp.start();
    }

    /**
     * Schedules some M to run {@code pp}, or an idle P if null (startm). If {@code spinning}, the caller has
     * counted the M in {@link #nmspinning} already.
     */
    void startm(P pp, boolean spinning, boolean lockHeld) {
        M nmp;
        if (!lockHeld) {
            lock.lock();
        }
        try {
            if (pp == null) {
                if (spinning) {
                    throw new IllegalStateException("startm: P required for spinning=true");
                }
                pp = pidleget();
                if (pp == null) {
                    return;
                }
            }
            nmp = mget();
            if (nmp == null) {
                long id = mnext++;
                try {
                    checkmcount();
                } catch (GoFatalError e) {
                    return;
                }
                // Reserved before the lock is dropped, so checkdead counts it as running.
                if (!lockHeld) {
                    lock.unlock();
                }
                try {
                    newm(pp, spinning, id);
                } finally {
                    if (!lockHeld) {
                        lock.lock();
                    }
                }
                return;
            }
        } finally {
            if (!lockHeld) {
                lock.unlock();
            }
        }
        // Off the idle list the M is ours alone, so, as in Go, it is handed its P and woken after the lock is
        // released: the wake-up is a futex syscall, and on a virtual machine an interrupt to another CPU.
        if (nmp.spinning) {
            throw new IllegalStateException("startm: m is spinning");
        }
        if (nmp.nextp != null) {
            throw new IllegalStateException("startm: m has p");
        }
        nmp.spinning = spinning;
        nmp.nextp = pp;
        nmp.park.wakeup();
    }

    /**
     * Asks the goroutine on a random other running P to yield, so that its scheduler runs a dedicated mark
     * worker: the preemption half of Go's gcControllerState.enlistWorker, which picks up to five random Ps other
     * than the caller's and preempts the first one running. (Go leaves the other half, waking an idle P, switched
     * off: golang.org/issue/19112.) Runs on a goroutine or on an M outside one (a write-barrier buffer flushed by
     * a safe-point function); like Go's, it does nothing when the calling M holds no P.
     */
    public void preemptRandomOtherP() {
        M mp = M.current();
        P self = mp == null ? null : mp.p;
        P[] ps = allp; // a GOMAXPROCS change replaces the array: index one copy
        int procs = ps.length;
        if (procs <= 1 || self == null) {
            return;
        }
        for (int tries = 0; tries < 5; tries++) {
            int id = Integer.remainderUnsigned(mp.fastrand(), procs - 1);
            if (id >= self.id) {
                id++;
            }
            P pp = ps[id];
            if (pp.status == PStatus.RUNNING && WorldStop.preemptone(pp)) {
                return;
            }
        }
    }

    /**
     * Tries to add one spinning M when there is an idle P and no spinner (wakep). Called whenever work is
     * published: a readied or new goroutine, a timer.
     */
    void wakep() {
        // With one P there is never an idle P to hand a spinner, and the caller holds that P and will look at
        // its own queue: Go 1.21 still takes the lock and flags needspinning here, to no effect. Skip it.
        if (gomaxprocs == 1) {
            return;
        }
        if (nmspinning.get() != 0 || !nmspinning.compareAndSet(0, 1)) {
            return;
        }
        P pp;
        lock.lock();
        try {
            pp = pidlegetSpinning();
            if (pp == null) {
                if (nmspinning.decrementAndGet() < 0) {
                    throw new IllegalStateException("wakep: negative nmspinning");
                }
                return;
            }
        } finally {
            lock.unlock();
        }
        startm(pp, true, false);
    }

    /**
     * Finds a home for a P that has no M (after a syscall retake or a blocking syscall): starts an M iff
     * findRunnable would find something for it, else parks the P (handoffp).
     */
    void handoffp(P pp) {
        if (!pp.runq.isEmpty() || runq.size() != 0) {
            startm(pp, false, false);
            return;
        }
        if (nmspinning.get() + npidle.get() == 0 && nmspinning.compareAndSet(0, 1)) {
            needspinning.set(0);
            startm(pp, true, false);
            return;
        }
        long when;
        lock.lock();
        try {
            if (gcwaiting) {
                pp.status = PStatus.GCSTOP;
                if (--stopwait == 0) {
                    stopnote.wakeup();
                }
                return;
            }
            if (pp.runSafePointFn) {
                WorldStop.runSafePointFnLocked(this, pp);
            }
            if (runq.size() != 0) {
                lock.unlock();
                try {
                    startm(pp, false, false);
                } finally {
                    lock.lock();
                }
                return;
            }
            // The last running P with nobody waiting for timers: someone must wait for them.
            if (npidle.get() == gomaxprocs - 1 && lastpoll.get() != 0) {
                lock.unlock();
                try {
                    startm(pp, false, false);
                } finally {
                    lock.lock();
                }
                return;
            }
            when = pp.timers.earliest();
            pidleput(pp);
        } finally {
            lock.unlock();
        }
        if (when != 0) {
            wakeNetPoller(when);
        }
    }

    /**
     * A timer due at {@code when} was added: make sure someone wakes for it. Cuts the timed sleep of the
     * polling M short if it sleeps past {@code when}, or else wakes a P (wakeNetPoller).
     */
    void wakeNetPoller(long when) {
        if (lastpoll.get() == 0) {
            long until = pollUntil.get();
            if (until == 0 || until > when) {
                netpoll.wakeUp();
            }
        } else {
            wakep();
        }
    }

    /** Adjusts the count of idle Ms locked to goroutines (incidlelocked), checking for deadlock on increase. */
    void incidlelocked(int v) {
        lock.lock();
        try {
            nmidlelocked += v;
            if (v > 0) {
                Deadlock.checkdead(this);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The earliest timer of any P, or {@link Long#MAX_VALUE} (timeSleepUntil). */
    long timeSleepUntil() {
        long next = Long.MAX_VALUE;
        for (P pp : allp) {
            long w = pp.timers.earliest();
            if (w != 0 && w < next) {
                next = w;
            }
        }
        return next;
    }

    /** Current GOMAXPROCS. */
    public int gomaxprocs() {
        return gomaxprocs;
    }

    /** The configuration this run was started with. */
    public GoConfig config() {
        return config;
    }

    /** Goroutines taken by stealing, over all Ps (a golab counter). */
    public long steals() {
        long n = 0;
        for (P pp : allp) {
            n += pp.steals;
        }
        return n;
    }

    /** The scheduler's counters and every P, M and G, read under the lock as schedtrace does. */
    public SchedState schedState() {
        lock.lock();
        try {
            List<SchedState.PState> ps = new ArrayList<>();
            for (P pp : allp) {
                M owner = pp.m;
                ps.add(new SchedState.PState(pp.id, pp.status.code, pp.schedtick, pp.syscalltick,
                        owner == null ? -1 : owner.id, pp.runq.ringSize(), pp.gFreeCount, pp.timers.size()));
            }
            List<SchedState.MState> ms = new ArrayList<>();
            for (M mp : allm) {
                P pp = mp.p;
                G gp = mp.curg;
                ms.add(new SchedState.MState(mp.id, pp == null ? -1 : pp.id, gp == null ? -1 : gp.goid,
                        mp.spinning, mp.blocked));
            }
            if (sysmon != null) {
                ms.add(new SchedState.MState(sysmon.id, -1, -1, false, false));
            }
            List<SchedState.GState> gs = new ArrayList<>();
            for (G gp : allgs()) {
                M on = gp.m;
                gs.add(new SchedState.GState(gp.goid, gp.status().code, gp.waitReason.toString(),
                        on == null ? -1 : on.id));
            }
            return new SchedState(gomaxprocs, npidle.get(), mnext - nmfreed, nmspinning.get(), needspinning.get(),
                    nmidle, runq.size(), gcwaiting, nmidlelocked, stopwait, sysmonwait, ps, ms, gs);
        } finally {
            lock.unlock();
        }
    }
}
