package golab.runtime.heap;

/**
 * A 32 KiB manual span cut into stacks of one order: Go's {@code mspan} in the role stack.go gives it in
 * {@code stackpool} ({@code manualFreeList} and {@code allocCount}). The free stacks are a bitmap rather than
 * a list threaded through the free memory: bit i set = the i-th stack from {@link #base} is free.
 *
 * <p>Guarded by the {@link StackAlloc}'s pool lock. Invariant: the span is on its order's pool list exactly
 * while it has a free stack and is not entirely free (an entirely free span goes back to the heap).
 */
final class StackSpan {

    final long base;
    final int order;
    /** Stacks in the span: 16, 8, 4 or 2. */
    final int nelems;
    int freeMask;
    StackSpan next;
    StackSpan prev;

    StackSpan(long base, int order) {
        this.base = base;
        this.order = order;
        this.nelems = StackAlloc.STACK_CACHE_SIZE / StackAlloc.orderSize(order);
        this.freeMask = (1 << nelems) - 1;
    }

    /** Takes the lowest free stack; the span has one. */
    long take() {
        int i = Integer.numberOfTrailingZeros(freeMask);
        freeMask &= ~(1 << i);
        return base + (long) i * StackAlloc.orderSize(order);
    }

    /** Gives back the stack at {@code lo}, which must be allocated from this span. */
    void put(long lo) {
        int i = (int) ((lo - base) / StackAlloc.orderSize(order));
        if ((freeMask & (1 << i)) != 0) {
            throw new IllegalStateException("stackfree: stack 0x" + Long.toHexString(lo) + " is already free");
        }
        freeMask |= 1 << i;
    }

    boolean hasFree() {
        return freeMask != 0;
    }

    boolean allFree() {
        return freeMask == (1 << nelems) - 1;
    }
}
