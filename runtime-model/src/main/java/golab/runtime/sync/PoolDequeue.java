package golab.runtime.sync;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A fixed-size lock-free ring: Go's {@code poolDequeue} (sync/poolqueue.go). One producer pushes and pops at
 * the head; any number of consumers pop at the tail.
 *
 * <p>{@code headTail} packs two 32-bit indices, {@code head << 32 | tail}, so both ends are claimed by CAS
 * on one word; it is empty when they are equal and full when {@code tail + size == head}. A slot is in use
 * while non-null: {@link #popTail} claims a slot by CAS, then clears it with a release store, and
 * {@link #pushHead} refuses a slot a tail pop has claimed but not yet cleared.
 */
class PoolDequeue {

    private static final int DEQUEUE_BITS = 32;
    /** Largest ring, so that head and tail cannot wrap into each other (dequeueLimit). */
    static final int DEQUEUE_LIMIT = 1 << 30;

    private final AtomicLong headTail = new AtomicLong();
    private final AtomicReferenceArray<Object> vals;

    /** A ring of {@code size} slots, a power of two. */
    PoolDequeue(int size) {
        if (Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("poolDequeue size must be a power of two: " + size);
        }
        vals = new AtomicReferenceArray<>(size);
    }

    /** Calls {@code action} for every non-null slot, read racily (for the GC's root scan). */
    final void forEach(java.util.function.Consumer<Object> action) {
        for (int i = 0; i < vals.length(); i++) {
            Object v = vals.get(i);
            if (v != null) {
                action.accept(v);
            }
        }
    }

    final int capacity() {
        return vals.length();
    }

    private static int head(long ptrs) {
        return (int) (ptrs >>> DEQUEUE_BITS);
    }

    private static int tail(long ptrs) {
        return (int) ptrs;
    }

    private static long pack(int head, int tail) {
        return ((long) head << DEQUEUE_BITS) | (tail & 0xFFFF_FFFFL);
    }

    /** Producer only: adds {@code val} at the head; false if the ring is full. */
    final boolean pushHead(Object val) {
        long ptrs = headTail.get();
        int head = head(ptrs);
        int tail = tail(ptrs);
        if (tail + vals.length() == head) {
            return false;
        }
        int slot = head & (vals.length() - 1);
        if (vals.getAcquire(slot) != null) {
            return false; // a popTail still owns this slot
        }
        vals.setPlain(slot, val);
        headTail.addAndGet(1L << DEQUEUE_BITS); // publishes the slot
        return true;
    }

    /** Producer only: removes the newest value, or null if empty. */
    final Object popHead() {
        int slot;
        while (true) {
            long ptrs = headTail.get();
            int head = head(ptrs);
            int tail = tail(ptrs);
            if (head == tail) {
                return null;
            }
            head--;
            if (headTail.compareAndSet(ptrs, pack(head, tail))) {
                slot = head & (vals.length() - 1);
                break;
            }
        }
        Object val = vals.getPlain(slot);
        vals.setPlain(slot, null); // the producer owns the head end: no race
        return val;
    }

    /** Any thread: removes the oldest value, or null if empty. */
    final Object popTail() {
        int slot;
        while (true) {
            long ptrs = headTail.get();
            int head = head(ptrs);
            int tail = tail(ptrs);
            if (head == tail) {
                return null;
            }
            if (headTail.compareAndSet(ptrs, pack(head, tail + 1))) {
                slot = tail & (vals.length() - 1);
                break;
            }
        }
        Object val = vals.getAcquire(slot);
        vals.setRelease(slot, null); // tells pushHead the slot is free again
        return val;
    }
}
