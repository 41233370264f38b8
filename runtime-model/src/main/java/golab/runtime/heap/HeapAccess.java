package golab.runtime.heap;

import golab.runtime.RuntimePanic;

/**
 * Loads and stores of heap objects, checked: the model's stand-in for Go's compiled field accesses, whose
 * safety Go's compiler proves and whose pointer slots Go's GC finds in heap bits.
 *
 * <p>Every access names an object address {@code obj} (its base or any address inside it) and a byte offset.
 * Always checked, because the GC trusts the pointer maps: {@code obj} lies in an in-use span's object (nil
 * panics as Go's nil dereference); {@code [obj+off, obj+off+width)} lies inside the object's data (type size ×
 * count); the access is aligned to its width; pointer loads and stores hit pointer slots and scalar ones hit
 * scalar slots. Every pointer store calls the heap's {@link WriteBarrier} with the slot, the old and the new
 * value before storing. In {@linkplain MHeap#debug(boolean) debug mode} also: the object's slot is allocated,
 * and a pointer loaded or stored is nil, the zerobase or the address of an allocated object (not the poison
 * of freed memory).
 *
 * <p>The checks take one span-map lookup and allocate nothing unless they fail. A failure throws
 * {@link BadAccessException} naming the operation, the address, the type and the field or slot.
 */
public final class HeapAccess {

    private final MHeap heap;
    private final Arena arena;

    HeapAccess(MHeap heap) {
        this.heap = heap;
        this.arena = heap.arena();
    }

    /** Reads the int64 at {@code obj + off}. */
    public long loadLong(long obj, long off) {
        return arena.getLong(check("loadLong", obj, off, 8, false));
    }

    /** Writes the int64 at {@code obj + off}. */
    public void storeLong(long obj, long off, long value) {
        arena.putLong(check("storeLong", obj, off, 8, false), value);
    }

    /** Reads the int32 at {@code obj + off}. */
    public int loadInt(long obj, long off) {
        return arena.getInt(check("loadInt", obj, off, 4, false));
    }

    /** Writes the int32 at {@code obj + off}. */
    public void storeInt(long obj, long off, int value) {
        arena.putInt(check("storeInt", obj, off, 4, false), value);
    }

    /** Reads the byte at {@code obj + off}. */
    public byte loadByte(long obj, long off) {
        return arena.getByte(check("loadByte", obj, off, 1, false));
    }

    /** Writes the byte at {@code obj + off}. */
    public void storeByte(long obj, long off, byte value) {
        arena.putByte(check("storeByte", obj, off, 1, false), value);
    }

    /** Reads the pointer at {@code obj + off} (0 = nil). */
    public long loadPointer(long obj, long off) {
        long slot = check("loadPointer", obj, off, 8, true);
        long ptr = arena.getLong(slot);
        if (heap.debug) {
            checkTarget("loadPointer", slot, ptr);
        }
        return ptr;
    }

    /** Writes the pointer {@code ptr} (0 = nil) at {@code obj + off}, through the write barrier. */
    public void storePointer(long obj, long off, long ptr) {
        long slot = check("storePointer", obj, off, 8, true);
        if (heap.debug) {
            checkTarget("storePointer", slot, ptr);
        }
        // As Go's compiled pointer store (`if writeBarrier.enabled { gcWriteBarrier } else { *slot = ptr }`): the old
        // value is loaded only when a barrier needs it.
        WriteBarrier wb = heap.writeBarrier;
        if (wb != WriteBarrier.NONE) {
            wb.writePointer(slot, arena.getLong(slot), ptr);
        }
        arena.putLong(slot, ptr);
    }

    /**
     * Checks an access of {@code width} bytes at {@code obj + off}; returns the address. Only the tests are here
     * and the messages in {@link #badAccess}, so that this stays small enough to be inlined into every accessor.
     */
    private long check(String op, long obj, long off, int width, boolean pointer) {
        Span s = obj == 0 ? null : heap.spanOf(obj);
        if (s == null || obj >= s.limit) {
            throw badAccess(op, obj, off, width, pointer);
        }
        int idx = s.objIndex(obj);
        long base = s.startAddr + idx * s.elemsize;
        Type t = s.typeOf(idx);
        long elemSize = t == null ? s.elemsize : t.size();
        long dataSize = t == null ? elemSize : elemSize * s.lenOf(idx);
        long addr = obj + off;
        long inObject = addr - base;
        boolean inBounds = off >= 0 && off <= dataSize - width - (obj - base) && (addr & (width - 1)) == 0;
        boolean pointerSlot = t != null && !t.noscan() && t.isPointerWord(offsetInElement(inObject, elemSize) >>> 3);
        if (!inBounds || pointerSlot != pointer || heap.debug && s.isFree(idx)) {
            throw badAccess(op, obj, off, width, pointer);
        }
        return addr;
    }

