package golab.runtime.sched;

import java.util.concurrent.locks.LockSupport;

/**
 * A one-shot sleep/wake-up: Go's {@code note} ({@code notesleep}, {@code notetsleep}, {@code notewakeup},
 * {@code noteclear}). One thread sleeps on it; one wake-up releases it until it is cleared. An M parks
 * on its own note in {@code stopm}; the stop-the-world initiator and sysmon have theirs.
 */
final class Note {

    private volatile Thread sleeper;
    private volatile boolean signalled;

    /** Releases the sleeper; a second wake-up before {@link #clear} is a runtime bug. */
    void wakeup() {
        if (signalled) {
            throw new IllegalStateException("notewakeup - double wakeup");
        }
        signalled = true;
        Thread t = sleeper;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Sleeps until woken. */
    void sleep() {
        sleeper = M.carrier();
        while (!signalled) {
            LockSupport.park(this);
        }
        sleeper = null;
    }

    /** Sleeps until woken or {@code nanos} pass; returns whether it was woken. */
    boolean sleep(long nanos) {
        Thread self = M.carrier();
        sleeper = self;
        long deadline = System.nanoTime() + nanos;
        while (!signalled) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || self.isInterrupted()) {
                break;
            }
            LockSupport.parkNanos(this, left);
        }
        sleeper = null;
        return signalled;
    }

    /** Re-arms the note for the next sleep. */
    void clear() {
        signalled = false;
    }
}
