package golab.runtime.gc;

import golab.runtime.heap.Span;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A P's grey-object queue: Go's {@code gcWork} (mgcwork.go). Two buffers give hysteresis: {@link #put}
 * fills {@code wbuf1}, swaps with {@code wbuf2} when full, and only when both are full publishes one to
 * the shared {@link WorkLists}; {@link #tryGet} drains in the same order and only then takes a shared
 * buffer. It also counts the marking the P has done since the counts were last flushed.
 *
 * <p>Ownership: used only by whoever runs on its P (a mark worker, an assist, the write barrier's flush),
 * or by the collector with the P stopped (forEachP, stop-the-world). Invariant: {@code wbuf1} and
 * {@code wbuf2} are both null (never used or disposed) or both non-null.
 */
final class GcWork {

    private final WorkLists lists;
    /** Told each time a buffer goes to the shared list (Go's gcController.enlistWorker, via the marker). */
    private final Runnable enlistWorker;
    /** The cycle's marked bytes of every P, to which {@link #dispose} adds this P's (Go's work.bytesMarked). */
    private final AtomicLong bytesMarkedTotal;
    private Workbuf wbuf1;
    private Workbuf wbuf2;
    /** Bytes of objects this P marked (Go's gcw.bytesMarked). */
    long bytesMarked;
    /** Heap scan work not yet flushed to the pacer (Go's gcw.heapScanWork). */
    long heapScanWork;
    /** A buffer went to the shared list since the last ragged barrier (Go's gcw.flushedWork). */
    boolean flushedWork;
    /** The grey objects {@link Marker}'s batched scan has taken. */
    final long[] batchGreys = new long[Marker.SCAN_BATCH];
    /** Where the batched scan leaves the sum of its early loads, so that the JIT keeps them. */
    long touched;
    /** The pointer words {@link Marker}'s batched scan has loaded and not yet shaded. */
    final long[] batchWords = new long[Marker.SCAN_BATCH * Marker.BATCH_WORDS];
    /**
     * The nonzero pointers {@link Marker#scanobject} has loaded and not yet shaded; apart from {@link #batchWords}
     * because a batched scan hands large objects to scanobject while its own words wait.
     */
    final long[] objectWords = new long[Marker.SCAN_BATCH * Marker.BATCH_WORDS];
    /** Scratch for {@link Marker}'s shading: the spans and slots of targets found unmarked, to be marked next. */
    final Span[] batchSpans = new Span[Marker.SHADE_MAX];
    final int[] batchSlots = new int[Marker.SHADE_MAX];

    GcWork(WorkLists lists, AtomicLong bytesMarkedTotal, Runnable enlistWorker) {
        this.lists = lists;
        this.enlistWorker = enlistWorker;
        this.bytesMarkedTotal = bytesMarkedTotal;
    }

    private void init() {
        wbuf1 = lists.getEmpty();
        wbuf2 = lists.getEmpty();
    }

    /**
     * Queues grey object {@code obj} (Go's put). Publishing a full buffer enlists a worker, after the put so
     * that this gcWork is consistent if enlisting reaches it.
     */
    void put(long obj) {
        if (wbuf1 == null) {
            init();
        }
        boolean flushed = false;
        Workbuf w = wbuf1;
        if (w.isFull()) {
            wbuf1 = wbuf2;
            wbuf2 = w;
            w = wbuf1;
            if (w.isFull()) {
                lists.putFull(w);
                flushedWork = true;
                w = wbuf1 = lists.getEmpty();
                flushed = true;
            }
        }
        w.obj[w.nobj++] = obj;
        if (flushed) {
            enlistWorker.run();
        }
    }

    /** A grey object to scan, or 0 when this P and the shared list have none (Go's tryGet). */
    long tryGet() {
        Workbuf w = wbuf1;
        if (w == null) {
            init();
            w = wbuf1;
        }
        if (w.isEmpty()) {
            wbuf1 = wbuf2;
            wbuf2 = w;
            w = wbuf1;
            if (w.isEmpty()) {
                Workbuf shared = lists.tryGetFull();
                if (shared == null) {
                    return 0;
                }
                lists.putEmpty(wbuf1);
                w = wbuf1 = shared;
            }
        }
        return w.obj[--w.nobj];
    }

    /**
     * Go's balance: when the shared list is empty, publish some of this P's work so idle workers can help —
     * all of wbuf2 if it has any, else half of wbuf1 if it holds more than 4 objects — and enlist a worker.
     */
    void balance() {
        if (wbuf1 == null) {
            return;
        }
        if (!wbuf2.isEmpty()) {
            lists.putFull(wbuf2);
            wbuf2 = lists.getEmpty();
            flushedWork = true;
        } else if (wbuf1.nobj > 4) {
            Workbuf half = lists.getEmpty();
            int n = wbuf1.nobj / 2;
            System.arraycopy(wbuf1.obj, wbuf1.nobj - n, half.obj, 0, n);
            half.nobj = n;
            wbuf1.nobj -= n;
            lists.putFull(half);
            flushedWork = true;
        } else {
            return;
        }
        enlistWorker.run();
    }

    /** Whether this P holds no grey object. */
    boolean isEmpty() {
        return wbuf1 == null || (wbuf1.isEmpty() && wbuf2.isEmpty());
    }

    /**
     * Go's dispose: publishes every grey object this P holds to the shared list, drops the buffers and adds the
     * bytes this P marked to the cycle's total.
     */
    void dispose() {
        if (bytesMarked != 0) {
            bytesMarkedTotal.addAndGet(bytesMarked);
            bytesMarked = 0;
        }
        if (wbuf1 != null) {
            for (Workbuf w : new Workbuf[] {wbuf1, wbuf2}) {
                if (w.isEmpty()) {
                    lists.putEmpty(w);
                } else {
                    lists.putFull(w);
                    flushedWork = true;
                }
            }
            wbuf1 = wbuf2 = null;
        }
    }
}