    /** What is wrong with an access that {@link #check} refused, checked again in order to name it. */
    private RuntimeException badAccess(String op, long obj, long off, int width, boolean pointer) {
        if (obj == 0) {
            return new RuntimePanic("runtime error: invalid memory address or nil pointer dereference");
        }
        Span s = heap.spanOf(obj);
        if (s == null || obj >= s.limit) {
            return notAnObject(op, obj, off, width, pointer);
        }
        int idx = s.objIndex(obj);
        long base = s.startAddr + idx * s.elemsize;
        Type t = s.typeOf(idx);
        long dataSize = t == null ? s.elemsize : t.size() * s.lenOf(idx);
        long rel = obj - base;
        long addr = obj + off;
        if (off < 0 || off > dataSize - width - rel) {
            HeapObject o = new HeapObject(base, s, idx);
            return new BadAccessException(op, addr, "offset " + off + " (" + width + " bytes) from 0x"
                    + Long.toHexString(obj) + " is outside the " + o.describe() + " object at 0x"
                    + Long.toHexString(base) + " (" + dataSize + " bytes)");
        }
        if ((addr & (width - 1)) != 0) {
            return new BadAccessException(op, addr, "misaligned " + width + "-byte access at offset " + (addr - base)
                    + " of the " + new HeapObject(base, s, idx).describe() + " object at 0x" + Long.toHexString(base));
        }
        if (heap.debug && s.isFree(idx)) {
            return new BadAccessException(op, addr, "slot " + idx + " of " + s
                    + " is free: the object there was freed or never allocated");
        }
        HeapObject o = new HeapObject(base, s, idx);
        return new BadAccessException(op, addr, "offset " + (addr - base) + " of the " + o.describe()
                + " object at 0x" + Long.toHexString(base) + " is " + o.slotAt(addr - base)
                + (pointer ? ", not a pointer slot" : ": use loadPointer/storePointer for pointer slots"));
    }

    /**
     * The offset within one element of an object of {@code size}-byte elements: a 64-bit division costs tens of
     * cycles, so it is left to the arrays whose element size is not a power of two.
     */
    private static long offsetInElement(long offsetInObject, long size) {
        if (offsetInObject < size) {
            return offsetInObject;
        }
        return (size & (size - 1)) == 0 ? offsetInObject & (size - 1) : offsetInObject % size;
    }

    /** The error for an access through {@code obj}, which is in no object: nil-like, foreign or freed. */
    private BadAccessException notAnObject(String op, long obj, long off, int width, boolean pointer) {
        long addr = obj + off;
        String access = (pointer ? "pointer" : width + "-byte scalar") + " at offset " + off;
        if (obj == heap.zerobase()) {
            return new BadAccessException(op, addr, access + " of a zero-size object (the zerobase): it has no bytes");
        }
        Span freed = heap.debug ? heap.freedSpanOf(obj) : null;
        if (freed != null && obj < freed.limit) {
            int idx = freed.objIndex(obj);
            HeapObject o = new HeapObject(freed.startAddr + idx * freed.elemsize, freed, idx);
            return new BadAccessException(op, addr, "use after free: the " + o.describe() + " object at 0x"
                    + Long.toHexString(o.base()) + " was freed with its " + freed + "; expected "
                    + o.slotAt(addr - o.base()));
        }
        if (heap.arena().contains(obj, 1)) {
            return new BadAccessException(op, addr, access + ": 0x" + Long.toHexString(obj)
                    + " is in the heap arena but in no allocated object (freed or never allocated)");
        }
        return new BadAccessException(op, addr, access + ": 0x" + Long.toHexString(obj)
                + " is not a heap address (foreign memory)");
    }

    /** Debug mode: {@code ptr}, loaded from or stored to {@code slot}, must be nil, the zerobase or live. */
    private void checkTarget(String op, long slot, long ptr) {
        if (ptr == 0 || ptr == heap.zerobase()) {
            return;
        }
        if (ptr == MHeap.POISON) {
            throw new BadAccessException(op, slot, "the pointer slot holds the poison pattern 0x"
                    + Long.toHexString(MHeap.POISON) + ": the object holding it was freed");
        }
        HeapObject target = heap.findObject(ptr);
        if (target == null || !target.allocated()) {
            Span freed = target == null ? heap.freedSpanOf(ptr) : null;
            throw new BadAccessException(op, slot, "pointer 0x" + Long.toHexString(ptr) + " points to "
                    + (target != null ? "free slot " + target.index() + " of " + target.span()
                    : freed != null ? "freed " + freed : "no heap object")
                    + " (Go: found bad pointer in Go heap)");
        }
    }
}
