package golab.runtime.sched;

/**
 * A runtime timer: Go's {@code timer} (time.go). It lives in the heap of one P and fires on whichever M
 * runs that P's timers ({@link Timers#run}), calling {@link #fire} without any timer lock held.
 */
public abstract class Timer {

    /** When the timer fires, in {@link System#nanoTime()} units. */
    long when;
    /** For a periodic timer, the period in nanoseconds; 0 for a one-shot timer. */
    long period;
    /** Position in its P's heap, or -1 when not in a heap. */
    int heapIndex = -1;
    /** The heap that holds it while {@link #heapIndex} is not -1. */
    Timers heap;

    /** When this timer fires, in {@link System#nanoTime()} units. */
    public final long when() {
        return when;
    }

    /**
     * Arms the timer to fire at {@code when} (nanoTime), every {@code period} ns after that if positive, on
     * the current P's heap, and makes sure an M will wake for it (addtimer / modtimer). It must not be armed.
     */
    public final void schedule(long when, long period) {
        M mp = M.current();
        if (mp == null || mp.p == null) {
            throw new IllegalStateException("timer: must be armed on a goroutine or an M that holds a P");
        }
        this.period = period;
        mp.p.timers.add(this, when);
        mp.sched.wakeNetPoller(when);
    }

    /** Disarms the timer; returns whether it was armed (so this call prevented it from firing) (deltimer). */
    public final boolean cancel() {
        Timers h = heap;
        return h != null && h.remove(this);
    }

    /**
     * Runs the timer's function on an M that holds a P (so it may ready goroutines). {@code now} is the time
     * the heap was checked.
     */
    protected abstract void fire(long now);
}
