package golab.runtime.sched;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A P's local run queue: Go's {@code runq [256]}, {@code runqhead}, {@code runqtail} and {@code runnext}
 * (proc.go {@code runqput}, {@code runqget}, {@code runqgrab}, {@code runqsteal}).
 *
 * <p>Single producer, many consumers. Only the owning P writes {@code tail} (release store) and the ring
 * slots in {@code [tail, head + 256)}; the owner and thieves consume by CAS on {@code head}. Indices run
 * free and wrap as 32-bit integers; a slot is {@code index & 255}. A consumer reads a slot before its CAS
 * on {@code head}: if the CAS succeeds nobody can have rewritten the slot in between, because the owner
 * only writes slots that are free, and the slot stays taken until {@code head} moves past it.
 *
 * <p>{@code runnext} is a one-G LIFO slot in front of the ring: a G readied by the running G (a channel
 * partner, a new goroutine) runs next and inherits the time slice. Anyone may take it by CAS.
 */
public final class RunQueue {

    static final int SIZE = 256;
    private static final int MASK = SIZE - 1;

    private static final VarHandle HEAD;
    private static final VarHandle TAIL;
    private static final VarHandle RUNNEXT;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(G[].class);

    static {
        try {
            var lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(RunQueue.class, "head", int.class);
            TAIL = lookup.findVarHandle(RunQueue.class, "tail", int.class);
            RUNNEXT = lookup.findVarHandle(RunQueue.class, "runnext", G.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final G[] ring = new G[SIZE];
    @SuppressWarnings("unused") // accessed through HEAD
    private volatile int head;
    @SuppressWarnings("unused") // accessed through TAIL
    private volatile int tail;
    @SuppressWarnings("unused") // accessed through RUNNEXT
    private volatile G runnext;

    /** Where a full ring spills half of itself, and a drained one all of itself: the global run queue. */
    private final GlobalRunQueue overflow;
    /** Whether the owning P is running, for the runnext back-off in {@link #grab}. */
    private final P owner;

    RunQueue(P owner, GlobalRunQueue overflow) {
        this.owner = owner;
        this.overflow = overflow;
    }

    /**
     * Owner only: queues {@code gp} at the tail, or in {@code runnext} if {@code next}, kicking the old
     * runnext to the tail. A full ring moves half of itself plus the G to the global queue (runqputslow).
     */
    void put(G gp, boolean next) {
        if (next) {
            G old;
            do {
                old = (G) RUNNEXT.getVolatile(this);
            } while (!RUNNEXT.compareAndSet(this, old, gp));
            if (old == null) {
                return;
            }
            gp = old;
        }
        while (true) {
            int h = (int) HEAD.getAcquire(this);
            int t = (int) TAIL.getOpaque(this);
            if (t - h < SIZE) {
                SLOT.setOpaque(ring, t & MASK, gp);
                TAIL.setRelease(this, t + 1);
                return;
            }
            if (putSlow(gp, h, t)) {
                return;
            }
        }
    }

    /** Moves half the ring and {@code gp} to the global queue; false if consumers emptied it meanwhile. */
    private boolean putSlow(G gp, int h, int t) {
        int n = (t - h) / 2;
        G[] batch = new G[n + 1];
        for (int i = 0; i < n; i++) {
            batch[i] = (G) SLOT.getOpaque(ring, (h + i) & MASK);
        }
        if (!HEAD.compareAndSet(this, h, h + n)) {
            return false;
        }
        batch[n] = gp;
        overflow.putBatch(batch);
        return true;
    }

    /**
     * Owner only: takes runnext if set (the caller inherits the time slice: {@link #lastGetInheritsTime}),
     * otherwise the head of the ring; null when empty.
     */
    G get(M mp) {
        G next = (G) RUNNEXT.getVolatile(this);
        // A failed CAS is not retried: only a thief can have taken runnext, and then the ring is next.
        if (next != null && RUNNEXT.compareAndSet(this, next, null)) {
            mp.inheritTime = true;
            return next;
        }
        while (true) {
            int h = (int) HEAD.getAcquire(this);
            int t = (int) TAIL.getOpaque(this);
            if (t == h) {
                return null;
            }
            G gp = (G) SLOT.getOpaque(ring, h & MASK);
            if (HEAD.compareAndSet(this, h, h + 1)) {
                mp.inheritTime = false;
                return gp;
            }
        }
    }

    /**
     * Thief: steals half of {@code victim}'s queue into this (empty-ringed) queue and returns one G to run,
     * or null. With {@code stealRunNext} it may take the victim's runnext when its ring is empty.
     */
    G steal(RunQueue victim, boolean stealRunNext) {
        int t = (int) TAIL.getOpaque(this);
        int n = victim.grab(ring, t, stealRunNext);
        if (n == 0) {
            return null;
        }
        owner.steals += n; // the thief's own P: one writer
        n--;
        G gp = (G) SLOT.getOpaque(ring, (t + n) & MASK);
        if (n == 0) {
            return gp;
        }
        int h = (int) HEAD.getAcquire(this);
        if (t - h + n >= SIZE) {
            throw new IllegalStateException("runqsteal: runq overflow");
        }
        TAIL.setRelease(this, t + n);
        return gp;
    }

    /** Copies half of this queue into {@code batch} starting at {@code batchHead}; returns how many (runqgrab). */
    private int grab(G[] batch, int batchHead, boolean stealRunNext) {
        while (true) {
            int h = (int) HEAD.getAcquire(this);
            int t = (int) TAIL.getAcquire(this);
            int n = t - h;
            n = n - n / 2;
            if (n == 0) {
                if (stealRunNext) {
                    G next = (G) RUNNEXT.getVolatile(this);
                    if (next != null) {
                        if (owner.status == PStatus.RUNNING) {
                            // The owner has just readied this G and is about to block: give it ~3 µs to
                            // run it itself rather than bounce it between Ps (Go's usleep(3)).
                            LockSupport.parkNanos(3_000);
                        }
                        if (!RUNNEXT.compareAndSet(this, next, null)) {
                            continue;
                        }
                        SLOT.setOpaque(batch, batchHead & MASK, next);
                        return 1;
                    }
                }
                return 0;
            }
            if (n > SIZE / 2) {
                continue; // read an inconsistent head/tail pair
            }
            for (int i = 0; i < n; i++) {
                G gp = (G) SLOT.getOpaque(ring, (h + i) & MASK);
                SLOT.setOpaque(batch, (batchHead + i) & MASK, gp);
            }
            if (HEAD.compareAndSet(this, h, h + n)) {
                return n;
            }
        }
    }

    /** Whether the ring and runnext are both empty (racy, as Go's runqempty, but never a false empty). */
    boolean isEmpty() {
        // Read head, tail, runnext, then tail again: a G moving from runnext to the ring between the reads
        // must not make both look empty.
        while (true) {
            int h = (int) HEAD.getAcquire(this);
            int t = (int) TAIL.getAcquire(this);
            G next = (G) RUNNEXT.getVolatile(this);
            if ((int) TAIL.getAcquire(this) == t) {
                return h == t && next == null;
            }
        }
    }

    /** Number of Gs in the ring, runnext excluded (what schedtrace prints). */
    int ringSize() {
        return (int) TAIL.getAcquire(this) - (int) HEAD.getAcquire(this);
    }

    /** Owner only: moves everything, runnext first, to the tail of the global queue (runqdrain, globrunqputbatch). */
    void moveAllToGlobal() {
        G[] gs = drain();
        if (gs.length > 0) {
            overflow.putBatch(gs);
        }
    }

    /**
     * Owner only: removes everything, runnext first then the ring head to tail (runqdrain). Thieves may run
     * meanwhile: the ring is taken by one CAS on {@code head}, as a steal takes its half, and read after it,
     * which is safe because only the owner writes slots.
     */
    G[] drain() {
        G next = (G) RUNNEXT.getAndSet(this, null);
        int h;
        int t = (int) TAIL.getOpaque(this);
        do {
            h = (int) HEAD.getAcquire(this);
        } while (!HEAD.compareAndSet(this, h, t));
        G[] all = new G[(next == null ? 0 : 1) + (t - h)];
        int i = 0;
        if (next != null) {
            all[i++] = next;
        }
        for (int k = h; k != t; k++) {
            all[i++] = (G) SLOT.getOpaque(ring, k & MASK);
            SLOT.setOpaque(ring, k & MASK, null);
        }
        return all;
    }
}
