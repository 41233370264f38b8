package golab.runtime.sched;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A runtime semaphore that parks goroutines: Go's sema.go ({@code semacquire1}, {@code semrelease1}). As in Go,
 * where sema.go is part of the runtime and package sync reaches it through {@code runtime_Semacquire}, it lives
 * with the scheduler: sync's {@code Mutex} and {@code WaitGroup} park on it, and so do the runtime's own
 * {@code worldsema} and {@code gcsema} ({@link WorldStop}) and the collector's {@code startSema} and
 * {@code markDoneSema}.
 *
 * <p>Go keys semaphores by address in a table of 251 roots; here each semaphore is an object with its own
 * root: the count, a lock, the number of waiters and a FIFO of their sudogs. Acquire takes a unit by CAS
 * if one is available; otherwise it queues (at the front if {@code lifo}) and parks, re-checking after
 * every wake-up unless the releaser handed the unit over directly ({@link Sudog#ticket}). The waiter
 * count lets a release skip the lock when nobody waits.
 */
public final class Sema {

    private final AtomicInteger value;
    private final AtomicInteger nwait = new AtomicInteger();
    private final RuntimeLock lock = new RuntimeLock();
    private Sudog head;
    private Sudog tail;

    /** A semaphore holding {@code initial} units. */
    public Sema(int initial) {
        this.value = new AtomicInteger(initial);
    }

    /** Units available now (racy). */
    public int value() {
        return value.get();
    }

    /** Takes one unit, parking with {@code reason} until one is available; {@code lifo} queues at the front. */
    public void acquire(boolean lifo, WaitReason reason) {
        if (tryAcquire()) {
            return;
        }
        G gp = Park.getg();
        Sudog s = Sudog.acquire(gp);
        while (true) {
            lock.lock();
            nwait.incrementAndGet();
            if (tryAcquire()) {
                nwait.decrementAndGet();
                lock.unlock();
                break;
            }
            enqueue(s, lifo);
            Park.gopark(Sema::parkCommit, this, reason);
            if (s.ticket != 0 || tryAcquire()) {
                break;
            }
        }
        s.elem = null;
        s.c = null;
        Sudog.release(s);
    }

    /**
     * Returns one unit and wakes the first waiter. With {@code handoff} the unit goes straight to that waiter
     * and the caller yields so it runs at once (a starving Mutex's hand-off).
     */
    public void release(boolean handoff) {
        value.incrementAndGet();
        if (nwait.get() == 0) {
            return;
        }
        lock.lock();
        if (nwait.get() == 0) {
            lock.unlock();
            return;
        }
        Sudog s = dequeue();
        if (s != null) {
            nwait.decrementAndGet();
        }
        lock.unlock();
        if (s == null) {
            return;
        }
        if (s.ticket != 0) {
            throw new IllegalStateException("corrupted semaphore ticket");
        }
        if (handoff && tryAcquire()) {
            s.ticket = 1;
        }
        Park.goready(s.g);
        if (s.ticket == 1) {
            Park.goyield();
        }
    }

    /** Takes one unit if one is available now, without waiting (Go's cansemacquire). */
    public boolean tryAcquire() {
        while (true) {
            int v = value.get();
            if (v == 0) {
                return false;
            }
            if (value.compareAndSet(v, v - 1)) {
                return true;
            }
        }
    }

    private void enqueue(Sudog s, boolean lifo) {
        s.c = this;
        s.ticket = 0;
        s.next = null;
        s.prev = null;
        if (head == null) {
            head = s;
            tail = s;
        } else if (lifo) {
            s.next = head;
            head.prev = s;
            head = s;
        } else {
            s.prev = tail;
            tail.next = s;
            tail = s;
        }
    }

    private Sudog dequeue() {
        Sudog s = head;
        if (s == null) {
            return null;
        }
        head = s.next;
        if (head == null) {
            tail = null;
        } else {
            head.prev = null;
        }
        s.next = null;
        s.prev = null;
        return s;
    }

    private static boolean parkCommit(G gp, Sema sema) {
        sema.lock.unlock();
        return true;
    }
}
