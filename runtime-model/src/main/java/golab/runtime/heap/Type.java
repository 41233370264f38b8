package golab.runtime.heap;

import java.util.ArrayList;
import java.util.List;

/**
 * The type of a heap object: Go's {@code abi.Type} reduced to what the allocator and the GC need — a name, a
 * size, an alignment and a pointer map (Go's {@code GCData} bitmap: one bit per 8-byte word, set when the word
 * holds a pointer), plus named fields so workloads address memory by field rather than by magic offsets.
 *
 * <p>Built with {@link #builder}: {@code Type.builder("node").pointer("left").pointer("right").scalar("key",
 * 8).build()} lays fields out in order, each at its natural alignment (a pointer at 8; a scalar at the largest
 * power of two up to 8 dividing its size), and rounds the size up to the type's alignment, as Go lays out a
 * struct. A type without pointers is <em>noscan</em>: its objects live in noscan spans and the GC never scans
 * them. An array of n elements is allocated with the element type and a count; its pointer map is the
 * element's, repeated every {@link #size()} bytes.
 *
 * <p>Invariants: immutable; every pointer field is one 8-byte-aligned word; fields do not overlap;
 * {@code ptrBytes} (Go's PtrBytes) is the prefix of the object holding all its pointers.
 */
public final class Type {

    /** One field: its name, offset, size and whether it is a pointer. */
    public record Field(String name, long offset, long size, boolean pointer) {
    }

    /** Go's {@code byte}: raw memory, the element type of {@link Heap#allocBytes}. */
    public static final Type BYTE = builder("byte").scalar("byte", 1).build();
    /** Go's {@code int64}. */
    public static final Type INT64 = builder("int64").scalar("int64", 8).build();
    /** Go's {@code unsafe.Pointer}: one pointer word; arrays of it are slices of pointers. */
    public static final Type POINTER = builder("unsafe.Pointer").pointer("ptr").build();

    private final String name;
    private final long size;
    private final int align;
    private final long[] ptrmask;
    private final long ptrBytes;
    private final List<Field> fields;
    /** The indices of the pointer words, ascending: what the GC's scan loop walks. */
    private final int[] ptrWords;

    private Type(String name, long size, int align, long[] ptrmask, long ptrBytes, List<Field> fields) {
        this.name = name;
        this.size = size;
        this.align = align;
        this.ptrmask = ptrmask;
        this.ptrBytes = ptrBytes;
        this.fields = fields;
        this.ptrWords = java.util.stream.LongStream.range(0, (long) ptrmask.length * 64)
                .filter(this::isPointerWord).mapToInt(w -> (int) w).toArray();
    }

    /** A builder for a struct type called {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The type's name. */
    public String name() {
        return name;
    }

    /** Bytes per object (Go's Size_), a multiple of the alignment. */
    public long size() {
        return size;
    }

    /** The alignment of the type: the largest of its fields'. */
    public int align() {
        return align;
    }

    /** Whether objects of this type hold no pointers (Go's noscan: PtrBytes == 0). */
    public boolean noscan() {
        return ptrBytes == 0;
    }

    /** Go's PtrBytes: bytes from the start of an object up to the end of its last pointer word. */
    public long ptrBytes() {
        return ptrBytes;
    }

    /** Whether the 8-byte word {@code word} of an object of this type holds a pointer. */
    public boolean isPointerWord(long word) {
        return word < (long) ptrmask.length * 64 && (ptrmask[(int) (word >>> 6)] & (1L << word)) != 0;
    }

    /** How many 8-byte words of an object of this type hold pointers. */
    public int pointerWordCount() {
        return ptrWords.length;
    }

    /** The word index of the {@code i}th pointer word, in ascending order. */
    public int pointerWord(int i) {
        return ptrWords[i];
    }

    /** The fields, in offset order. */
    public List<Field> fields() {
        return fields;
    }

    /** The field called {@code field}. */
    public Field field(String field) {
        for (Field f : fields) {
            if (f.name().equals(field)) {
                return f;
            }
        }
        throw new IllegalArgumentException("type " + name + " has no field " + field + "; fields: "
                + fields.stream().map(Field::name).toList());
    }

    /** The offset of the field called {@code field}. */
    public long offset(String field) {
        return field(field).offset();
    }

    /** The field covering byte {@code offset} of an object of this type, or null in padding. */
    Field fieldAt(long offset) {
        for (Field f : fields) {
            if (offset >= f.offset() && offset < f.offset() + f.size()) {
                return f;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return name;
    }

    /** Lays out the fields of a {@link Type} in order. */
    public static final class Builder {
        private final String name;
        private final List<Field> fields = new ArrayList<>();
        private long offset;
        private int align = 1;

        private Builder(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a type needs a name");
            }
            this.name = name;
        }

        /** Appends a pointer field (one 8-byte word, 8-aligned). */
        public Builder pointer(String field) {
            return add(field, 8, 8, true);
        }

        /**
         * Appends a scalar field of {@code bytes} bytes, aligned to the largest power of two up to 8 that
         * divides its size (an int64 at 8, an int32 at 4, a [64]byte at 8, a [3]byte at 1).
         */
        public Builder scalar(String field, long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("field " + field + " of type " + name + ": size must be positive, got "
                        + bytes);
            }
            return add(field, bytes, (int) Math.min(8, Long.lowestOneBit(bytes)), false);
        }

        private Builder add(String field, long bytes, int fieldAlign, boolean pointer) {
            if (field == null || field.isBlank()) {
                throw new IllegalArgumentException("a field of type " + name + " needs a name");
            }
            for (Field f : fields) {
                if (f.name().equals(field)) {
                    throw new IllegalArgumentException("type " + name + " already has a field " + field);
                }
            }
            offset = (offset + fieldAlign - 1) & -fieldAlign;
            fields.add(new Field(field, offset, bytes, pointer));
            offset = Math.addExact(offset, bytes);
            align = Math.max(align, fieldAlign);
            return this;
        }

        /** The type: size rounded up to its alignment, pointer map from the pointer fields. */
        public Type build() {
            long size = (offset + align - 1) & -align;
            long ptrBytes = 0;
            for (Field f : fields) {
                if (f.pointer()) {
                    ptrBytes = f.offset() + 8;
                }
            }
            long[] ptrmask = new long[(int) Math.ceilDiv(ptrBytes / 8, 64)];
            for (Field f : fields) {
                if (f.pointer()) {
                    long word = f.offset() / 8;
                    ptrmask[(int) (word >>> 6)] |= 1L << word;
                }
            }
            return new Type(name, size, align, ptrmask, ptrBytes, List.copyOf(fields));
        }
    }
}
