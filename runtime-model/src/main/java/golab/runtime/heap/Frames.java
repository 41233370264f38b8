package golab.runtime.heap;

import golab.runtime.sched.Park;

/**
 * The frame API for workloads: {@code try (Frame f = Frames.push(n)) { f.set(0, ptr); ... }} pushes a
 * frame of n zeroed slots on the calling goroutine's {@link Stack}, as a Go function's prologue claims its
 * frame. Like that prologue, a push is a safepoint, and it grows the stack by copying when the frame does
 * not fit (Go's morestack).
 */
public final class Frames {

    private Frames() {
    }

    /** Pushes a frame of {@code nslots} zeroed 8-byte slots on the calling goroutine's stack. */
    public static Frame push(int nslots) {
        Park.checkpoint();
        return Park.getg().stack().push(nslots, Park.stackcache());
    }
}
