package golab.runtime.heap;

import golab.runtime.sched.RuntimeLock;

/**
 * The model's heap: Go's {@code mheap} (mheap.go). It owns the {@link Arena}, the {@link PageAlloc} under
 * the heap lock, one {@link MCentral} per span class, the span map (page → span, Go's
 * {@code heapArena.spans}) and the allocation counters ({@link HeapStats}). Objects are allocated through
 * {@link Malloc#mallocgc} with a P's {@link MCache}.
 *
 * <p>Zeroing follows Go's {@code allocNeedsZero}: memory above the arena's high-water mark
 * ({@code zeroedBase}) has never been handed out and is known to be zero; a span below it is marked
 * {@code needzero} and its objects are cleared as they are allocated.
 *
 * <p>Invariants: every page of an in-use span maps to that span in the span map, and only those pages map
 * to it; the span map is written under the heap lock; {@link #sweepgen} only grows, by 2 per GC cycle
 * (the GC will advance it).
 */
public final class MHeap implements AutoCloseable {

    private final Arena arena;
    private final PageAlloc pages;
    private final RuntimeLock lock = new RuntimeLock();
    private final MCentral[] central = new MCentral[SpanClass.NUM_SPAN_CLASSES];
    /** Per 4 MiB chunk, the span of each of its 512 pages (null = not in use); created as chunks are used. */
    private final Span[][] spans;
    private final HeapStats stats = new HeapStats();
    /** Go's zerobase: the address every zero-byte allocation returns (outside the heap, like Go's). */
    private final long zerobase;
    /** Offset from the arena base below which memory may be dirty; guarded by the heap lock. */
    private long zeroedBase;
    /** Go's mheap.sweepgen. */
    volatile int sweepgen;

    /** A heap in a fresh arena of {@code maxBytes} (rounded up to 4 MiB) of reserved address space. */
    public MHeap(long maxBytes) {
        this.arena = Arena.reserve(maxBytes);
        this.pages = new PageAlloc(arena);
        this.spans = new Span[Math.toIntExact(arena.size() / Arena.CHUNK_BYTES)][];
        for (int spc = 0; spc < central.length; spc++) {
            central[spc] = new MCentral(spc, this);
        }
        this.zerobase = java.lang.foreign.Arena.global().allocate(8, 8).address();
    }

    /** A new, empty mcache for a P (Go's allocmcache). */
    public MCache newMCache() {
        return new MCache(this);
    }

    /**
     * Go's mheap.alloc/allocSpan: a span of {@code npages} fresh pages cut into {@code nelems} slots of
     * {@code elemsize} bytes, registered in the span map.
     */
    Span alloc(int npages, int spanclass, long elemsize, int nelems) {
        lock.lock();
        try {
            long base = pages.alloc(npages);
            long offset = base - arena.base();
            Span s = new Span(base, npages, spanclass, elemsize, nelems);
            s.needzero = offset < zeroedBase;
            zeroedBase = Math.max(zeroedBase, offset + (long) npages * SizeClasses.PAGE_SIZE);
            s.sweepgen = sweepgen;
            setSpans(base, npages, s);
            return s;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Go's mheap.freeSpan: returns a span's pages to the page allocator. A large object's span is counted
     * as a freed object; a small-object span may be freed only when it holds no objects.
     */
    public void freeSpan(Span s) {
        if (SpanClass.sizeclass(s.spanclass) == 0) {
            stats.addLargeFree(s.elemsize);
        } else if (s.allocCount != 0) {
            throw new IllegalStateException("freeSpan of " + s + " with live objects");
        }
        lock.lock();
        try {
            setSpans(s.startAddr, s.npages, null);
            pages.free(s.startAddr, s.npages);
        } finally {
            lock.unlock();
        }
    }

    /** Go's spanOf: the in-use span holding {@code addr}, or null. */
    public Span spanOf(long addr) {
        if (!arena.contains(addr, 1)) {
            return null;
        }
        long page = (addr - arena.base()) / SizeClasses.PAGE_SIZE;
        Span[] chunk = spans[(int) (page / PageAlloc.CHUNK_PAGES)];
        return chunk == null ? null : chunk[(int) (page % PageAlloc.CHUNK_PAGES)];
    }

    /** Points the span map's entries for the pages at {@code s}; caller holds the heap lock. */
    private void setSpans(long base, int npages, Span s) {
        long first = (base - arena.base()) / SizeClasses.PAGE_SIZE;
        for (long p = first; p < first + npages; p++) {
            int c = (int) (p / PageAlloc.CHUNK_PAGES);
            Span[] chunk = spans[c];
            if (chunk == null) {
                chunk = spans[c] = new Span[PageAlloc.CHUNK_PAGES];
            }
            chunk[(int) (p % PageAlloc.CHUNK_PAGES)] = s;
        }
    }

    /** Releases at least {@code bytes} of free backed pages to the OS, highest first; returns the bytes released. */
    public long scavenge(long bytes) {
        lock.lock();
        try {
            return pages.scavenge(bytes);
        } finally {
            lock.unlock();
        }
    }

    MCentral central(int spanclass) {
        return central[spanclass];
    }

    /** The address zero-byte allocations share (Go's zerobase). */
    public long zerobase() {
        return zerobase;
    }

    /** The arena holding the heap's memory (read and write objects through it). */
    public Arena arena() {
        return arena;
    }

    /** Bytes of the heap grown so far (in use + free + released). */
    public long mappedBytes() {
        return pages.mappedBytes();
    }

    /** Bytes of pages in use by spans (Go's heapInUse). */
    public long inUseBytes() {
        return pages.inUseBytes();
    }

    /** /memory/classes/heap/free:bytes — free pages still backed by memory. */
    public long freeBytes() {
        return pages.freeBytes();
    }

    /** /memory/classes/heap/released:bytes — free pages returned to the OS. */
    public long releasedBytes() {
        return pages.releasedBytes();
    }

    /** The allocation counters. */
    public HeapStats stats() {
        return stats;
    }

    /** Unmaps the arena; the heap and its mcaches must not be used afterwards. */
    @Override
    public void close() {
        arena.close();
    }
}
