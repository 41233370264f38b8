package golab.runtime.heap;

import golab.runtime.sched.RuntimeLock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;

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
 * <p>Objects are read and written through {@link #access()} (checked loads and stores; every pointer store
 * calls the installed {@link WriteBarrier}); {@link #findObject} answers the GC's question "what object, of
 * which type, holds this address"; {@link #globals()} lists the run's root objects.
 *
 * <p>Debug mode ({@link #debug(boolean)}, off by default; tests and investigations switch it on for a heap
 * before using it): a freed span's memory is filled with {@link #POISON} and the span is remembered until its
 * pages are reused, and every access additionally checks that the slot is allocated and that pointers
 * loaded or stored point to allocated objects. A pointer that outlived its object (one not held in a root
 * across a safepoint) then fails with an error naming the address, the type and the field, instead of
 * reading poison or someone else's object.
 *
 * <p>Invariants: every page of an in-use span maps to that span in the span map, and only those pages map
 * to it; the span map is written under the heap lock; {@link #sweepgen} only grows, by 2 per GC cycle.
 */
public final class MHeap implements AutoCloseable {

    /** The pattern freed memory is filled with in debug mode (Go's clobberfree pattern, 0xdeadbeef). */
    public static final long POISON = 0xdeadbeef_deadbeefL;

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
    /** Go's mheap.sweepgen: grows by 2 per GC cycle ({@link #advanceSweepgen}). */
    volatile int sweepgen;
    /** Pages of in-use spans (Go's mheap.pagesInUse; manual pages such as stacks excluded). */
    private final java.util.concurrent.atomic.AtomicLong pagesInUse = new java.util.concurrent.atomic.AtomicLong();
    /** Sweeps spans after each cycle. */
    final Sweeper sweeper = new Sweeper(this);
    /** The pacer as the allocator sees it; {@link GcController#NONE} without a collector. */
    volatile GcController gcController = GcController.NONE;
    /** New objects are allocated marked (Go: gcphase != _GCoff, so gcmarknewobject runs). */
    volatile boolean allocBlack;
    private final HeapAccess access;
    /** The barrier every pointer store calls (Go's writeBarrier); {@link WriteBarrier#NONE} while the GC is off. */
    volatile WriteBarrier writeBarrier = WriteBarrier.NONE;
    /** The globals as an immutable list, replaced whole on registration (rare), so reading it copies nothing. */
    private volatile List<Global> globals = List.of();
    private final Object globalsLock = new Object();
    /** Whether debug checks and poisoning are on. */
    volatile boolean debug;
    /** Debug mode: freed spans by start address, until their pages are reused; for error messages. */
    private final ConcurrentSkipListMap<Long, Span> freedSpans = new ConcurrentSkipListMap<>();
    /** Go's spanalloc: freed spans to hand out again, linked by {@link Span#nextFree}; guarded by the heap lock. */
    private Span spanFree;
    /** Span objects this heap has made, in use or on {@link #spanFree}; guarded by the heap lock. */
    private long spanObjects;

    /** A heap in a fresh arena of {@code maxBytes} (rounded up to 4 MiB) of reserved address space. */
    public MHeap(long maxBytes) {
        this.arena = Arena.reserve(maxBytes);
        this.pages = new PageAlloc(arena);
        this.spans = new Span[Math.toIntExact(arena.size() / Arena.CHUNK_BYTES)][];
        for (int spc = 0; spc < central.length; spc++) {
            central[spc] = new MCentral(spc, this);
        }
        this.zerobase = java.lang.foreign.Arena.global().allocate(8, 8).address();
        this.access = new HeapAccess(this);
    }

    /** A new, empty mcache for a P (Go's allocmcache). */
    public MCache newMCache() {
        return new MCache(this);
    }

    /**
     * Go's mheap.alloc/allocSpan: a span of {@code npages} fresh pages cut into {@code nelems} slots of
     * {@code elemsize} bytes, registered in the span map. The span is one from the free list, re-initialised,
     * or a new one (Go's allocMSpanLocked). It is initialised before the span map publishes it, so a thread
     * that reaches it through a pointer to one of its objects sees its new shape.
     */
    Span alloc(int npages, int spanclass, long elemsize, int nelems) {
        lock.lock();
        try {
            long base = pages.alloc(npages);
            long offset = base - arena.base();
            Span s = spanFree;
            if (s != null) {
                spanFree = s.nextFree;
                s.nextFree = null;
                s.init(base, npages, spanclass, elemsize, nelems);
            } else {
                s = new Span(base, npages, spanclass, elemsize, nelems);
                spanObjects++;
            }
            s.needzero = offset < zeroedBase;
            zeroedBase = Math.max(zeroedBase, offset + (long) npages * SizeClasses.PAGE_SIZE);
            s.sweepgen = sweepgen;
            setSpans(base, npages, s);
            pagesInUse.addAndGet(npages);
            if (debug) {
                forgetFreed(base, (long) npages * SizeClasses.PAGE_SIZE);
            }
            return s;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Go's mheap.freeSpan: returns a span's pages to the page allocator and the span to the free list
     * (Go's freeMSpanLocked). A large object's span is counted as a freed object; a small-object span may be
     * freed only when it holds no objects. The caller must hold {@code s} alone (no mcache or mcentral set
     * has it) and not use it afterwards: another thread may at once allocate it as a different span. In debug
     * mode the pages are poisoned and the span is remembered for error messages instead of reused.
     */
    public void freeSpan(Span s) {
        if (SpanClass.sizeclass(s.spanclass) != 0 && s.allocCount != 0) {
            throw new IllegalStateException("freeSpan of " + s + " with live objects");
        }
        lock.lock();
        try {
            if (spanOf(s.startAddr) != s) { // Go's "mheap.freeSpanLocked - invalid free"
                throw new IllegalStateException("freeSpan of " + s + ", which is not in use");
            }
            if (SpanClass.sizeclass(s.spanclass) == 0) {
                stats.addLargeFree(s.elemsize);
            }
            setSpans(s.startAddr, s.npages, null);
            pagesInUse.addAndGet(-s.npages);
            if (debug) {
                arena.fill(s.startAddr, (long) s.npages * SizeClasses.PAGE_SIZE, POISON);
                freedSpans.put(s.startAddr, s);
            } else {
                s.nextFree = spanFree;
                spanFree = s;
            }
            pages.free(s.startAddr, s.npages);
        } finally {
            lock.unlock();
        }
    }

    /** Span objects made so far: those in use plus those on the free list. */
    long spanObjects() {
        lock.lock();
        try {
            return spanObjects;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Go's mheap.allocManual: {@code npages} fresh pages for memory the runtime manages itself (goroutine
     * stacks, see {@link StackAlloc}), not objects. No {@link Span} is made and the span map is not set, so
     * {@link #spanOf} of a manual page is null, as Go's spanOfHeap is for its mSpanManual spans. The memory
     * may be dirty. The pages count in {@link #inUseBytes}; Go keeps them out of heapInUse, so the stack
     * part of it is {@link StackAlloc#inUseBytes}.
     */
    public long allocManual(int npages) {
        lock.lock();
        try {
            long base = pages.alloc(npages);
            zeroedBase = Math.max(zeroedBase, base - arena.base() + (long) npages * SizeClasses.PAGE_SIZE);
            return base;
        } finally {
            lock.unlock();
        }
    }

    /** Go's mheap.freeManual: returns {@code npages} pages at {@code base} taken by {@link #allocManual}. */
    public void freeManual(long base, int npages) {
        lock.lock();
        try {
            pages.free(base, npages);
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

    /**
     * Go's findObject: the object holding {@code addr} — its base, span and slot — or null when {@code addr}
     * is in no in-use span or in the unused tail of one. The slot may be free; see {@link HeapObject#allocated}.
     */
    public HeapObject findObject(long addr) {
        Span s = spanOf(addr);
        if (s == null || addr >= s.limit) {
            return null;
        }
        int idx = s.objIndex(addr);
        return new HeapObject(s.startAddr + idx * s.elemsize, s, idx);
    }

    /** Debug mode: the freed span that held {@code addr}, if its pages have not been reused, else null. */
    Span freedSpanOf(long addr) {
        var e = freedSpans.floorEntry(addr);
        return e != null && addr < e.getKey() + (long) e.getValue().npages * SizeClasses.PAGE_SIZE ? e.getValue() : null;
    }

    /** Drops the freed spans overlapping {@code [base, base+bytes)}, whose pages a new span now uses. */
    private void forgetFreed(long base, long bytes) {
        Long first = freedSpans.floorKey(base);
        freedSpans.subMap(first == null ? base : first, true, base + bytes, false).clear();
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

    /** The sweeper of this heap. */
    public Sweeper sweeper() {
        return sweeper;
    }

    /** Installs the collector's pacer as the allocator sees it. */
    public void setGcController(GcController c) {
        this.gcController = c;
    }

    /** Switches allocate-black on (mark phase) or off; set with the world stopped. */
    public void setAllocBlack(boolean on) {
        this.allocBlack = on;
    }

    /**
     * Starts a new sweep: sweepgen += 2, which turns every swept span into an unswept one (gcSweep). Called
     * with the world stopped, every mcache released.
     */
    public void advanceSweepgen() {
        sweepgen += 2;
        sweeper.startCycle();
    }

    /** The current sweepgen. */
    public int sweepgen() {
        return sweepgen;
    }

    /** Pages of in-use spans (Go's pagesInUse). */
    public long pagesInUse() {
        return pagesInUse.get();
    }

    MCentral central(int spanclass) {
        return central[spanclass];
    }

    /** Checked loads and stores of this heap's objects. */
    public HeapAccess access() {
        return access;
    }

    /** Installs the barrier every pointer store calls ({@link WriteBarrier#NONE} to switch it off). */
    public void setWriteBarrier(WriteBarrier wb) {
        this.writeBarrier = wb;
    }

    /** The installed write barrier. */
    public WriteBarrier writeBarrier() {
        return writeBarrier;
    }

    /** Allocates a zeroed global of type {@code type} with mcache {@code c} and registers it as a root. */
    public long newGlobal(MCache c, Type type) {
        long addr = Malloc.mallocgc(c, type, 1);
        synchronized (globalsLock) {
            List<Global> more = new ArrayList<>(globals);
            more.add(new Global(addr, type));
            globals = List.copyOf(more);
        }
        gcController.addGlobals(type.size());
        return addr;
    }

    /**
     * The run's globals, in registration order: the GC's data/BSS roots. An immutable snapshot, taken in O(1)
     * (sweep termination prepares its root jobs from it with the world stopped).
     */
    public List<Global> globals() {
        return globals;
    }

    /** Switches debug mode (poisoning and liveness checks) on or off; see the class comment. */
    public void debug(boolean on) {
        this.debug = on;
    }

    /** Whether debug mode is on. */
    public boolean debug() {
        return debug;
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
