package golab.runtime.sched;

/**
 * The global run queue: Go's {@code sched.runq} and {@code sched.runqsize}, a FIFO linked through
 * {@link G#schedlink} and protected by the scheduler lock. {@link #size} may be read without the lock as a
 * hint, as Go reads {@code sched.runqsize}.
 */
final class GlobalRunQueue {

    private final RuntimeLock schedLock;
    private G head;
    private G tail;
    private volatile int size;

    GlobalRunQueue(RuntimeLock schedLock) {
        this.schedLock = schedLock;
    }

    /** Racy hint of the queue length; exact under the scheduler lock. */
    int size() {
        return size;
    }

    /** Appends one G (globrunqput). Caller holds the scheduler lock. */
    void put(G gp) {
        assert schedLock.isLocked();
        gp.schedlink = null;
        if (tail == null) {
            head = gp;
        } else {
            tail.schedlink = gp;
        }
        tail = gp;
        size++;
    }

    /** Prepends one G (globrunqputhead), used for a destroyed P's Gs. Caller holds the scheduler lock. */
    void putHead(G gp) {
        assert schedLock.isLocked();
        gp.schedlink = head;
        head = gp;
        if (tail == null) {
            tail = gp;
        }
        size++;
    }

    /** Appends a batch in order (globrunqputbatch, from a full local queue). Takes the scheduler lock. */
    void putBatch(G[] batch) {
        schedLock.lock();
        try {
            for (G gp : batch) {
                put(gp);
            }
        } finally {
            schedLock.unlock();
        }
    }

    /**
     * Takes a fair share of the queue for {@code pp}: returns one G and moves up to {@code n - 1} more onto
     * its local queue, with {@code n = min(size / gomaxprocs + 1, size, max if > 0, 128)} (globrunqget).
     * Caller holds the scheduler lock.
     */
    G get(P pp, int max, int gomaxprocs) {
        assert schedLock.isLocked();
        if (size == 0) {
            return null;
        }
        int n = size / gomaxprocs + 1;
        n = Math.min(n, size);
        if (max > 0) {
            n = Math.min(n, max);
        }
        n = Math.min(n, RunQueue.SIZE / 2);
        size -= n;
        G gp = pop();
        for (int i = 1; i < n; i++) {
            pp.runq.put(pop(), false);
        }
        return gp;
    }

    private G pop() {
        G gp = head;
        head = gp.schedlink;
        if (head == null) {
            tail = null;
        }
        gp.schedlink = null;
        return gp;
    }
}
