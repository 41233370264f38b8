package golab.runtime.heap;

/**
 * Go's {@code spanClass} (mheap.go): a size class and a noscan bit packed into one small int,
 * {@code sizeclass << 1 | noscan}. Pointer-free objects live in their own spans so the GC never scans
 * them, which doubles the 68 size classes into {@value #NUM_SPAN_CLASSES} span classes.
 *
 * <p>Span classes are plain {@code int}s rather than a record so that the allocation fast path, which
 * indexes the mcache by span class, allocates nothing.
 */
public final class SpanClass {

    /** Go's numSpanClasses. */
    public static final int NUM_SPAN_CLASSES = SizeClasses.NUM_SIZE_CLASSES << 1;
    /** Go's tinySpanClass: class 2 (16 B), noscan, which holds the tiny allocator's blocks. */
    public static final int TINY_SPAN_CLASS = make(2, true);

    private SpanClass() {
    }

    /** Go's makeSpanClass. */
    public static int make(int sizeclass, boolean noscan) {
        if (sizeclass < 0 || sizeclass >= SizeClasses.NUM_SIZE_CLASSES) {
            throw new IllegalArgumentException("size class " + sizeclass + " out of range");
        }
        return sizeclass << 1 | (noscan ? 1 : 0);
    }

    /** Go's spanClass.sizeclass. */
    public static int sizeclass(int spc) {
        return spc >>> 1;
    }

    /** Go's spanClass.noscan. */
    public static boolean noscan(int spc) {
        return (spc & 1) != 0;
    }
}
