package golab.runtime.heap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * A run of pages holding objects of one span class: Go's {@code mspan} (mheap.go) with its free-slot
 * search from mbitmap.go and malloc.go. A small-object span is cut into {@link #nelems} slots of
 * {@link #elemsize} bytes; a large object (span class 0) has a span of its own with one slot.
 *
 * <p>Free slots, exactly as Go finds them:
 * <ul>
 *   <li>{@link #allocBits}: bit i set = slot i was allocated as of the last sweep. Allocation does
 *       <em>not</em> set bits; every slot below {@link #freeindex} counts as allocated instead, and the
 *       sweeper (later) replaces allocBits with {@link #gcmarkBits} and resets freeindex to 0.
 *   <li>{@link #allocCache}: the complement of the 64 allocBits of the word holding freeindex, shifted so
 *       that bit 0 stands for slot freeindex; a 1 is a free slot. {@code nextFreeFast} takes its lowest 1
 *       with one count-trailing-zeros; {@code nextFreeIndex} refills it from allocBits 64 slots at a time.
 * </ul>
 *
 * <p>Types: {@link #typeOf} and {@link #lenOf} give, per slot, the type and element count the object was
 * allocated with, written by mallocgc when it hands the slot out — the role of Go 1.19's heap bitmap and of
 * 1.22's in-span heap bits and malloc headers; a large object's span has one slot, so its type is Go 1.22's
 * {@code largeType}. A null type is untyped memory: a tiny block or a raw
 * {@link Malloc#mallocgc(MCache, long, boolean)} allocation, which has no pointer slots. Most spans only ever
 * hold one type (a large object's always), so the span keeps that one {@link #type} and makes the per-slot
 * table {@link #types} only when a slot gets a second type while other slots are allocated; likewise
 * {@link #lens} only for arrays.
 *
 * <p>Reuse: a freed span goes to its heap's free list (Go's {@code mheap_.spanalloc}) and is handed out again
 * by {@link #init}, which gives it its new shape and keeps the bitmaps when their length fits. Whoever frees
 * a span must hold it alone (the sweeper that swept it) and must not touch it afterwards: it may already be
 * another span. A span is reachable from the span map, an mcache or an mcentral set only while in use.
 *
 * <p>Invariants: {@code 0 <= freeindex <= nelems}; {@code allocCount <= nelems}; {@code allocBits} and
 * {@code gcmarkBits} have {@code ceil(nelems/64)} words; while the span is cached by an mcache only that
 * mcache's owner touches freeindex, allocCount, allocCache and the type and length tables; {@link #sweepgen}
 * follows Go's protocol (h.sweepgen-2 needs sweeping, -1 being swept, == swept, +1 cached but needs
 * sweeping, +3 swept and cached).
 */
public final class Span {

    private static final VarHandle BITS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle SWEEPGEN;
    private static final VarHandle FREEINDEX;

    static {
        try {
            SWEEPGEN = MethodHandles.lookup().findVarHandle(Span.class, "sweepgen", int.class);
            FREEINDEX = MethodHandles.lookup().findVarHandle(Span.class, "freeindex", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Go's emptymspan: what an mcache holds before its first refill; it has no free slot. */
    static final Span EMPTY = new Span(0, 0, 0, 0, 0);

    long startAddr;
    int npages;
    int spanclass;
    /** Object size: the class size, or the whole span for a large object. */
    long elemsize;
    int nelems;
    /** One past the last byte of the last slot. */
    long limit;
    /** Go's divMul: {@code objIndex(p) = (p - startAddr) * divMul >>> 32}, exact for offsets inside the span. */
    private long divMul;
    /** The type of every allocated slot while {@link #types} is null (null: untyped). */
    private Type type;
    /** Per slot, the type it was allocated with; null while one {@link #type} serves all. Made by the owner. */
    private Type[] types;
    /**
     * Per slot, the element count it was allocated with; null while every slot holds a single object (the
     * common case, and one cache miss fewer for the GC and the access checks). Made by the owner.
     */
    private long[] lens;
    /** The next span of the heap's free list while this one is on it; guarded by the heap lock. */
    Span nextFree;

    /** The slot to start the next search from; every slot below it is allocated. */
    int freeindex;
    /** Allocated slots. */
    int allocCount;
    /** allocCount when an mcache took the span: what it allocates since is flushed to the stats. */
    int allocCountBeforeCache;
    /** Complemented allocBits from freeindex on (bit 0 = slot freeindex; 1 = free). */
    long allocCache;
    /** Allocation bits as of the last sweep. */
    long[] allocBits;
    /** Mark bits of the current GC cycle. */
    long[] gcmarkBits;
    /**
     * The allocation bits the last sweep replaced, kept to become the mark bits of the next one (see
     * {@link #installSweptBits}); null until a sweep has run, and when {@link #init} changes the bitmaps'
     * length. Otherwise as long as they are.
     */
    private long[] retiredBits;
    /** Go's mspan.sweepgen, relative to MHeap.sweepgen (see the class comment). */
    volatile int sweepgen;
    /** Whether the span's memory may be dirty and must be zeroed before objects are handed out. */
    boolean needzero;

    Span(long startAddr, int npages, int spanclass, long elemsize, int nelems) {
        init(startAddr, npages, spanclass, elemsize, nelems);
    }

    /**
     * Go's mspan.init and initSpan: makes this span an empty span of {@code nelems} slots of {@code elemsize}
     * bytes on {@code npages} pages at {@code startAddr}, whatever it was before. The bitmaps are kept (and
     * cleared) when they have the right length, else made anew. The heap sets sweepgen and needzero.
     */
    void init(long startAddr, int npages, int spanclass, long elemsize, int nelems) {
        this.startAddr = startAddr;
        this.npages = npages;
        this.spanclass = spanclass;
        this.elemsize = elemsize;
        this.nelems = nelems;
        this.limit = startAddr + elemsize * nelems;
        this.divMul = nelems > 1 ? 0xFFFF_FFFFL / elemsize + 1 : 0;
        type = null;
        types = null;
        lens = null;
        freeindex = 0;
        allocCount = 0;
        allocCountBeforeCache = 0;
        int words = Math.ceilDiv(nelems, 64);
        if (allocBits != null && allocBits.length == words) {
            Arrays.fill(allocBits, 0);
            Arrays.fill(gcmarkBits, 0);
        } else {
            allocBits = new long[words];
            gcmarkBits = new long[words];
            retiredBits = null;
        }
        allocCache = nelems == 0 ? 0 : -1L;
    }

    /** First address (Go's base()). */
    public long base() {
        return startAddr;
    }

    /** One past the last object byte (Go's limit). */
    public long limit() {
        return limit;
    }

    /** Pages in the span. */
    public int npages() {
        return npages;
    }

    /** The span class (see {@link SpanClass}). */
    public int spanclass() {
        return spanclass;
    }

    /** Bytes per object. */
    public long elemsize() {
        return elemsize;
    }

    /** Object slots. */
    public int nelems() {
        return nelems;
    }

    /** Allocated slots. */
    public int allocCount() {
        return allocCount;
    }

    /** The slot holding {@code addr}, an address inside the span (Go's objIndex, by multiplication). */
    public int objIndex(long addr) {
        return (int) (((addr - startAddr) * divMul) >>> 32);
    }

    /** The type slot {@code index} was allocated with, or null for untyped memory. */
    public Type typeOf(int index) {
        Type[] ts = types;
        return ts == null ? type : ts[index];
    }

    /** The element count slot {@code index} was allocated with. */
    public long lenOf(int index) {
        long[] l = lens;
        return l == null ? 1 : l[index];
    }

    /**
     * Records that slot {@code index} holds an object of type {@code t} (allocation, by the span's owner, the
     * slot already counted in allocCount).
     */
    void setType(int index, Type t) {
        Type[] ts = types;
        if (ts != null) {
            ts[index] = t;
        } else if (t == type || allocCount == 1) { // allocCount == 1: no other slot is allocated
            type = t;
        } else {
            ts = new Type[nelems];
            Arrays.fill(ts, type);
            ts[index] = t;
            VarHandle.storeStoreFence(); // a reader that finds the table finds it filled
            types = ts;
        }
    }

    /** Records that slot {@code index} holds {@code n} elements (allocation, by the span's owner). */
    void setLen(int index, long n) {
        long[] l = lens;
        if (l == null) {
            if (n == 1) {
                return;
            }
            l = new long[nelems];
            Arrays.fill(l, 1);
            l[index] = n;
            VarHandle.storeStoreFence();
            lens = l;
        } else {
            l[index] = n;
        }
    }

    /**
     * Go's nextFreeFast: the address of the next free slot found in allocCache alone, or 0 when the cache
     * is exhausted or the slot after would cross a 64-slot boundary (the slow path then refills it).
     */
    long nextFreeFast() {
        int theBit = Long.numberOfTrailingZeros(allocCache);
        if (theBit < 64) {
            int result = freeindex + theBit;
            if (result < nelems) {
                int freeidx = result + 1;
                if (freeidx % 64 == 0 && freeidx != nelems) {
                    return 0;
                }
                allocCache >>>= theBit + 1;
                freeindex = freeidx;
                allocCount++;
                return startAddr + result * elemsize;
            }
        }
        return 0;
    }

    /**
     * Go's nextFreeIndex: the index of the next free slot at or after freeindex, refilling allocCache from
     * allocBits as it crosses 64-slot words; {@link #nelems} when the span is full. Advances freeindex past
     * the slot; the caller counts it in allocCount.
     */
    int nextFreeIndex() {
        int sfreeindex = freeindex;
        if (sfreeindex == nelems) {
            return sfreeindex;
        }
        long aCache = allocCache;
        int bitIndex = Long.numberOfTrailingZeros(aCache);
        while (bitIndex == 64) {
            sfreeindex = (sfreeindex + 64) & ~63;
            if (sfreeindex >= nelems) {
                freeindex = nelems;
                return nelems;
            }
            refillAllocCache(sfreeindex / 64);
            aCache = allocCache;
            bitIndex = Long.numberOfTrailingZeros(aCache);
        }
        int result = sfreeindex + bitIndex;
        if (result >= nelems) {
            freeindex = nelems;
            return nelems;
        }
        allocCache >>>= bitIndex + 1;
        sfreeindex = result + 1;
        if (sfreeindex % 64 == 0 && sfreeindex != nelems) {
            refillAllocCache(sfreeindex / 64);
        }
        freeindex = sfreeindex;
        return result;
    }

    /** Go's refillAllocCache: allocCache := complement of allocBits word {@code word}. */
    void refillAllocCache(int word) {
        allocCache = ~allocBits[word];
    }

    /** Points allocCache at freeindex, as mcentral.cacheSpan does before handing the span out. */
    void initAllocCache() {
        int word = freeindex / 64;
        allocCache = word < allocBits.length ? ~allocBits[word] >>> (freeindex % 64) : 0;
    }

    /**
     * Sets the mark bit of slot {@code index} (Go's greyobject's mark-bit step, atomically as markBitsForAddr's
     * setMarked); returns false if it was already set. Markers race on the same word, hence the atomic or.
     */
    public boolean tryMark(int index) {
        long bit = 1L << index;
        long[] bits = gcmarkBits;
        // Most objects are reached more than once: skip the atomic when the bit is already set (Go's isMarked
        // test in greyobject), so only the first marker pays for the locked instruction.
        if (((long) BITS.getOpaque(bits, index >>> 6) & bit) != 0) {
            return false;
        }
        return ((long) BITS.getAndBitwiseOr(bits, index >>> 6, bit) & bit) == 0;
    }

    /** Whether slot {@code index} is marked in the current cycle. */
    public boolean isMarked(int index) {
        return ((long) BITS.getVolatile(gcmarkBits, index >>> 6) & (1L << index)) != 0;
    }

    /** Whether the span holds pointer-free objects only (its class is noscan). */
    public boolean noscan() {
        return SpanClass.noscan(spanclass);
    }

    /** Go's sweepLocker.tryAcquire: claims an unswept span ({@code h-2}) for sweeping ({@code h-1}). */
    boolean claimForSweep(int sg) {
        return SWEEPGEN.compareAndSet(this, sg - 2, sg - 1);
    }

    /**
     * The sweep's switch of bitmaps (Go's {@code s.allocBits = s.gcmarkBits; s.gcmarkBits = newMarkBits(...);
     * s.freeindex = 0}): the mark bits become the allocation bits and the next cycle marks into fresh ones.
     *
     * <p>Goroutines keep using the span's live objects while it is swept, and the debug heap's access check
     * reads {@link #isFree} from them. So the old allocation bits are left as they are for a cycle, and
     * freeindex is reset with release semantics after the new bits are in place: a reader that sees the reset
     * sees the new bits, one that sees the old freeindex sees the old bits intact, and a live object is
     * allocated in both.
     *
     * <p>The fresh mark bits are the allocation bits retired by this span's previous sweep, cleared: Go's
     * gcBits arenas, whose old mark bits are freed one cycle later ({@code nextMarkBitArenaEpoch}). That sweep
     * was a cycle ago, with stops of the world in between, and no reader holds the bits across a stop: isFree
     * is called between two safepoints. Making new ones instead would allocate the JVM heap's largest share
     * under churn (a word per 64 slots, per span and cycle), and the JVM's collections of it stop every M.
     */
    void installSweptBits() {
        long[] fresh = retiredBits;
        if (fresh == null) {
            fresh = new long[gcmarkBits.length];
        } else {
            Arrays.fill(fresh, 0);
        }
        retiredBits = allocBits;
        allocBits = gcmarkBits;
        gcmarkBits = fresh;
        FREEINDEX.setRelease(this, 0);
    }

    /** Whether the slot {@code index} is free (Go's isFree): at or after freeindex and not in allocBits. */
    public boolean isFree(int index) {
        int from = (int) FREEINDEX.getAcquire(this); // before allocBits: see installSweptBits
        return index >= from && (allocBits[index >>> 6] & (1L << index)) == 0;
    }

    @Override
    public String toString() {
        return "span[0x" + Long.toHexString(startAddr) + "+" + npages + "p class " + SpanClass.sizeclass(spanclass)
                + (SpanClass.noscan(spanclass) ? " noscan" : "") + " " + allocCount + "/" + nelems + "]";
    }
}
