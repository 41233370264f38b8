package golab.runtime.gc;

/**
 * A P's write-barrier buffer: Go's {@code wbBuf} (mwbbuf.go, 1.21 layout: 512 pointer slots). The barrier's
 * fast path only records the overwritten and the new pointer; {@link #flush} shades them all when the
 * buffer fills, when a marker on this P runs out of work, and at mark termination.
 *
 * <p>Ownership: the goroutine running on the P, or the collector with the P stopped.
 */
final class WbBuf {

    static final int SLOTS = 512;

    private final long[] buf = new long[SLOTS];
    private int n;

    /** Records {@code old} and {@code ptr} (nil skipped); returns true when the buffer is full and must be flushed. */
    boolean put(long old, long ptr) {
        if (old != 0) {
            buf[n++] = old;
        }
        if (ptr != 0) {
            buf[n++] = ptr;
        }
        return n > SLOTS - 2;
    }

    /** Go's wbBufFlush1: shades every recorded pointer into {@code w}. */
    void flush(Marker marker, GcWork w) {
        marker.shadeAll(buf, n, w);
        n = 0;
    }

    /** Drops the recorded pointers without shading (mark termination: every one is already marked). */
    void reset() {
        n = 0;
    }
}
