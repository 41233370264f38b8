package golab.runtime.sync;

import golab.runtime.RuntimePanic;
import golab.runtime.sched.Sema;
import golab.runtime.sched.WaitReason;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Go's {@code sync.WaitGroup} (sync/waitgroup.go): a counter in the high 32 bits and the number of waiters
 * in the low 32 bits of one word, and a semaphore the waiters park on. When {@link #add} brings the
 * counter to zero with waiters present, it resets the word and releases every waiter.
 */
public final class WaitGroup {

    private final AtomicLong state = new AtomicLong();
    private final Sema sema = new Sema(0);

    /** Adds {@code delta} (which may be negative) to the counter; at zero, releases all waiters. */
    public void add(int delta) {
        long s = state.addAndGet((long) delta << 32);
        int v = (int) (s >> 32);
        int w = (int) s;
        if (v < 0) {
            throw new RuntimePanic("sync: negative WaitGroup counter");
        }
        if (w != 0 && delta > 0 && v == delta) {
            throw new RuntimePanic("sync: WaitGroup misuse: Add called concurrently with Wait");
        }
        if (v > 0 || w == 0) {
            return;
        }
        // Counter is 0 and there are waiters: nobody may change the state now but us.
        if (state.get() != s) {
            throw new RuntimePanic("sync: WaitGroup misuse: Add called concurrently with Wait");
        }
        state.set(0);
        for (; w != 0; w--) {
            sema.release(false);
        }
    }

    /** Decrements the counter by one. */
    public void done() {
        add(-1);
    }

    /** Blocks until the counter is zero. */
    public void await() {
        while (true) {
            long s = state.get();
            int v = (int) (s >> 32);
            if (v == 0) {
                return;
            }
            if (state.compareAndSet(s, s + 1)) {
                sema.acquire(false, WaitReason.SEMACQUIRE);
                if (state.get() != 0) {
                    throw new RuntimePanic("sync: WaitGroup is reused before previous Wait has returned");
                }
                return;
            }
        }
    }
}
