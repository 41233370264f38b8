package golab.runtime.sched;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Where an idle M blocks until the earliest timer of any P: the timed wait of Go's {@code netpoll(delay)}
 * with {@code netpollBreak} to cut it short when an earlier timer is added. golab has no file descriptors
 * yet, so the poll only ever reports "time's up" or "woken"; at most one M waits here at a time
 * ({@code sched.lastpoll} is swapped to 0 while it does).
 */
final class Netpoll {

    private volatile Thread poller;
    /** A wake-up is pending (Go's netpollWakeSig): at most one break is delivered per poll. */
    private final AtomicBoolean wakeSig = new AtomicBoolean();

    /** Blocks the calling thread for up to {@code delayNanos}, or until {@link #wakeUp}. */
    void poll(long delayNanos) {
        Thread self = Thread.currentThread(); // an M in findRunnable, never a goroutine
        poller = self;
        long deadline = System.nanoTime() + delayNanos;
        while (!wakeSig.get()) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || self.isInterrupted()) {
                break;
            }
            LockSupport.parkNanos(this, left);
        }
        poller = null;
        wakeSig.set(false);
    }

    /** Interrupts the current or next poll (netpollBreak). */
    void wakeUp() {
        if (wakeSig.compareAndSet(false, true)) {
            Thread t = poller;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }
}
