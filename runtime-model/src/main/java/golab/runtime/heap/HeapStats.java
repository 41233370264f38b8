package golab.runtime.heap;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The allocator's cumulative counters, named after the runtime/metrics they feed: Go's
 * {@code consistentHeapStats} (mstats.go) as read by metrics.go's {@code heapStatsAggregate}.
 *
 * <p>As in Go, small allocations are not counted one by one: an mcache flushes the slots it used from a
 * span when it gives the span back (refill, releaseAll), so these counters lag by what the mcaches hold.
 * Large allocations and frees are counted at once. Tiny objects are counted by the mcache and flushed
 * likewise; the 16-byte blocks they are packed in count as ordinary class-2 objects.
 *
 * <p>Frees are counted by the sweeper, span by span, so objects that died but are not yet swept still
 * count in /memory/classes/heap/objects:bytes, as in Go.
 */
public final class HeapStats {

    private final AtomicLongArray smallAllocCount = new AtomicLongArray(SizeClasses.NUM_SIZE_CLASSES);
    private final AtomicLong largeAlloc = new AtomicLong();
    private final AtomicLong largeAllocCount = new AtomicLong();
    private final AtomicLong largeFree = new AtomicLong();
    private final AtomicLong tinyAllocCount = new AtomicLong();
    private final AtomicLongArray smallFreeCount = new AtomicLongArray(SizeClasses.NUM_SIZE_CLASSES);
    private final AtomicLong largeFreeCount = new AtomicLong();

    void addSmallAllocs(int sizeclass, long objects) {
        smallAllocCount.addAndGet(sizeclass, objects);
    }

    void addLargeAlloc(long bytes) {
        largeAlloc.addAndGet(bytes);
        largeAllocCount.incrementAndGet();
    }

    void addLargeFree(long bytes) {
        largeFree.addAndGet(bytes);
        largeFreeCount.incrementAndGet();
    }

    void addSmallFrees(int sizeclass, long objects) {
        smallFreeCount.addAndGet(sizeclass, objects);
    }

    /** /gc/heap/frees:bytes — cumulative bytes of heap objects freed by the sweeper (whole slots). */
    public long freesBytes() {
        long total = largeFree.get();
        for (int c = 1; c < SizeClasses.NUM_SIZE_CLASSES; c++) {
            total += smallFreeCount.get(c) * SizeClasses.classToSize(c);
        }
        return total;
    }

    /** /gc/heap/frees:objects — cumulative heap objects freed by the sweeper. */
    public long freesObjects() {
        long total = largeFreeCount.get();
        for (int c = 1; c < SizeClasses.NUM_SIZE_CLASSES; c++) {
            total += smallFreeCount.get(c);
        }
        return total;
    }

    void addTinyAllocs(long objects) {
        tinyAllocCount.addAndGet(objects);
    }

    /** /gc/heap/allocs:bytes — cumulative bytes of heap objects allocated (whole slots, tiny blocks included). */
    public long allocsBytes() {
        long total = largeAlloc.get();
        for (int c = 1; c < SizeClasses.NUM_SIZE_CLASSES; c++) {
            total += smallAllocCount.get(c) * SizeClasses.classToSize(c);
        }
        return total;
    }

    /** /gc/heap/allocs:objects — cumulative heap objects allocated, each tiny block counted once. */
    public long allocsObjects() {
        long total = largeAllocCount.get();
        for (int c = 1; c < SizeClasses.NUM_SIZE_CLASSES; c++) {
            total += smallAllocCount.get(c);
        }
        return total;
    }

    /** /gc/heap/tiny/allocs:objects — cumulative tiny objects packed into tiny blocks by mcaches. */
    public long tinyAllocsObjects() {
        return tinyAllocCount.get();
    }

    /** /memory/classes/heap/objects:bytes — bytes of allocated objects not yet freed. */
    public long objectsBytes() {
        return allocsBytes() - freesBytes();
    }
}
