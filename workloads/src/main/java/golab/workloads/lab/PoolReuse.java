package golab.workloads.lab;

import golab.runtime.heap.Heap;
import golab.runtime.heap.Ref;
import golab.runtime.sync.Pool;
import org.openjdk.jmh.annotations.Param;

/**
 * The request server with its per-request buffers taken from a {@link Pool} instead of allocated: what sync.Pool
 * buys a Go service (the seed note's "sync.Pool reduces GC pressure").
 *
 * <p>With {@code buffers=pool} a request takes a buffer from the pool (the P's private slot, its shared chain,
 * another P's, the victim cache, else a fresh allocation) and puts it back when done; with {@code allocate} it
 * allocates, exactly as {@link RequestServer}. Compare the two trials' {@code metrics.json}
 * ({@code /gc/cycles/total:gc-cycles}, {@code /gc/heap/allocs:bytes}, the GC CPU classes) and their
 * {@code latency.hlog} tails at the same rate. The pool is emptied into its victim cache at every cycle and the
 * victims dropped at the next, as Go's, so a pool only helps between cycles.
 */
public class PoolReuse extends RequestServer {

    /** {@code pool}: buffers from a sync.Pool; {@code allocate}: a fresh buffer per request. */
    @Param({"pool", "allocate"})
    public String buffers;

    private Pool<Ref> pool;

    @Override
    protected void setUpTrial() {
        if (!buffers.equals("pool") && !buffers.equals("allocate")) {
            throw new IllegalArgumentException("buffers=" + buffers + ": allowed values are pool and allocate");
        }
        int size = bufferBytes;
        pool = new Pool<>(() -> new Ref(Heap.allocBytes(size)));
        super.setUpTrial();
    }

    @Override
    protected long acquireBuffer(int size) {
        return buffers.equals("pool") ? pool.get().addr() : super.acquireBuffer(size);
    }

    @Override
    protected void releaseBuffer(long buffer) {
        if (buffers.equals("pool")) {
            pool.put(new Ref(buffer));
        }
    }
}
