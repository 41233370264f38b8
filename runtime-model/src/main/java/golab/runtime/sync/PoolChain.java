package golab.runtime.sync;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A growable lock-free deque: Go's {@code poolChain}, a doubly-linked list of {@link PoolDequeue}s, each
 * twice the size of the previous one. The producer pushes and pops at the newest ring ({@link #head},
 * its own); consumers pop at the oldest ({@link #tail}) and unlink it once it is drained so it can be
 * collected.
 */
final class PoolChain {

    private static final int FIRST_SIZE = 8;

    /** A ring with its neighbours in the chain. */
    static final class Link extends PoolDequeue {
        final AtomicReference<Link> next = new AtomicReference<>();
        final AtomicReference<Link> prev = new AtomicReference<>();

        Link(int size) {
            super(size);
        }
    }

    /** Producer only. */
    private Link head;
    private final AtomicReference<Link> tail = new AtomicReference<>();

    /** Calls {@code action} for every value in the chain, read racily (for the GC's root scan). */
    void forEach(java.util.function.Consumer<Object> action) {
        for (Link d = tail.get(); d != null; d = d.next.get()) {
            d.forEach(action);
        }
    }

    /** Producer only: adds {@code val}, growing the chain if the newest ring is full. */
    void pushHead(Object val) {
        Link d = head;
        if (d == null) {
            d = new Link(FIRST_SIZE);
            head = d;
            tail.set(d);
        }
        if (d.pushHead(val)) {
            return;
        }
        int size = Math.min(d.capacity() * 2, PoolDequeue.DEQUEUE_LIMIT);
        Link d2 = new Link(size);
        d2.prev.set(d);
        d.next.set(d2);
        head = d2;
        d2.pushHead(val);
    }

    /** Producer only: the newest value, or null. */
    Object popHead() {
        for (Link d = head; d != null; d = d.prev.get()) {
            Object val = d.popHead();
            if (val != null) {
                return val;
            }
        }
        return null;
    }

    /** Any thread: the oldest value, or null. */
    Object popTail() {
        Link d = tail.get();
        if (d == null) {
            return null;
        }
        while (true) {
            // Read next before popping: if d is empty and next was null, nothing newer existed then either.
            Link d2 = d.next.get();
            Object val = d.popTail();
            if (val != null) {
                return val;
            }
            if (d2 == null) {
                return null;
            }
            // d is drained and a newer ring exists: drop d so it can be collected (only one thief wins).
            if (tail.compareAndSet(d, d2)) {
                d2.prev.set(null);
            }
            d = d2;
        }
    }
}
