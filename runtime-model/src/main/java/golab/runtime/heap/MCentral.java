package golab.runtime.heap;

import golab.runtime.sched.RuntimeLock;
import java.util.ArrayDeque;

/**
 * The spans of one span class that no mcache holds: Go's {@code mcentral} (mcentral.go).
 *
 * <p>Go keeps four span sets, partial/full × swept/unswept, and swaps the swept and unswept roles each GC
 * by indexing them with {@code sweepgen/2 % 2}. Until the sweeper exists every span here is swept, so this
 * keeps the two swept sets: {@link #partial} (has free slots) and {@link #full}. {@link #cacheSpan} pops a
 * partial span or grows a fresh one from the heap; {@link #uncacheSpan} files a span by whether it still
 * has free slots. Go's spanSets are lock-free; these are FIFO queues under one short lock, never held
 * while the heap lock is taken.
 */
final class MCentral {

    final int spanclass;
    private final MHeap heap;
    private final RuntimeLock lock = new RuntimeLock();
    /** Swept spans with at least one free slot; guarded by {@link #lock}. */
    final ArrayDeque<Span> partial = new ArrayDeque<>();
    /** Swept spans with no free slot; guarded by {@link #lock}. */
    final ArrayDeque<Span> full = new ArrayDeque<>();

    MCentral(int spanclass, MHeap heap) {
        this.spanclass = spanclass;
        this.heap = heap;
    }

    /** Go's cacheSpan: a span with a free slot for an mcache, its allocCache pointed at freeindex. */
    Span cacheSpan() {
        lock.lock();
        Span s;
        try {
            s = partial.poll();
        } finally {
            lock.unlock();
        }
        if (s == null) {
            s = grow();
        }
        s.initAllocCache();
        return s;
    }

    /** Go's uncacheSpan: takes back a span from an mcache, marking it swept. */
    void uncacheSpan(Span s) {
        s.sweepgen = heap.sweepgen;
        lock.lock();
        try {
            if (s.nelems - s.allocCount > 0) {
                partial.add(s);
            } else {
                full.add(s);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Go's mcentral.grow: a fresh span of class_to_allocnpages pages from the heap. */
    private Span grow() {
        int sizeclass = SpanClass.sizeclass(spanclass);
        return heap.alloc(SizeClasses.classToAllocNPages(sizeclass), spanclass, SizeClasses.classToSize(sizeclass),
                SizeClasses.classToObjects(sizeclass));
    }
}
