package golab.runtime.gc;

import golab.runtime.sched.RuntimeLock;
import java.util.ArrayDeque;

/**
 * The collector's shared work: Go's {@code work.full} and {@code work.empty} (mgc.go), the lists through
 * which Ps hand each other grey objects. Go keeps them in lock-free stacks; here they are two deques under
 * one short lock, never held while anything else is taken.
 *
 * <p>Invariant: {@link #fullCount} equals the size of the full list whenever the lock is free, so
 * {@link #hasFull} can be read without it.
 */
final class WorkLists {

    private final RuntimeLock lock = new RuntimeLock();
    private final ArrayDeque<Workbuf> full = new ArrayDeque<>();
    private final ArrayDeque<Workbuf> empty = new ArrayDeque<>();
    private volatile int fullCount;

    /** Whether some P has published grey objects (Go: work.full != 0). */
    boolean hasFull() {
        return fullCount > 0;
    }

    void putFull(Workbuf b) {
        lock.lock();
        try {
            full.push(b);
            fullCount = full.size();
        } finally {
            lock.unlock();
        }
    }

    /** A non-empty buffer, or null. */
    Workbuf tryGetFull() {
        if (fullCount == 0) {
            return null;
        }
        lock.lock();
        try {
            Workbuf b = full.poll();
            fullCount = full.size();
            return b;
        } finally {
            lock.unlock();
        }
    }

    /** An empty buffer, recycled or new (Go's getempty). */
    Workbuf getEmpty() {
        lock.lock();
        try {
            Workbuf b = empty.poll();
            if (b != null) {
                return b;
            }
        } finally {
            lock.unlock();
        }
        return new Workbuf();
    }

    void putEmpty(Workbuf b) {
        b.nobj = 0;
        lock.lock();
        try {
            empty.push(b);
        } finally {
            lock.unlock();
        }
    }
}
