package golab.runtime.heap;

/**
 * A P's cache of free small stacks: Go's {@code mcache.stackcache} (one {@code stackfreelist} per order).
 * {@link StackAlloc} refills an empty order from the global pool up to 16 KiB and, when a free finds 32 KiB
 * cached, releases it down to 16 KiB, so stacks move to and from the pool in batches under one lock.
 *
 * <p>Ownership: used only by the M holding the P, so nothing here is synchronised. Invariant: each order's
 * entries are the {@code lo} of free stacks of that order, and the cached bytes of an order never exceed
 * {@link StackAlloc#STACK_CACHE_SIZE}.
 */
public final class StackCache {

    final long[][] list = new long[StackAlloc.NUM_STACK_ORDERS][];
    final int[] count = new int[StackAlloc.NUM_STACK_ORDERS];
    /** This P's maxStackScan change not yet added to the shared counter (Go's p.maxStackScanDelta). */
    long scannableDelta;

    StackCache() {
        for (int order = 0; order < list.length; order++) {
            list[order] = new long[StackAlloc.STACK_CACHE_SIZE / StackAlloc.orderSize(order)];
        }
    }

    /** Bytes of free stacks of {@code order} cached (Go's stackcache[order].size). */
    long size(int order) {
        return (long) count[order] * StackAlloc.orderSize(order);
    }

    /** The most recently cached stack of {@code order}, or 0 when there is none. */
    long pop(int order) {
        return count[order] == 0 ? 0 : list[order][--count[order]];
    }

    void push(int order, long lo) {
        list[order][count[order]++] = lo;
    }
}
