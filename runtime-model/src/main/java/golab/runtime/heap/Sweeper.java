package golab.runtime.heap;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sweeping: Go's mgcsweep.go, the part that works on spans. After a cycle's mark phase the collector
 * advances {@link MHeap#sweepgen} by 2, which turns every span into an unswept one at no cost (see
 * {@link MCentral}); spans are then swept one at a time by whoever gets to them first:
 * <ul>
 *   <li>an mcache refill that needs a span of that class ({@link MCentral#cacheSpan});</li>
 *   <li>proportional sweeping on allocation ({@link #deductSweepCredit}), paced so that every span is swept
 *       before the heap reaches the next GC trigger;</li>
 *   <li>the background sweeper goroutine ({@link #sweepone} in a loop);</li>
 *   <li>the next cycle's sweep termination, with the world stopped ({@link #finishSweep}).</li>
 * </ul>
 * Sweeping a span makes its mark bits the new allocation bits: unmarked slots become free, an empty
 * small span and an unmarked large object's span go back to the page heap.
 *
 * <p>Invariants: a span is swept by exactly one thread, the one that won {@link Span#claimForSweep}
 * ({@code h-2 -> h-1}); marking and sweeping never overlap, because a cycle starts by finishing the sweep
 * with the world stopped.
 */
public final class Sweeper {

    private final MHeap heap;
    /** Go's sweep.centralIndex: the next (span class, partial/full) set sweepone looks at. */
    private final AtomicInteger centralIndex = new AtomicInteger();
    /** Sweeps in progress (Go's sweep.active count), so a finished sweep is not declared too early. */
    private final AtomicInteger activeSweepers = new AtomicInteger();
    /** No unswept span is left in any set (Go's sweepDrainedMask). */
    private volatile boolean drained = true;

    /** Pages swept this cycle (Go's mheap.pagesSwept). */
    private final AtomicLong pagesSwept = new AtomicLong();
    /** Proportional sweep: pages to sweep per byte of heap growth, and its basis (Go's mheap fields). */
    private volatile double sweepPagesPerByte;
    private volatile long pagesSweptBasis;
    private volatile long sweepHeapLiveBasis;

    Sweeper(MHeap heap) {
        this.heap = heap;
    }

    /**
     * A new sweep begins: the collector has just advanced sweepgen with the world stopped (gcSweep's reset
     * of the sweep state).
     */
    public void startCycle() {
        centralIndex.set(0);
        pagesSwept.set(0);
        drained = false;
    }

    /**
     * Go's gcPaceSweeper result: sweep {@code pagesPerByte} pages per byte the heap grows beyond
     * {@code heapLiveBasis}; 0 turns proportional sweeping off.
     */
    public void pace(double pagesPerByte, long heapLiveBasis) {
        pagesSweptBasis = pagesSwept.get();
        sweepHeapLiveBasis = heapLiveBasis;
        sweepPagesPerByte = pagesPerByte;
    }

    /** Pages swept since the current sweep began. */
    public long pagesSwept() {
        return pagesSwept.get();
    }

    /** Go's isSweepDone: every span of the current cycle is swept. */
    public boolean isSweepDone() {
        return drained && activeSweepers.get() == 0;
    }

    /**
     * Go's sweepone: sweeps one unswept span and returns its pages, or -1 when none is left (the sweep is
     * then drained).
     */
    public long sweepone() {
        // Go's sweepLocker.begin: once drained, no span is left until the next cycle's startCycle, so answer at
        // once rather than look through every mcentral again (sweep termination calls this with the world stopped).
        if (drained) {
            return -1;
        }
        activeSweepers.incrementAndGet();
        try {
            int sg = heap.sweepgen;
            Span s;
            while ((s = nextSpanForSweep()) != null) {
                if (s.claimForSweep(sg)) {
                    int npages = s.npages; // read first: a span the sweep frees may be reused at once
                    sweep(s, false);
                    return npages;
                }
            }
            drained = true;
            return -1;
        } finally {
            activeSweepers.decrementAndGet();
        }
    }

    /** Sweeps every remaining span (finishsweep_m, with the world stopped; also runtime.GC's final sweep). */
    public void finishSweep() {
        while (sweepone() != -1) {
            // keep going
        }
    }

    /**
     * Go's deductSweepCredit: before a span of {@code spanBytes} is taken, sweep enough pages that the
     * whole heap is swept by the time heapLive reaches the next trigger.
     */
    void deductSweepCredit(long spanBytes) {
        if (sweepPagesPerByte == 0) {
            return;
        }
        while (true) {
            long sweptBasis = pagesSweptBasis;
            long live = heap.gcController.heapLive();
            long liveBasis = sweepHeapLiveBasis;
            long newHeapLive = spanBytes + Math.max(0, live - liveBasis);
            long pagesTarget = (long) (sweepPagesPerByte * newHeapLive);
            boolean rebased = false;
            while (pagesTarget > pagesSwept.get() - sweptBasis) {
                if (sweepone() == -1) {
                    sweepPagesPerByte = 0;
                    return;
                }
                if (pagesSweptBasis != sweptBasis) {
                    rebased = true; // a new cycle re-paced the sweep: recompute against the new basis
                    break;
                }
            }
            if (!rebased) {
                return;
            }
        }
    }

    /**
     * Go's sweepLocked.sweep: {@code s} was claimed ({@code sweepgen == h-1}); its mark bits become its
     * allocation bits. With {@code preserve} the caller (an mcache refill) keeps the span; otherwise it is
     * filed in its mcentral's swept sets or, if empty, freed to the page heap, and the caller must not touch
     * it again.
     */
    void sweep(Span s, boolean preserve) {
        activeSweepers.incrementAndGet();
        try {
            int sizeclass = SpanClass.sizeclass(s.spanclass);
            int nalloc = 0;
            for (long w : s.gcmarkBits) {
                nalloc += Long.bitCount(w);
            }
            int nfreed = s.allocCount - nalloc;
            if (nfreed < 0) {
                throw new IllegalStateException("sweep increased allocation count: " + s + " has " + nalloc
                        + " marked slots but " + s.allocCount + " allocated");
            }
            if (heap.debug && nfreed > 0) {
                clobberFreed(s);
            }
            s.allocCount = nalloc;
            s.installSweptBits();
            s.allocCountBeforeCache = 0;
            if (s.nelems > 0) {
                s.refillAllocCache(0);
            }
            if (nfreed > 0 && sizeclass != 0) {
                s.needzero = true;
            }
            s.sweepgen = heap.sweepgen;
            pagesSwept.addAndGet(s.npages);
            if (sizeclass != 0) {
                heap.stats().addSmallFrees(sizeclass, nfreed);
                if (!preserve) {
                    if (nalloc == 0) {
                        heap.freeSpan(s);
                    } else {
                        heap.central(s.spanclass).file(s);
                    }
                }
            } else if (nfreed > 0) {
                heap.freeSpan(s);
            } else {
                heap.central(s.spanclass).file(s);
            }
        } finally {
            activeSweepers.decrementAndGet();
        }
    }

    /** Debug mode (Go's clobberfree): fills every slot this sweep frees with the poison pattern. */
    private void clobberFreed(Span s) {
        for (int i = 0; i < s.nelems; i++) {
            boolean wasAllocated = i < s.freeindex || (s.allocBits[i >>> 6] & (1L << i)) != 0;
            if (wasAllocated && (s.gcmarkBits[i >>> 6] & (1L << i)) == 0) {
                heap.arena().fill(s.startAddr + i * s.elemsize, s.elemsize, MHeap.POISON);
            }
        }
    }

    /** Go's nextSpanForSweep: an unswept span from the mcentrals, class by class, partial before full. */
    private Span nextSpanForSweep() {
        int n = SpanClass.NUM_SPAN_CLASSES * 2;
        for (int sc = centralIndex.get(); sc < n; sc++) {
            Span s = heap.central(sc >>> 1).popUnswept((sc & 1) == 1);
            if (s != null) {
                centralIndex.accumulateAndGet(sc, Math::max);
                return s;
            }
        }
        return null;
    }
}
