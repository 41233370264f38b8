package golab.runtime.heap;

import java.lang.invoke.VarHandle;

/**
 * Object allocation: Go's {@code mallocgc} (malloc.go, 1.22–1.24: mallocgcTiny, mallocgcSmallNoscan /
 * SmallScan, mallocgcLarge) with the mcache of the P doing the allocation. A typed allocation
 * ({@link #mallocgc(MCache, Type, long)}, Go's {@code newobject}/{@code newarray}) records the type and count
 * in the span's side table (Go's heapSetType); an untyped one records none. Either returns the address of
 * zeroed memory for {@code size} bytes:
 * <ul>
 *   <li>size 0: the shared {@link MHeap#zerobase()};
 *   <li>pointer-free and under 16 bytes: packed into the mcache's current 16-byte tiny block, aligned to 8,
 *       4 or 2 bytes as the size is a multiple of them, or a fresh block when it does not fit;
 *   <li>up to 32760 bytes: a slot of the size class, from the mcache's span for that class;
 *   <li>larger: a span of its own. The limit is Go 1.22's {@code maxSmallSize - mallocHeaderSize}: an
 *       object of 32761–32768 bytes is large even though a class of 32768 exists, because a pointerful
 *       object of that size would need an 8-byte malloc header. The model keeps types beside the span (so
 *       it has no header) but keeps Go's boundary.
 * </ul>
 * Tiny blocks are untyped: the sub-objects packed in them are pointer-free and the GC never looks inside.
 * The fast path allocates no Java objects: a span makes its per-slot type table only when it comes to hold a
 * second type (see {@link Span}).
 * During a mark phase every new object is allocated marked (Go's gcmarknewobject: allocate black), and
 * its bytes are counted as marked. Assist credit and the GC trigger test are the caller's
 * ({@link Heap}), which knows the goroutine. The type and count are published with a release fence before
 * the address is returned (Go's publicationBarrier), so a marker that finds the object through a pointer
 * sees them.
 */
public final class Malloc {

    /** Go's maxTinySize: the tiny allocator's block. */
    public static final int MAX_TINY_SIZE = 16;
    /** Go's mallocHeaderSize (1.22+). */
    public static final int MALLOC_HEADER_SIZE = 8;
    /** The largest small allocation (Go 1.22+: maxSmallSize - mallocHeaderSize). */
    public static final int MAX_SMALL_ALLOC = SizeClasses.MAX_SMALL_SIZE - MALLOC_HEADER_SIZE;

    private Malloc() {
    }

    /**
     * Allocates {@code size} zeroed bytes with mcache {@code c}; {@code noscan} says the object holds no
     * pointers. Returns the object's address.
     *
     * @throws ArenaExhaustedException if the heap cannot grow enough
     */
    public static long mallocgc(MCache c, long size, boolean noscan) {
        if (size < 0) {
            throw new IllegalArgumentException("mallocgc of negative size " + size);
        }
        return mallocgc(c, size, noscan, null, 0);
    }

    /**
     * Allocates {@code n} zeroed objects of type {@code typ} in one block (Go's newarray; newobject when n is
     * 1) and records the type and count for the GC and the access checks. Zero bytes give the zerobase.
     *
     * @throws IllegalArgumentException if n is negative
     * @throws ArenaExhaustedException  if {@code n * typ.size()} does not fit in the heap
     */
    public static long mallocgc(MCache c, Type typ, long n) {
        if (n < 0) {
            throw new IllegalArgumentException("allocation of a negative count " + n + " of " + typ);
        }
        long size;
        try {
            size = Math.multiplyExact(typ.size(), n);
        } catch (ArithmeticException overflow) {
            long reserved = c.heap.arena().size();
            throw new ArenaExhaustedException(Long.MAX_VALUE, reserved - c.heap.arena().mapped(), reserved);
        }
        return mallocgc(c, size, typ.noscan(), typ, n);
    }

