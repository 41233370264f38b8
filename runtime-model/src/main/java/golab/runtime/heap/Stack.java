package golab.runtime.heap;

import golab.runtime.sched.G;
import golab.runtime.sched.GStatus;
import golab.runtime.sched.Park;
import golab.runtime.sched.Sched;
import java.lang.foreign.MemorySegment;
import java.util.function.LongConsumer;

/**
 * One goroutine's stack: Go's {@code g.stack} ({@code lo}, {@code hi}) with {@code g.sched.sp}, and the
 * growth and shrinking of stack.go ({@code newstack}, {@code copystack}, {@code shrinkstack}).
 *
 * <p>The stack is model memory {@code [lo, hi)} from {@link StackAlloc}; it grows down from {@code hi}, and
 * {@code [sp, hi)} holds the open {@link Frame}s, innermost at {@code sp}. Pushing a frame that would leave
 * less than Go's {@code stackGuard} (928 bytes) below it is Go's failed prologue check: {@code morestack}
 * doubles the size until the frame fits with the guard, allocates the new stack, copies the used part to
 * the new top and frees the old stack. Frames address their slots relative to {@code hi}, so they stay
 * valid across the move; no slot address is ever handed out, so there are no pointers into the stack to
 * adjust (Go's {@code adjustpointers}).
 *
 * <p>A Stack object lives as long as its G (Gs are never freed); the memory under it changes. Ownership:
 * only the goroutine itself touches its stack, or someone who has stopped it (the GC's scan and shrink).
 * Invariants: {@code lo == 0} (no stack) or {@code hi - lo} is a power of two at least
 * {@link StackAlloc#FIXED_STACK}; {@code lo <= sp <= hi}; {@link #top} is the innermost open frame.
 */
public final class Stack {

    /** Go's stackGuard on linux/amd64: stackNosplit (800) + StackSmall (128). */
    static final int STACK_GUARD = 928;
    /** Go's stackNosplit: counted as used when deciding whether to shrink. */
    static final int STACK_NOSPLIT = 800;

    private final StackAlloc alloc;
    long lo;
    long hi;
    /** Lowest address in use (Go's gp.sched.sp); {@code hi - sp} bytes are used. */
    long sp;
    Frame top;

    /** The stack of a G of the run that {@code alloc} serves (null for a G that never runs). */
    public Stack(StackAlloc alloc) {
        this.alloc = alloc;
    }

    /** Lowest address (Go's stack.lo); 0 when the G has no stack. */
    public long lo() {
        return lo;
    }

    /** One past the highest address (Go's stack.hi). */
    public long hi() {
        return hi;
    }

    /** Bytes of stack ({@code hi - lo}). */
    public long size() {
        return hi - lo;
    }

    /** Bytes used by open frames ({@code hi - sp}). */
    public long used() {
        return hi - sp;
    }

    Arena arena() {
        return alloc.arena();
    }

    /**
     * A G starts a life (newproc1 after gfget/malg): it gets a stack of the starting size unless it kept
     * one from its previous life, and its stack counts in {@link StackAlloc#maxStackScan}.
     */
    public void acquire(StackCache c) {
        if (lo == 0) {
            lo = alloc.stackalloc(c, StackAlloc.FIXED_STACK);
            hi = lo + StackAlloc.FIXED_STACK;
        }
        sp = hi;
        alloc.addScannableStack(c, hi - lo);
    }

    /**
     * The G died (gdestroy, gfput): its stack no longer counts as scannable and its frames are dropped. As
     * in Go's gfput, a stack of the starting size stays with the dead G for its next life; any other is freed.
     */
    public void release(StackCache c) {
        alloc.addScannableStack(c, -(hi - lo));
        top = null;
        sp = hi;
        if (hi - lo != StackAlloc.FIXED_STACK) {
            alloc.stackfree(c, lo, hi - lo);
            lo = hi = sp = 0;
        }
    }

