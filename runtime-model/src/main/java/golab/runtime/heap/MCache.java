package golab.runtime.heap;

import java.util.Arrays;

/**
 * A P's allocation cache: Go's {@code mcache} (mcache.go). It holds one span per span class to allocate
 * from without locks, the tiny allocator's current 16-byte block, and counts that it flushes to
 * {@link HeapStats} when it gives spans back.
 *
 * <p>Ownership: an mcache belongs to one P and is used only by the M running that P, so nothing here is
 * synchronised; spans move to and from the shared {@link MCentral}s under their locks.
 *
 * <p>Invariants: {@code alloc[spc]} is {@link Span#EMPTY} or a span of class spc with {@code sweepgen ==
 * heap.sweepgen + 3} (cached and swept); {@code tiny} is 0 or the address of a 16-byte block of which
 * {@code tinyoffset} bytes are used.
 */
public final class MCache {

    final MHeap heap;
    /** One span per span class to allocate from (Go's alloc [numSpanClasses]*mspan). */
    final Span[] alloc = new Span[SpanClass.NUM_SPAN_CLASSES];
    /** The current tiny block, or 0. */
    long tiny;
    /** Bytes used of the tiny block. */
    long tinyoffset;
    /** Tiny objects packed since the last flush. */
    long tinyAllocs;
    /** Scannable bytes allocated since the last report to the pacer (Go's scanAlloc). */
    long scanAlloc;
    /** Bytes allocated black during the current mark phase (Go's gcmarknewobject adds them to gcw.bytesMarked). */
    long bytesAllocatedBlack;
    /** A span was taken from the heap since the last look: the caller should test the GC trigger (shouldhelpgc). */
    boolean needGCCheck;

    MCache(MHeap heap) {
        this.heap = heap;
        Arrays.fill(alloc, Span.EMPTY);
    }

    /**
     * Go's mcache.nextFree: the address of a free slot of span class {@code spc}, refilling the cached span
     * from its mcentral when it is full. Afterwards {@code alloc[spc]} is the span the slot is in.
     */
    long nextFree(int spc) {
        Span s = alloc[spc];
        int freeIndex = s.nextFreeIndex();
        if (freeIndex == s.nelems) {
            if (s.allocCount != s.nelems) {
                throw new IllegalStateException("s.allocCount=" + s.allocCount + " != s.nelems=" + s.nelems
                        + " with no free index in " + s);
            }
            refill(spc);
            s = alloc[spc];
            freeIndex = s.nextFreeIndex();
        }
        if (freeIndex >= s.nelems) {
            throw new IllegalStateException("freeIndex " + freeIndex + " is not valid in " + s);
        }
        s.allocCount++;
        return s.startAddr + freeIndex * s.elemsize;
    }

    /**
     * Go's mcache.refill: gives the full cached span of class {@code spc} back to its mcentral (flushing its
     * counts) and caches a span with free slots in its place.
     */
    void refill(int spc) {
        Span s = alloc[spc];
        if (s.allocCount != s.nelems) {
            throw new IllegalStateException("refill of span with free space remaining: " + s);
        }
        if (s != Span.EMPTY) {
            if (s.sweepgen != heap.sweepgen + 3) {
                throw new IllegalStateException("bad sweepgen in refill: " + s.sweepgen + ", heap " + heap.sweepgen);
            }
            flush(spc, s);
            if (spc == SpanClass.TINY_SPAN_CLASS) {
                heap.stats().addTinyAllocs(tinyAllocs);
                tinyAllocs = 0;
            }
        }
        s = heap.central(spc).cacheSpan();
        if (s.allocCount == s.nelems) {
            throw new IllegalStateException("span has no free space: " + s);
        }
        s.sweepgen = heap.sweepgen + 3;
        s.allocCountBeforeCache = s.allocCount;
        alloc[spc] = s;
        // Assume every free slot will be allocated; releaseAll undoes it for the ones that are not.
        heap.gcController.update((long) s.npages * SizeClasses.PAGE_SIZE - (long) s.allocCount * s.elemsize, scanAlloc);
        scanAlloc = 0;
        needGCCheck = true;
    }

    /**
     * Go's mcache.allocLarge: a span of its own, ceil(size/8192) pages, for a large object; counted at
     * once as a large allocation.
     */
    Span allocLarge(long size, boolean noscan) {
        long npages = SizeClasses.pagesFor(size);
        long reserved = heap.arena().size();
        if (npages > reserved / SizeClasses.PAGE_SIZE) {
            throw new ArenaExhaustedException(size, reserved - heap.arena().mapped(), reserved);
        }
        heap.sweeper.deductSweepCredit(npages * SizeClasses.PAGE_SIZE);
        long bytes = npages * SizeClasses.PAGE_SIZE;
        Span s = heap.alloc((int) npages, SpanClass.make(0, noscan), bytes, 1);
        heap.stats().addLargeAlloc(bytes);
        heap.central(s.spanclass).file(s); // full and swept: the sweeper finds it next cycle
        heap.gcController.update(bytes, scanAlloc);
        scanAlloc = 0;
        needGCCheck = true;
        return s;
    }

    /**
     * Go's mcache.releaseAll: flushes the counts and returns every cached span to its mcentral, and drops
     * the tiny block (the GC does this at each cycle, and a P does it when it is destroyed). The mcache can
     * be used again afterwards.
     */
    public void releaseAll() {
        long dHeapLive = 0;
        int sg = heap.sweepgen;
        for (int spc = 0; spc < alloc.length; spc++) {
            Span s = alloc[spc];
            if (s != Span.EMPTY) {
                if (s.sweepgen != sg + 1) {
                    dHeapLive -= (long) (s.nelems - s.allocCount) * s.elemsize; // refill counted them as allocated
                }
                flush(spc, s);
                alloc[spc] = Span.EMPTY;
            }
        }
        heap.gcController.update(dHeapLive, scanAlloc);
        scanAlloc = 0;
        tiny = 0;
        tinyoffset = 0;
        heap.stats().addTinyAllocs(tinyAllocs);
        tinyAllocs = 0;
    }

    /** Takes the bytes allocated black since the last call (the collector sums them into bytesMarked). */
    public long takeBytesAllocatedBlack() {
        long b = bytesAllocatedBlack;
        bytesAllocatedBlack = 0;
        return b;
    }

    /** Whether a span was taken from the heap since the last call: the GC trigger is worth testing. */
    public boolean takeNeedGCCheck() {
        boolean b = needGCCheck;
        needGCCheck = false;
        return b;
    }

    /** The current tiny block, or 0 (the collector marks it at the start of each cycle: gcMarkTinyAllocs). */
    public long tinyBlock() {
        return tiny;
    }

    /** Counts the slots used from {@code s} since it was cached and hands it back to its mcentral. */
    private void flush(int spc, Span s) {
        heap.stats().addSmallAllocs(SpanClass.sizeclass(spc), s.allocCount - s.allocCountBeforeCache);
        s.allocCountBeforeCache = 0;
        heap.central(spc).uncacheSpan(s);
    }
}
