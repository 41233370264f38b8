package golab.runtime.heap;

/**
 * The hook every pointer store into the heap goes through: Go's write barrier ({@code gcWriteBarrier},
 * mbarrier.go, mwbbuf.go). Go 1.8+'s hybrid barrier shades the pointer being overwritten (Yuasa deletion) and,
 * while the current stack is grey, the pointer being written (Dijkstra insertion), so it needs the slot, the
 * old value and the new value; the collector implements it and installs it on the {@link MHeap} when marking
 * starts.
 *
 * <p>The hook runs on the storing goroutine before the store, with no lock held, and must neither park nor
 * allocate from the heap (Go's barrier is nosplit and may not be preempted).
 */
@FunctionalInterface
public interface WriteBarrier {

    /** The barrier while the GC is off (Go's {@code writeBarrier.enabled == false}): does nothing. */
    WriteBarrier NONE = (slot, old, ptr) -> {
    };

    /** Called before {@code ptr} replaces {@code old} in the pointer slot at address {@code slot}. */
    void writePointer(long slot, long old, long ptr);
}
