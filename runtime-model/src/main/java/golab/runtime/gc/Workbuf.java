package golab.runtime.gc;

/**
 * A buffer of grey objects: Go's {@code workbuf} (mgcwork.go), 2048 bytes there — a 24-byte header and
 * {@value #OBJS} pointer slots. Owned by one {@link GcWork} at a time, or sitting in {@link WorkLists}.
 */
final class Workbuf {

    /** Go's len(workbuf.obj): (2048 - 24) / 8. */
    static final int OBJS = 253;

    final long[] obj = new long[OBJS];
    int nobj;

    boolean isFull() {
        return nobj == OBJS;
    }

    boolean isEmpty() {
        return nobj == 0;
    }
}
