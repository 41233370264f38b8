package golab.runtime.sched;

import java.util.Arrays;

/**
 * A P's timer heap: Go's per-P {@code timers} (time.go, Go 1.14+), a 4-ary min-heap on {@link Timer#when}
 * under its own lock. {@link #earliest} mirrors the root without the lock so that other Ms (stealing,
 * going idle, sysmon) can learn when the next timer is due cheaply, as Go's {@code timer0When}.
 *
 * <p>Timers run on whichever M checks the heap first after they are due: the owner in {@code findRunnable},
 * a thief in its last stealing round, or an M woken from its timed sleep.
 */
public final class Timers {

    private final RuntimeLock lock = new RuntimeLock();
    private Timer[] heap = new Timer[8];
    private int size;
    /** The earliest {@code when} in the heap, 0 if empty (Go's timer0When). */
    private volatile long earliest;

    /** The earliest due time, or 0 when there is no timer. Lock-free. */
    public long earliest() {
        return earliest;
    }

    /** Number of timers in the heap (racy; schedtrace's timerslen). */
    public int size() {
        return size;
    }

    /** Adds {@code t} to fire at {@code when}. The caller then wakes the timed sleeper if this is earlier. */
    public void add(Timer t, long when) {
        lock.lock();
        try {
            if (t.heapIndex >= 0) {
                throw new IllegalStateException("timer already in a heap");
            }
            t.when = when;
            t.heap = this;
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
            }
            heap[size] = t;
            t.heapIndex = size;
            siftUp(size++);
            earliest = heap[0].when;
        } finally {
            lock.unlock();
        }
    }

    /** Removes {@code t} if it is still in this heap; returns whether it was (so it had not fired). */
    public boolean remove(Timer t) {
        lock.lock();
        try {
            int i = t.heapIndex;
            if (i < 0 || t.heap != this) {
                return false;
            }
            removeAt(i);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs every timer due at {@code now}, dropping the lock around each {@link Timer#fire} so the function
     * may take the scheduler lock; returns how many ran.
     */
    int run(long now) {
        if (earliest == 0 || now < earliest) {
            return 0;
        }
        int ran = 0;
        lock.lock();
        try {
            while (size > 0 && heap[0].when <= now) {
                Timer t = heap[0];
                if (t.period > 0) {
                    // Re-arm before running, skipping the periods already missed (runOneTimer).
                    t.when += t.period * (1 + (now - t.when) / t.period);
                    siftDown(0);
                    earliest = heap[0].when;
                } else {
                    removeAt(0);
                }
                lock.unlock();
                try {
                    t.fire(now);
                } finally {
                    lock.lock();
                }
                ran++;
            }
        } finally {
            lock.unlock();
        }
        return ran;
    }

    /** Moves every timer of this heap into {@code to} (a P being destroyed, world stopped). */
    void moveTo(Timers to) {
        lock.lock();
        try {
            while (size > 0) {
                Timer t = heap[size - 1];
                removeAt(size - 1);
                to.add(t, t.when);
            }
        } finally {
            lock.unlock();
        }
    }

    private void removeAt(int i) {
        Timer removed = heap[i];
        removed.heapIndex = -1;
        removed.heap = null;
        int last = --size;
        if (i != last) {
            heap[i] = heap[last];
            heap[i].heapIndex = i;
            heap[last] = null;
            siftDown(i);
            siftUp(i);
        } else {
            heap[last] = null;
        }
        earliest = size == 0 ? 0 : heap[0].when;
    }

    private void siftUp(int i) {
        Timer t = heap[i];
        while (i > 0) {
            int parent = (i - 1) / 4;
            if (heap[parent].when <= t.when) {
                break;
            }
            place(heap[parent], i);
            i = parent;
        }
        place(t, i);
    }

    private void siftDown(int i) {
        Timer t = heap[i];
        while (true) {
            int first = 4 * i + 1;
            if (first >= size) {
                break;
            }
            int min = first;
            for (int c = first + 1; c < Math.min(first + 4, size); c++) {
                if (heap[c].when < heap[min].when) {
                    min = c;
                }
            }
            if (heap[min].when >= t.when) {
                break;
            }
            place(heap[min], i);
            i = min;
        }
        place(t, i);
    }

    private void place(Timer t, int i) {
        heap[i] = t;
        t.heapIndex = i;
    }
}
