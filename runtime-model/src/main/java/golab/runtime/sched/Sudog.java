package golab.runtime.sched;

/**
 * A goroutine waiting on a wait queue: Go's {@code sudog} (runtime2.go). One goroutine may wait on many
 * queues at once (a select), so the queue links live here, not in {@link G}; a G's sudogs of one select
 * are chained through {@link #waitlink} in lock order.
 *
 * <p>All fields are protected by the lock of the channel (or semaphore root) whose queue holds the sudog.
 * Sudogs are recycled through a per-P cache ({@link #acquire}, {@link #release}).
 */
public final class Sudog {

    /** The waiting goroutine. */
    public G g;
    public Sudog next;
    public Sudog prev;
    /** The value being sent, or the slot a receive fills (Go's elem pointer into the waiter's stack). */
    public Object elem;
    /** The channel (or other wait object) this sudog is queued on. */
    public Object c;
    /** Whether the waiter is in a select, so that only one of its sudogs may win (G.selectDone). */
    public boolean isSelect;
    /** The wake-up delivered a value (or accepted one); false when it came from a close. */
    public boolean success;
    /** The next sudog of the same goroutine's select (Go's waitlink). */
    public Sudog waitlink;
    /** A per-use counter for semaphore-style waiters (Go's ticket). */
    public long ticket;

    /**
     * Takes a clean sudog for {@code gp}, which must be the calling goroutine, from the cache of the P running it
     * (acquireSudog). Passing the caller saves looking it up again on every channel operation that blocks.
     */
    public static Sudog acquire(G gp) {
        P pp = gp.m.p;
        if (pp.sudogCount == 0) {
            pp.sched.refillSudogs(pp);
        }
        Sudog s;
        if (pp.sudogCount == 0) {
            s = new Sudog();
        } else {
            s = pp.sudogCache[--pp.sudogCount];
            pp.sudogCache[pp.sudogCount] = null;
        }
        s.g = gp;
        return s;
    }

    /**
     * Returns a sudog, unlinked and cleared, to the cache of the P running its goroutine, which must be the caller
     * (releaseSudog).
     */
    public static void release(Sudog s) {
        if (s.elem != null || s.isSelect || s.next != null || s.prev != null || s.waitlink != null || s.c != null) {
            throw new IllegalStateException("releaseSudog: sudog still in use");
        }
        P pp = s.g.m.p;
        s.g = null;
        s.success = false;
        s.ticket = 0;
        if (pp.sudogCount == pp.sudogCache.length) {
            pp.sched.spillSudogs(pp);
        }
        pp.sudogCache[pp.sudogCount++] = s;
    }
}
