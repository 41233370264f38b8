package golab.workloads.chan;

import golab.workloads.SideBySide;
import golab.runtime.Go;
import golab.runtime.sync.Pool;
import golab.runtime.sync.WaitGroup;
import golab.workloads.GolabServer;
import golab.workloads.VirtualThreads;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The note's "use sync.Pool and reuse buffers", first half: what one {@code Get} + {@code Put} of a pooled
 * buffer costs next to allocating a fresh one. (The second half, what the pool saves the garbage
 * collector, needs golab's model heap and belongs to the GC workloads; here the fresh buffers are ordinary
 * JVM arrays.)
 *
 * <p>One worker per P ({@code gomaxprocs} of them, like Go's {@code b.RunParallel}) performs its share of
 * {@value #OPS} operations; the score is wall time per operation, so with two Ps it is the machine's
 * throughput, two operations possibly at once. The loops poll no safepoint ({@link Go#checkpoint()}):
 * each worker has a P of its own for a few milliseconds and nothing waits for it to yield.
 *
 * <ul>
 * <li>{@code golabPool}: {@link Pool Pool&lt;byte[]&gt;} {@code Get}, hand the buffer to a Blackhole,
 *     {@code Put} it back. In the steady state both hit the P's {@code private} slot (pool.go's
 *     {@code poolLocal.private}): read the P id, index the per-P array, read and clear (or set) one field.
 *     No lock, no atomic, no other P involved: that is why the pool is per P.</li>
 * <li>{@code golabAllocate}: the same worker goroutines allocate {@code new byte[4096]} and hand it to a
 *     Blackhole: a TLAB bump, 4 KiB of zeroing, and the young-generation collections the JVM's GC then
 *     does (this is a JVM allocation, not golab's model heap).</li>
 * <li>{@code virtualThreadsAllocate}: the same allocation loop on {@code gomaxprocs} virtual threads; it
 *     should match {@code golabAllocate}, the difference being only the scheduler around the loop.</li>
 * </ul>
 *
 * <p><b>No virtual-thread pool.</b> The JDK has no per-carrier object cache: a {@code ThreadLocal} in a
 * virtual thread belongs to the virtual thread, not to the carrier (so it caches per task, which is a
 * different design), and a shared {@code ConcurrentLinkedQueue} of buffers is a global lock-free queue
 * with CAS traffic between cores, which is what sync.Pool's per-P design avoids. Neither is the same
 * mechanism, so there is no {@code virtualThreadsPool}.
 *
 * <p>{@code gomaxprocs}: golab's Ps and the virtual-thread scheduler's parallelism (per trial, see
 * {@link VirtualThreads}). As elsewhere each invocation runs inside a "main" of its own kind
 * ({@link GolabServer}, a main virtual thread).
 *
 * <p>The fork's heap is fixed and pre-touched ({@code -Xms1g -Xmx1g -XX:+AlwaysPreTouch}). Without that,
 * the allocating loops (about 20 GB/s) first grow the JVM heap into memory the kernel has never mapped,
 * and every first touch of a page is a page fault, which is slow on this VM: the first 4 to 5 seconds
 * of each fork measured 2–30 µs per 4 KiB allocation with no GC at all, then ~200 ns once the heap had
 * stopped growing (golab and virtual threads alike). Pre-touching pays those faults before the first
 * iteration, so the score is allocation and collection, not the VM's paging.
 *
 * <p><b>Go, in the same run.</b> {@code golab bench} (with Go on the PATH) runs the Go twins in
 * {@code workloads/go/micro} after JMH at the same gomaxprocs values: {@code BenchmarkPoolGetPut} (sync.Pool of
 * {@code *[4096]byte}, one worker per P, ns per Get + Put) and {@code BenchmarkPoolAllocate} (a fresh 4 KiB buffer
 * per op on Go's heap, so Go's collector pays for it as the JVM's does here); {@code golab show} prints golab / Go.
 * (For context only: Go 1.19 measured 13 ns per Get + Put here once, against which the lab set golab's target at
 * under 30 ns, about 2.3 × Go.)
 */
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
    "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class PoolBench extends SideBySide {

    static final int OPS = 200_000;
    static final int SIZE = 4096;

    /** One pool for the trial, as a Go program keeps its pools in package variables. */
    private Pool<byte[]> pool;

    @Setup(Level.Trial)
    public void setup() {
        pool = new Pool<>(() -> new byte[SIZE]);
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void golabPool(Blackhole bh) {
        Pool<byte[]> p = pool;
        onEachP(() -> {
            for (int i = 0; i < OPS / gomaxprocs; i++) {
                byte[] b = p.get();
                if (b.length != SIZE) {
                    throw new IllegalStateException("pool returned a buffer of " + b.length + " bytes");
                }
                bh.consume(b);
                p.put(b);
            }
        });
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void golabAllocate(Blackhole bh) {
        onEachP(() -> allocate(bh, OPS / gomaxprocs));
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void virtualThreadsAllocate(Blackhole bh) {
        VirtualThreads.runInVirtualThread(() -> {
            VirtualTasks tasks = new VirtualTasks();
            for (int w = 0; w < gomaxprocs; w++) {
                tasks.go(() -> allocate(bh, OPS / gomaxprocs));
            }
            tasks.await();
        });
    }

    /** Runs {@code gomaxprocs} copies of {@code worker} as goroutines and waits for them. */
    private void onEachP(Runnable worker) {
        int workers = gomaxprocs;
        golab.call(() -> {
            WaitGroup wg = new WaitGroup();
            wg.add(workers);
            for (int w = 0; w < workers; w++) {
                Go.go(() -> {
                    worker.run();
                    wg.done();
                });
            }
            wg.await();
        });
    }

    private static void allocate(Blackhole bh, int n) {
        for (int i = 0; i < n; i++) {
            bh.consume(new byte[SIZE]);
        }
    }
}
