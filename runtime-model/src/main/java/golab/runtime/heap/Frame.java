package golab.runtime.heap;

import java.util.function.LongConsumer;

/**
 * A frame on the calling goroutine's stack: {@code nslots} 8-byte slots, zeroed when pushed by
 * {@link Frames#push}, popped by {@link #close} in last-in first-out order (use try-with-resources).
 *
 * <p>A slot written with {@link #set} holds a pointer and is a root of the goroutine ({@link Stack#scanFrames});
 * one written with {@link #setLong} or through {@link #putByte} holds a scalar. The frame knows its distance
 * from the stack's top ({@code off} = {@code hi - first slot}), not its address, so it stays valid when the
 * stack is copied to a larger or smaller one.
 *
 * <p>Invariants: while open, the frame's slots are {@code [hi - off, hi - off + 8 * nslots)} of its stack and
 * lie above every frame pushed after it; bit i of {@code ptrmask} is set iff slot i holds a pointer.
 */
public final class Frame implements AutoCloseable {

    private final Stack stack;
    final Frame parent;
    /** Bytes from the stack's hi down to slot 0. */
    final long off;
    final int nslots;
    private final long[] ptrmask;
    private boolean popped;

    Frame(Stack stack, Frame parent, long off, int nslots) {
        this.stack = stack;
        this.parent = parent;
        this.off = off;
        this.nslots = nslots;
        this.ptrmask = new long[Math.ceilDiv(nslots, 64)];
    }

    /** Slots in the frame. */
    public int slots() {
        return nslots;
    }

    /** The value of slot {@code i}, pointer or scalar. */
    public long get(int i) {
        return stack.arena().getLong(slot(i));
    }

    /** Stores pointer {@code ptr} (0 = nil) in slot {@code i}: the slot becomes a root. */
    public void set(int i, long ptr) {
        stack.arena().putLong(slot(i), ptr);
        ptrmask[i >>> 6] |= 1L << i;
    }

    /** Stores the scalar {@code v} in slot {@code i}: the slot is not a root. */
    public void setLong(int i, long v) {
        stack.arena().putLong(slot(i), v);
        ptrmask[i >>> 6] &= ~(1L << i);
    }

    /** The byte at {@code offset} in the frame (from slot 0), for local arrays. */
    public byte getByte(long offset) {
        return stack.arena().getByte(bytePos(offset));
    }

    /** Stores a byte at {@code offset} in the frame; the slot holding it becomes a scalar. */
    public void putByte(long offset, byte v) {
        long addr = bytePos(offset);
        int i = (int) (offset >>> 3);
        ptrmask[i >>> 6] &= ~(1L << i);
        stack.arena().putByte(addr, v);
    }

    /** Whether slot {@code i} holds a pointer. */
    public boolean isPointer(int i) {
        slot(i);
        return (ptrmask[i >>> 6] & (1L << i)) != 0;
    }

    /** Pops the frame; it must be the innermost open frame of its stack. */
    @Override
    public void close() {
        if (popped) {
            throw new IllegalStateException(this + " is already popped");
        }
        stack.pop(this);
        popped = true;
    }

    void scan(LongConsumer root) {
        long base = stack.hi - off;
        for (int w = 0; w < ptrmask.length; w++) {
            for (long bits = ptrmask[w]; bits != 0; bits &= bits - 1) {
                long p = stack.arena().getLong(base + 8L * (w * 64 + Long.numberOfTrailingZeros(bits)));
                if (p != 0) {
                    root.accept(p);
                }
            }
        }
    }

    private long slot(int i) {
        if (popped) {
            throw new IllegalStateException(this + " is used after it was popped");
        }
        if (i < 0 || i >= nslots) {
            throw new IndexOutOfBoundsException("slot " + i + " of a frame of " + nslots + " slots");
        }
        return stack.hi - off + 8L * i;
    }

    private long bytePos(long offset) {
        if (popped) {
            throw new IllegalStateException(this + " is used after it was popped");
        }
        if (offset < 0 || offset >= 8L * nslots) {
            throw new IndexOutOfBoundsException("byte " + offset + " of a frame of " + 8L * nslots + " bytes");
        }
        return stack.hi - off + offset;
    }

    @Override
    public String toString() {
        return "frame[" + nslots + " slots at hi-" + off + "]";
    }
}
