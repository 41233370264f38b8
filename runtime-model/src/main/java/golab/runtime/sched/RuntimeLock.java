package golab.runtime.sched;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The runtime's internal mutex: Go's {@code mutex} with {@code lock}/{@code unlock} as lock_futex.go has
 * them. It blocks the thread, never the goroutine, and is held only for short critical sections.
 *
 * <p>The key is unlocked, locked, or locked with sleepers. A contender spins a little, yields the thread
 * once, then marks the key "sleeping" and sleeps until an unlock that finds that mark wakes one sleeper —
 * the futex protocol with {@link #sleepers} in the futex's place. A woken thread (or one that found the
 * lock free while marking it) takes the lock with the mark kept, so the other sleepers are woken in turn.
 * The sleep re-checks the mark after queueing, as futexsleep compares the key in the kernel: an unlock
 * between the mark and the queueing is seen, never lost. Without the wake-up a contender could only sleep
 * for a fixed time and retry, and a timed sleep lasts at least the kernel's timer slack (a 3 µs sleep took
 * about 100 µs on the VM of the README's measurements): a contended hand-over could stall that long while
 * the lock was free.
 *
 * <p>Why not {@code ReentrantLock}: inside a goroutine, C2 folds {@code Thread.currentThread()} to one
 * value per compiled frame, and after the goroutine migrates to another M that value names the old M.
 * A lock that records its owner thread would then believe the old M holds it (breaking mutual exclusion
 * by "reentrancy") or refuse an unlock on the right thread. This lock has no owner, like Go's; a sleeper
 * queues its carrier thread ({@link M#carrier()}), the thread that is actually parked.
 */
public final class RuntimeLock {

    private static final int UNLOCKED = 0;
    private static final int LOCKED = 1;
    private static final int SLEEPING = 2;

    private static final int ACTIVE_SPIN = 4;
    private static final int ACTIVE_SPIN_CNT = 30;
    private static final int PASSIVE_SPIN = 1;

    private final AtomicInteger key = new AtomicInteger(UNLOCKED);
    private final ConcurrentLinkedQueue<Thread> sleepers = new ConcurrentLinkedQueue<>();

    /** Acquires the lock, blocking the calling thread until it is free. */
    public void lock() {
        int v = key.getAndSet(LOCKED);
        if (v != UNLOCKED) {
            lockSlow(v);
        }
    }

    /**
     * Contended: {@code wait} is what the fast path's exchange replaced, so a "sleeping" mark it overwrote is
     * put back by whichever of this thread's attempts takes the lock.
     */
    private void lockSlow(int wait) {
        while (true) {
            for (int i = 0; i < ACTIVE_SPIN; i++) {
                if (tryAcquire(wait)) {
                    return;
                }
                for (int k = 0; k < ACTIVE_SPIN_CNT; k++) {
                    Thread.onSpinWait();
                }
            }
            for (int i = 0; i < PASSIVE_SPIN; i++) {
                if (tryAcquire(wait)) {
                    return;
                }
                Thread.yield();
            }
            if (key.getAndSet(SLEEPING) == UNLOCKED) {
                return;
            }
            wait = SLEEPING;
            sleepWhileMarked();
        }
    }

    private boolean tryAcquire(int wait) {
        while (key.get() == UNLOCKED) {
            if (key.compareAndSet(UNLOCKED, wait)) {
                return true;
            }
        }
        return false;
    }

    /** futexsleep(key, SLEEPING): parks until woken, unless the key no longer carries the mark. */
    private void sleepWhileMarked() {
        Thread self = M.carrier();
        sleepers.add(self);
        if (key.get() == SLEEPING) {
            LockSupport.park(this); // a wake-up may come first: then the permit makes this return at once
        }
        // Woken (the waker dequeued us), or the key changed, or a spurious return: leave no stale entry that
        // a later unlock would wake instead of a real sleeper.
        sleepers.remove(self);
    }

    /** Releases the lock; it must be held (by anyone: the lock has no owner). */
    public void unlock() {
        int v = key.getAndSet(UNLOCKED);
        if (v == UNLOCKED) {
            throw new IllegalStateException("unlock of unlocked lock");
        }
        if (v == SLEEPING) {
            Thread t = sleepers.poll();
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    /** Whether the lock is held by anyone (for assertions). */
    public boolean isLocked() {
        return key.get() != UNLOCKED;
    }
}
