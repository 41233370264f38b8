package golab.runtime.sched;

/**
 * A runtime timer: Go's {@code timer} (time.go). It lives in the heap of one P and fires on whichever M
 * runs that P's timers ({@link Timers#run}), calling {@link #fire} without any timer lock held.
 */
public abstract class Timer {

    /** When the timer fires, in {@link System#nanoTime()} units. */
    long when;
    /** Position in its P's heap, or -1 when not in a heap. */
    int heapIndex = -1;
    /** The heap that holds it while {@link #heapIndex} is not -1. */
    Timers heap;

    /** When this timer fires, in {@link System#nanoTime()} units. */
    public final long when() {
        return when;
    }

    /**
     * Runs the timer's function on an M that holds a P (so it may ready goroutines). {@code now} is the time
     * the heap was checked.
     */
    protected abstract void fire(long now);
}
