package golab.runtime.heap;

/**
 * An object of the heap as Go's {@code findObject} returns it — base address, span and slot index — with the
 * type recorded for it at allocation: what the GC asks of every pointer it finds (which words of this object
 * hold pointers?) and what the access checks and their messages use.
 *
 * @param base  the object's first address
 * @param span  the span holding it
 * @param index its slot in the span
 */
public record HeapObject(long base, Span span, int index) {

    /** The type it was allocated with; null for untyped memory (a tiny block or a raw allocation). */
    public Type type() {
        return span.typeOf(index);
    }

    /** Its element count: 1 for a single object, n for an array. */
    public long count() {
        return span.lenOf(index);
    }

    /** Bytes of the slot (Go's elemsize). */
    public long slotSize() {
        return span.elemsize;
    }

    /** Bytes of data: type size × count, or the whole slot for untyped memory. */
    public long dataSize() {
        Type t = type();
        return t == null ? span.elemsize : t.size() * count();
    }

    /** Whether the slot is allocated (Go's !isFree: below freeindex or set in allocBits). */
    public boolean allocated() {
        return !span.isFree(index);
    }

    /**
     * Whether the 8-byte word holding {@code addr} is a pointer slot by the object's pointer map (for an
     * array, the element type's map repeated). False outside the data and for untyped memory.
     */
    public boolean isPointer(long addr) {
        Type t = type();
        long rel = addr - base;
        return t != null && !t.noscan() && rel >= 0 && rel < dataSize() && t.isPointerWord(rel % t.size() >>> 3);
    }

    /** The object as Go would write its type: {@code node}, {@code [8]node}, or {@code untyped 16-byte block}. */
    public String describe() {
        Type t = type();
        if (t == null) {
            return "untyped " + span.elemsize + "-byte block";
        }
        return count() == 1 ? t.name() : "[" + count() + "]" + t.name();
    }

    /** The field or slot at byte {@code rel} of the object, e.g. {@code field key (8-byte scalar)}. */
    public String slotAt(long rel) {
        Type t = type();
        if (t == null) {
            return "byte " + rel + " (untyped memory has no pointer slots)";
        }
        String element = count() == 1 ? "" : "element " + rel / t.size() + " ";
        Type.Field f = t.fieldAt(rel % t.size());
        if (f == null) {
            return element + "padding at offset " + rel % t.size();
        }
        return element + "field " + f.name() + " (" + (f.pointer() ? "pointer" : f.size() + "-byte scalar") + ")";
    }
}