    private static long mallocgc(MCache c, long size, boolean noscan, Type typ, long n) {
        if (size == 0) {
            return c.heap.zerobase();
        }
        if (size <= MAX_SMALL_ALLOC) {
            if (noscan && size < MAX_TINY_SIZE) {
                return mallocgcTiny(c, size);
            }
            return mallocgcSmall(c, size, noscan, typ, n);
        }
        return mallocgcLarge(c, size, noscan, typ, n);
    }

    /** Go's mallocgcTiny. */
    private static long mallocgcTiny(MCache c, long size) {
        long off = c.tinyoffset;
        if ((size & 7) == 0) {
            off = alignUp(off, 8);
        } else if ((size & 3) == 0) {
            off = alignUp(off, 4);
        } else if ((size & 1) == 0) {
            off = alignUp(off, 2);
        }
        if (off + size <= MAX_TINY_SIZE && c.tiny != 0) {
            long x = c.tiny + off;
            c.tinyoffset = off + size;
            c.tinyAllocs++;
            return x;
        }
        Span span = c.alloc[SpanClass.TINY_SPAN_CLASS];
        long x = span.nextFreeFast();
        if (x == 0) {
            x = c.nextFree(SpanClass.TINY_SPAN_CLASS);
        }
        Arena arena = c.heap.arena();
        arena.putLong(x, 0);
        arena.putLong(x + 8, 0);
        span = c.alloc[SpanClass.TINY_SPAN_CLASS];
        int idx = span.objIndex(x);
        span.setType(idx, null); // the slot may have held a typed 16-byte object before a sweep
        span.setLen(idx, 1);
        if (c.heap.allocBlack) {
            span.tryMark(idx);
            c.bytesAllocatedBlack += MAX_TINY_SIZE;
        }
        // Keep whichever block has more room left.
        if (size < c.tinyoffset || c.tiny == 0) {
            c.tiny = x;
            c.tinyoffset = size;
        }
        return x;
    }

    /** Go's mallocgcSmallNoscan / mallocgcSmallScanNoHeader, with heapSetType into the span's side table. */
    private static long mallocgcSmall(MCache c, long size, boolean noscan, Type typ, long n) {
        int spc = SpanClass.make(SizeClasses.sizeToClass(size), noscan);
        Span span = c.alloc[spc];
        long x = span.nextFreeFast();
        if (x == 0) {
            x = c.nextFree(spc);
            span = c.alloc[spc];
        }
        if (span.needzero) {
            c.heap.arena().clear(x, span.elemsize);
        }
        int idx = span.objIndex(x);
        span.setType(idx, typ);
        span.setLen(idx, n);
        if (!noscan && typ != null) {
            c.scanAlloc += (n - 1) * typ.size() + typ.ptrBytes();
        }
        if (c.heap.allocBlack) {
            span.tryMark(idx);
            c.bytesAllocatedBlack += span.elemsize;
        }
        VarHandle.releaseFence();
        return x;
    }

    /** Go's mallocgcLarge; the type goes to the span's one slot (Go's largeType). */
    private static long mallocgcLarge(MCache c, long size, boolean noscan, Type typ, long n) {
        if (!noscan && typ != null) {
            c.scanAlloc += (n - 1) * typ.size() + typ.ptrBytes();
        }
        Span span = c.allocLarge(size, noscan);
        span.freeindex = 1;
        span.allocCount = 1;
        span.setType(0, typ);
        span.setLen(0, n);
        if (span.needzero) {
            c.heap.arena().clear(span.startAddr, span.elemsize);
        }
        if (c.heap.allocBlack) {
            span.tryMark(0);
            c.bytesAllocatedBlack += span.elemsize;
        }
        VarHandle.releaseFence();
        return span.startAddr;
    }

    private static long alignUp(long n, long a) {
        return (n + a - 1) & -a;
    }
}
