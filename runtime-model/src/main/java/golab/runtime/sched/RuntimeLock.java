package golab.runtime.sched;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The runtime's internal mutex: Go's {@code mutex} with {@code lock}/{@code unlock} (lock_futex.go): spin a
 * little, then yield the thread, then sleep briefly and retry. It blocks the thread, never the goroutine, and
 * is held only for short critical sections.
 *
 * <p>Why not {@code ReentrantLock}: inside a goroutine, C2 folds {@code Thread.currentThread()} to one
 * value per compiled frame, and after the goroutine migrates to another M that value names the old M.
 * A lock that records its owner thread would then believe the old M holds it (breaking mutual exclusion
 * by "reentrancy") or refuse an unlock on the right thread. This lock has no owner, like Go's.
 */
public final class RuntimeLock {

    private static final int ACTIVE_SPIN = 4;
    private static final int ACTIVE_SPIN_CNT = 30;
    private static final int PASSIVE_SPIN = 1;
    private static final long SLEEP_NANOS = 10_000;

    private final AtomicBoolean locked = new AtomicBoolean();

    /** Acquires the lock, blocking the calling thread until it is free. */
    public void lock() {
        if (locked.compareAndSet(false, true)) {
            return;
        }
        lockSlow();
    }

    private void lockSlow() {
        while (true) {
            for (int i = 0; i < ACTIVE_SPIN; i++) {
                for (int k = 0; k < ACTIVE_SPIN_CNT; k++) {
                    Thread.onSpinWait();
                }
                if (!locked.get() && locked.compareAndSet(false, true)) {
                    return;
                }
            }
            for (int i = 0; i < PASSIVE_SPIN; i++) {
                Thread.yield();
                if (!locked.get() && locked.compareAndSet(false, true)) {
                    return;
                }
            }
            LockSupport.parkNanos(this, SLEEP_NANOS);
            if (!locked.get() && locked.compareAndSet(false, true)) {
                return;
            }
        }
    }

    /** Releases the lock; it must be held (by anyone: the lock has no owner). */
    public void unlock() {
        if (!locked.get()) {
            throw new IllegalStateException("unlock of unlocked lock");
        }
        locked.setRelease(false); // only the holder unlocks, and nobody sleeps waiting for a wake-up
    }

    /** Whether the lock is held by anyone (for assertions). */
    public boolean isLocked() {
        return locked.get();
    }
}
