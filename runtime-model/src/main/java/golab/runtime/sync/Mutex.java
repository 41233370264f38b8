package golab.runtime.sync;

import golab.runtime.RuntimePanic;
import golab.runtime.sched.Park;
import golab.runtime.sched.Sema;
import golab.runtime.sched.WaitReason;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Go's {@code sync.Mutex} (sync/mutex.go), with normal and starvation modes.
 *
 * <p>Normal mode: waiters queue FIFO, but a woken waiter competes with newcomers, who are already running
 * and usually win; this keeps throughput high. A waiter that fails to get the lock for more than 1 ms
 * switches the mutex to starvation mode: ownership is then handed straight from the unlocker to the waiter
 * at the front of the queue, newcomers queue at the tail without trying, and the mutex returns to normal
 * mode when the last waiter, or one that waited less than 1 ms, takes it. A contended locker may spin a
 * few times first, when spinning can pay ({@link Park#canSpin}).
 *
 * <p>State bits: locked (1), woken (2), starving (4); the rest counts waiters.
 */
public final class Mutex {

    private static final int LOCKED = 1;
    private static final int WOKEN = 2;
    private static final int STARVING = 4;
    private static final int WAITER_SHIFT = 3;
    private static final long STARVATION_THRESHOLD_NANOS = 1_000_000;

    private final AtomicInteger state = new AtomicInteger();
    private final Sema sema = new Sema(0);

    /** Locks, blocking the goroutine until the mutex is available. */
    public void lock() {
        if (state.compareAndSet(0, LOCKED)) {
            return;
        }
        lockSlow();
    }

    /** Locks if the mutex is free now (TryLock). */
    public boolean tryLock() {
        int old = state.get();
        if ((old & (LOCKED | STARVING)) != 0) {
            return false;
        }
        return state.compareAndSet(old, old | LOCKED);
    }

    private void lockSlow() {
        long waitStart = 0;
        boolean starving = false;
        boolean awoke = false;
        int iter = 0;
        int old = state.get();
        while (true) {
            // Spin only in normal mode: in starvation mode ownership is handed off, spinning can't win it.
            if ((old & (LOCKED | STARVING)) == LOCKED && Park.canSpin(iter)) {
                // Set woken so that Unlock does not wake another waiter while we are about to take it.
                if (!awoke && (old & WOKEN) == 0 && (old >>> WAITER_SHIFT) != 0
                        && state.compareAndSet(old, old | WOKEN)) {
                    awoke = true;
                }
                Park.doSpin();
                iter++;
                old = state.get();
                continue;
            }
            int next = old;
            if ((old & STARVING) == 0) {
                next |= LOCKED; // newcomers never take a starving mutex
            }
            if ((old & (LOCKED | STARVING)) != 0) {
                next += 1 << WAITER_SHIFT;
            }
            if (starving && (old & LOCKED) != 0) {
                next |= STARVING;
            }
            if (awoke) {
                if ((next & WOKEN) == 0) {
                    throw new IllegalStateException("sync: inconsistent mutex state");
                }
                next &= ~WOKEN;
            }
            if (state.compareAndSet(old, next)) {
                if ((old & (LOCKED | STARVING)) == 0) {
                    return; // took it with CAS
                }
                boolean queueLifo = waitStart != 0;
                if (waitStart == 0) {
                    waitStart = System.nanoTime();
                }
                sema.acquire(queueLifo, WaitReason.SYNC_MUTEX_LOCK);
                starving = starving || System.nanoTime() - waitStart > STARVATION_THRESHOLD_NANOS;
                old = state.get();
                if ((old & STARVING) != 0) {
                    // Handed off to us in starvation mode; the state still counts us as a waiter.
                    if ((old & (LOCKED | WOKEN)) != 0 || (old >>> WAITER_SHIFT) == 0) {
                        throw new IllegalStateException("sync: inconsistent mutex state");
                    }
                    int delta = LOCKED - (1 << WAITER_SHIFT);
                    if (!starving || (old >>> WAITER_SHIFT) == 1) {
                        delta -= STARVING; // last waiter, or this one did not wait long: back to normal mode
                    }
                    state.addAndGet(delta);
                    return;
                }
                awoke = true;
                iter = 0;
            } else {
                old = state.get();
            }
        }
    }

    /** Unlocks; unlocking an unlocked mutex is a fatal error in Go and panics here. */
    public void unlock() {
        int next = state.addAndGet(-LOCKED);
        if (next != 0) {
            unlockSlow(next);
        }
    }

    private void unlockSlow(int next) {
        if (((next + LOCKED) & LOCKED) == 0) {
            throw new RuntimePanic("sync: unlock of unlocked mutex");
        }
        if ((next & STARVING) == 0) {
            int old = next;
            while (true) {
                // Nobody to wake, or someone is already woken or has the lock: nothing to do.
                if ((old >>> WAITER_SHIFT) == 0 || (old & (LOCKED | WOKEN | STARVING)) != 0) {
                    return;
                }
                int n = (old - (1 << WAITER_SHIFT)) | WOKEN;
                if (state.compareAndSet(old, n)) {
                    sema.release(false);
                    return;
                }
                old = state.get();
            }
        }
        // Starvation mode: hand ownership to the next waiter and yield our time slice to it.
        sema.release(true);
    }
}
