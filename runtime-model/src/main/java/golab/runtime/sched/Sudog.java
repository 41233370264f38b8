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

    /** Takes a clean sudog from the current P's cache (acquireSudog). */
    public static Sudog acquire() {
        P pp = M.current().p;
        if (pp.sudogCount == 0) {
            pp.sched.refillSudogs(pp);
        }
        if (pp.sudogCount == 0) {
            return new Sudog();
        }
        Sudog s = pp.sudogCache[--pp.sudogCount];
        pp.sudogCache[pp.sudogCount] = null;
        return s;
    }

    /** Returns a sudog, which must be unlinked and cleared of its goroutine, to the current P's cache (releaseSudog). */
    public static void release(Sudog s) {
        if (s.elem != null || s.isSelect || s.next != null || s.prev != null || s.waitlink != null || s.c != null) {
            throw new IllegalStateException("releaseSudog: sudog still in use");
        }
        s.g = null;
        s.success = false;
        s.ticket = 0;
        P pp = M.current().p;
        if (pp.sudogCount == pp.sudogCache.length) {
            pp.sched.spillSudogs(pp);
        }
        pp.sudogCache[pp.sudogCount++] = s;
    }
}
