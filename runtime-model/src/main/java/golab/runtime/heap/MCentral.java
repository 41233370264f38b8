package golab.runtime.heap;

import golab.runtime.sched.RuntimeLock;
import java.util.ArrayDeque;

/**
 * The spans of one span class that no mcache holds: Go's {@code mcentral} (mcentral.go).
 *
 * <p>Go's four span sets, partial/full × swept/unswept: which physical set is "swept" flips every GC
 * cycle, because it is indexed by {@code sweepgen/2 % 2} and {@link MHeap#sweepgen} grows by 2 per cycle.
 * So when a cycle ends, every span filed as swept is at once unswept, with no span moved. Large-object
 * spans (size class 0) live in the full sets of their class so the sweeper finds them.
 *
 * <p>{@link #cacheSpan} looks, in Go's order, for a swept span with free slots, then sweeps unswept
 * partial spans, then unswept full ones (which may have freed slots), and finally grows a fresh span;
 * {@link #uncacheSpan} files a span coming back from an mcache. Go's spanSets are lock-free; these are
 * FIFO queues under one short lock, never held while a span is swept or the heap lock is taken. Popping a
 * span from a set gives the popper exclusive ownership of it.
 */
final class MCentral {

    /** Go's spanBudget: how many unswept spans cacheSpan sweeps before it gives up and grows. */
    private static final int SPAN_BUDGET = 100;

    final int spanclass;
    private final MHeap heap;
    private final RuntimeLock lock = new RuntimeLock();
    /** Spans with free slots, by {@code sweepgen/2 % 2}; guarded by {@link #lock}. */
    @SuppressWarnings("unchecked")
    private final ArrayDeque<Span>[] partial = new ArrayDeque[] {new ArrayDeque<Span>(), new ArrayDeque<Span>()};
    /** Spans without free slots, by {@code sweepgen/2 % 2}; guarded by {@link #lock}. */
    @SuppressWarnings("unchecked")
    private final ArrayDeque<Span>[] full = new ArrayDeque[] {new ArrayDeque<Span>(), new ArrayDeque<Span>()};

    MCentral(int spanclass, MHeap heap) {
        this.spanclass = spanclass;
        this.heap = heap;
    }

    /** Go's cacheSpan: a span with a free slot for an mcache, its allocCache pointed at freeindex. */
    Span cacheSpan() {
        int spanBytes = SizeClasses.classToAllocNPages(SpanClass.sizeclass(spanclass)) * SizeClasses.PAGE_SIZE;
        heap.sweeper.deductSweepCredit(spanBytes);
        int sg = heap.sweepgen;
        Span s = pop(partialSwept(sg));
        if (s != null) {
            s.initAllocCache();
            return s;
        }
        for (int budget = SPAN_BUDGET; budget > 0; budget--) {
            s = pop(partialUnswept(sg));
            if (s == null) {
                break;
            }
            if (s.claimForSweep(sg)) {
                heap.sweeper.sweep(s, true);
                s.initAllocCache();
                return s;
            }
        }
        for (int budget = SPAN_BUDGET; budget > 0; budget--) {
            s = pop(fullUnswept(sg));
            if (s == null) {
                break;
            }
            if (s.claimForSweep(sg)) {
                heap.sweeper.sweep(s, true);
                int freeIndex = s.nextFreeIndex();
                if (freeIndex != s.nelems) {
                    s.freeindex = freeIndex;
                    s.initAllocCache();
                    return s;
                }
                push(fullSwept(sg), s);
            }
        }
        s = grow();
        s.initAllocCache();
        return s;
    }

    /**
     * Go's uncacheSpan: takes back a span from an mcache. A span cached before the current sweep began
     * ({@code sweepgen == h+1}) is swept now; any other is filed as swept by whether it has free slots.
     */
    void uncacheSpan(Span s) {
        int sg = heap.sweepgen;
        if (s.sweepgen == sg + 1) {
            s.sweepgen = sg - 1;
            heap.sweeper.sweep(s, false);
            return;
        }
        s.sweepgen = sg;
        file(s);
    }

    /** Files a swept span in the swept set it belongs to. */
    void file(Span s) {
        int sg = heap.sweepgen;
        push(s.allocCount == s.nelems ? fullSwept(sg) : partialSwept(sg), s);
    }

    /** For the sweeper: an unswept span of this class, partial ones first, or null (nextSpanForSweep). */
    Span popUnswept(boolean fullSet) {
        int sg = heap.sweepgen;
        return pop(fullSet ? fullUnswept(sg) : partialUnswept(sg));
    }

    ArrayDeque<Span> partialSwept(int sg) {
        return partial[(sg >>> 1) & 1];
    }

    ArrayDeque<Span> partialUnswept(int sg) {
        return partial[1 - ((sg >>> 1) & 1)];
    }

    ArrayDeque<Span> fullSwept(int sg) {
        return full[(sg >>> 1) & 1];
    }

    ArrayDeque<Span> fullUnswept(int sg) {
        return full[1 - ((sg >>> 1) & 1)];
    }

    private Span pop(ArrayDeque<Span> set) {
        lock.lock();
        try {
            return set.poll();
        } finally {
            lock.unlock();
        }
    }

    private void push(ArrayDeque<Span> set, Span s) {
        lock.lock();
        try {
            set.add(s);
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
