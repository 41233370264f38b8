package golab.runtime.sched;

import golab.runtime.heap.MCache;
import golab.runtime.heap.StackCache;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A logical processor: Go's {@code p} (runtime2.go). Exactly GOMAXPROCS of them are live; an M must hold
 * one to run goroutines. A P owns a local run queue, a timer heap and a free list of dead Gs; later it
 * also owns an mcache, a gcWork buffer and a sync.Pool slot.
 *
 * <p>Invariants: {@link #status} is {@link PStatus#RUNNING} exactly while an M has acquired the P
 * ({@link #m} is that M); a P in {@link PStatus#SYSCALL} has no M and may be taken by a CAS on its status
 * (sysmon's retake, the syscall's own exit, stop-the-world); an idle P has an empty run queue.
 */
public final class P {

    private static final VarHandle STATUS;

    static {
        try {
            STATUS = MethodHandles.lookup().findVarHandle(P.class, "status", PStatus.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Go's gFree: a P keeps at most this many dead Gs and moves half to the global list beyond it. */
    static final int GFREE_MAX = 64;
    /** Goroutine ids are taken from the global counter in batches of this many (_GoidCacheBatch). */
    static final int GOID_CACHE_BATCH = 16;

    final int id;
    volatile PStatus status = PStatus.GCSTOP;
    /** The owning M, null when idle or in a syscall. */
    volatile M m;
    /** Next on the idle-P list. */
    P link;

    /** Incremented each time a goroutine starts a fresh time slice here (read racily by sysmon). */
    int schedtick;
    /** Incremented on syscall transitions and retakes (read racily by sysmon). */
    int syscalltick;
    /** What sysmon saw last time (sysmontick); touched only by sysmon. */
    final SysmonTick sysmontick = new SysmonTick();

    final RunQueue runq;
    /** This P's allocation cache (Go's p.mcache). */
    final MCache mcache;
    /** This P's free stacks (Go's p.mcache.stackcache). */
    final StackCache stackcache;
    final Timers timers = new Timers();

    G gFree;
    int gFreeCount;
    /** Free sudogs (Go's sudogcache, backed by an array of 128). */
    final Sudog[] sudogCache = new Sudog[128];
    int sudogCount;
    final Sched sched;
    long goidcache;
    long goidcacheend;

    /** forEachP asked this P to run {@link Sched#safePointFn} at its next scheduling point (Go's runSafePointFn). */
    volatile boolean runSafePointFn;

    /** Goroutines this P took from other Ps' queues (golab's counter; Go keeps none). */
    long steals;

    P(int id, Sched sched, GlobalRunQueue globalRunq) {
        this.id = id;
        this.sched = sched;
        this.mcache = sched == null ? null : sched.heap.newMCache();
        this.stackcache = sched == null ? null : sched.stacks.newCache();
        this.runq = new RunQueue(this, globalRunq);
    }

    /** This P's id (0 .. GOMAXPROCS-1). */
    public int id() {
        return id;
    }

    /** Whether this P's local run queue holds a goroutine (read racily, as Go's pollWork does). */
    public boolean hasLocalWork() {
        return !runq.isEmpty();
    }

    /**
     * Moves everything in this P's local run queue, runnext included, to the tail of the global queue, so other
     * Ps can run it (Go's runqdrain then globrunqputbatch). Only the goroutine running on this P may call it.
     */
    public void moveRunQueueToGlobal() {
        runq.moveAllToGlobal();
    }

    /** This P's allocation cache. */
    public MCache mcache() {
        return mcache;
    }

    /** This P's stack cache. */
    public StackCache stackcache() {
        return stackcache;
    }

    boolean casStatus(PStatus from, PStatus to) {
        return STATUS.compareAndSet(this, from, to);
    }

    /** sysmon's view of this P at its previous look (Go's sysmontick). */
    static final class SysmonTick {
        int schedtick;
        long schedwhen;
        int syscalltick;
        long syscallwhen;
    }
}