    /** Pushes a frame of {@code nslots} zeroed 8-byte slots, growing the stack first if it does not fit. */
    Frame push(int nslots, StackCache c) {
        if (nslots < 0) {
            throw new IllegalArgumentException("frame of " + nslots + " slots");
        }
        if (lo == 0) {
            throw new IllegalStateException("goroutine has no stack");
        }
        long bytes = 8L * nslots;
        if (sp - bytes < lo + STACK_GUARD) {
            morestack(bytes, c);
        }
        sp -= bytes;
        arena().clear(sp, bytes);
        top = new Frame(this, top, hi - sp, nslots);
        return top;
    }

    /** Pops {@code f}, which must be the innermost open frame. */
    void pop(Frame f) {
        if (f != top) {
            throw new IllegalStateException("frame popped out of order: " + f + " is not the innermost open frame "
                    + top + "; frames must be closed last-in first-out (try-with-resources)");
        }
        sp = hi - f.off + 8L * f.nslots;
        top = f.parent;
    }

    /**
     * Go's newstack: the size doubles until the new frame fits above the guard; beyond the limit the run
     * fails as Go's does ({@code runtime: goroutine stack exceeds N-byte limit}, {@code fatal error: stack
     * overflow}).
     */
    private void morestack(long frameBytes, StackCache c) {
        long used = hi - sp;
        long newsize = (hi - lo) * 2;
        while (newsize - used < frameBytes + STACK_GUARD) {
            newsize *= 2;
        }
        long limit = Math.min(alloc.maxStack(), StackAlloc.MAX_STACK_CEILING);
        if (newsize > limit) {
            Sched sched = Park.sched();
            sched.config().stderr().println("runtime: goroutine stack exceeds " + limit + "-byte limit");
            sched.config().stderr().println("runtime: sp=0x" + Long.toHexString(sp) + " stack=[0x"
                    + Long.toHexString(lo) + ", 0x" + Long.toHexString(hi) + "]");
            throw sched.fatalThrow("stack overflow");
        }
        copystack(newsize, c);
    }

    /** Go's copystack: moves the used part to the top of a new stack of {@code newsize} and frees the old one. */
    private void copystack(long newsize, StackCache c) {
        long oldLo = lo;
        long oldsize = hi - lo;
        long used = hi - sp;
        long newLo = alloc.stackalloc(c, newsize);
        long newHi = newLo + newsize;
        MemorySegment.copy(arena().segment(sp, used), 0, arena().segment(newHi - used, used), 0, used);
        lo = newLo;
        hi = newHi;
        sp = newHi - used;
        alloc.stackfree(c, oldLo, oldsize);
        alloc.addScannableStack(c, newsize - oldsize);
    }

    /**
     * Go's shrinkstack rule: halves the stack if that leaves at least {@link StackAlloc#FIXED_STACK} and less
     * than a quarter of it is used (counting Go's stackNosplit as used). Returns whether it shrank. The
     * caller owns the goroutine (see the class comment); {@code c} is its P's cache or null.
     */
    boolean shrink(StackCache c) {
        long oldsize = hi - lo;
        long newsize = oldsize / 2;
        if (lo == 0 || newsize < StackAlloc.FIXED_STACK || hi - sp + STACK_NOSPLIT >= oldsize / 4) {
            return false;
        }
        copystack(newsize, c);
        return true;
    }

    /**
     * Go's shrinkstack, for the GC's stack scan: shrinks {@code gp}'s stack if it is the calling goroutine or
     * stopped ({@link GStatus#WAITING} or {@link GStatus#RUNNABLE}, and kept so by the caller). Any other
     * state is not safe (Go's isShrinkStackSafe; Go would shrink at the next safepoint) and returns false.
     */
    public static boolean shrinkstack(G gp) {
        boolean self = Park.onGoroutine() && Park.getg() == gp;
        GStatus s = gp.status();
        if (!self && s != GStatus.WAITING && s != GStatus.RUNNABLE) {
            return false;
        }
        return gp.stack().shrink(Park.onGoroutine() ? Park.stackcache() : null);
    }

    /**
     * The stack's roots, for the GC's scanstack: every non-nil value stored with {@link Frame#set} in an open
     * frame, innermost frame first.
     */
    public void scanFrames(LongConsumer root) {
        for (Frame f = top; f != null; f = f.parent) {
            f.scan(root);
        }
    }
}
