package golab.workloads.chan;

import golab.workloads.SideBySide;
import golab.runtime.Go;
import golab.runtime.chan.Chan;
import golab.runtime.sync.WaitGroup;
import golab.workloads.GolabServer;
import golab.workloads.VirtualThreads;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Throughput of a buffered channel: producers and consumers decoupled by a ring of
 * {@value #CAPACITY} slots, the shape of a Go work queue or pipeline stage.
 *
 * <p>{@code pairs} producers and {@code pairs} consumers share <em>one</em> channel. Together the producers
 * send {@value #ELEMENTS} values; each consumer receives exactly {@code ELEMENTS / pairs} of them (whichever
 * ones it gets), so everyone stops without a {@code close} and the two sides do identical work. The score
 * is wall time per element: one send plus one receive, amortised. {@code pairs = 1} is the classic
 * 1 → 1 pipeline; {@code pairs = 4} puts eight tasks on one channel lock, so it also measures contention
 * (with one P, only the queueing: a task runs until it blocks, nobody else touches the lock meanwhile).
 * With two Ps the lock is contended as in Go: the runtime mutex (lock_futex.go's) spins, yields, then
 * sleeps until an unlock wakes it.
 *
 * <ul>
 * <li>{@code golabBuffered}: {@link Chan#make(int) Chan.make(128)}. While the buffer is neither full nor
 *     empty, a send or receive is: lock, copy into or out of the ring, unlock, with no scheduler involved.
 *     When a producer finds it full it queues a sudog and parks; the next receive takes the buffer head,
 *     moves the parked sender's value to the tail and readies the sender (chan.go's {@code recv}), so a
 *     full channel hands off one value per wake-up. With one P, a producer fills all 128 slots, parks,
 *     the consumer drains them (readying the producer into runnext once), parks on the empty channel, and
 *     so on: about two switches per 128 elements.</li>
 * <li>{@code virtualThreadsBuffered}: virtual threads and one {@link ArrayBlockingQueue} of the same
 *     capacity: a ring under one {@code ReentrantLock} with {@code notEmpty}/{@code notFull} conditions,
 *     the closest JDK structure to {@code hchan}. A blocked {@code put}/{@code take} awaits its condition
 *     (parks the virtual thread); each operation that changes emptiness or fullness signals one waiter.</li>
 * </ul>
 *
 * <p>Values are preallocated {@code Integer}s, so no side allocates per element (Go's would copy an
 * {@code int}). Consumers sum what they receive and the invocation checks the total: a lost or duplicated
 * element fails the benchmark. As elsewhere each invocation runs inside a "main" of its own kind
 * ({@link GolabServer}, a main virtual thread), amortised over {@value #ELEMENTS} elements.
 *
 * <p>{@code gomaxprocs}: golab's Ps and the virtual-thread scheduler's parallelism (per trial, see
 * {@link VirtualThreads}).
 *
 * <p><b>Go, in the same run.</b> {@code golab bench} (with Go on the PATH) runs the Go twin,
 * {@code BenchmarkBufferedChan/pairs=N} in {@code workloads/go/micro} (same capacity, same sharing, ns per
 * element), after JMH at the same gomaxprocs values, and {@code golab show} prints golab / Go. (For context only,
 * Go 1.23.5's own benchmarks, shared/reference/go-runtime.md §12: {@code BenchmarkChanUncontended} ≈ 9 ns per
 * buffered send or receive with no blocking; {@code BenchmarkChanProdCons0} 179 ns per element through an
 * <em>unbuffered</em> channel.)
 */
public class BufferedChanBench extends SideBySide {

    static final int ELEMENTS = 200_000;
    static final int CAPACITY = 128;

    /** Preallocated values; element {@code i} of a producer is {@code VALUES[i & 1023]}. */
    private static final Integer[] VALUES = new Integer[1024];

    static {
        for (int i = 0; i < VALUES.length; i++) {
            VALUES[i] = Integer.valueOf(i); // cached or not, allocated once here
        }
    }

    @Param({"1", "4"})
    public int pairs;

    private long expectedSum;
    private final AtomicLong sum = new AtomicLong();

    @Setup(Level.Trial)
    public void setup() {
        if (ELEMENTS % pairs != 0) {
            throw new IllegalArgumentException("pairs=" + pairs + " must divide " + ELEMENTS);
        }
        long perProducer = 0;
        for (int i = 0; i < ELEMENTS / pairs; i++) {
            perProducer += VALUES[i & 1023];
        }
        expectedSum = perProducer * pairs;
    }

    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public void golabBuffered() {
        int share = ELEMENTS / pairs;
        sum.set(0);
        golab.call(() -> {
            Chan<Integer> c = Chan.make(CAPACITY);
            WaitGroup wg = new WaitGroup();
            wg.add(2 * pairs);
            for (int p = 0; p < pairs; p++) {
                Go.go(() -> {
                    long s = 0;
                    for (int i = 0; i < share; i++) {
                        s += c.recv();
                    }
                    sum.addAndGet(s);
                    wg.done();
                });
                Go.go(() -> {
                    for (int i = 0; i < share; i++) {
                        c.send(VALUES[i & 1023]);
                    }
                    wg.done();
                });
            }
            wg.await();
        });
        check();
    }

    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public void virtualThreadsBuffered() {
        int share = ELEMENTS / pairs;
        sum.set(0);
        VirtualThreads.runInVirtualThread(() -> {
            ArrayBlockingQueue<Integer> q = new ArrayBlockingQueue<>(CAPACITY);
            VirtualTasks tasks = new VirtualTasks();
            for (int p = 0; p < pairs; p++) {
                tasks.go(() -> {
                    long s = 0;
                    for (int i = 0; i < share; i++) {
                        s += q.take();
                    }
                    sum.addAndGet(s);
                });
                tasks.go(() -> {
                    for (int i = 0; i < share; i++) {
                        q.put(VALUES[i & 1023]);
                    }
                });
            }
            tasks.await();
        });
        check();
    }

    private void check() {
        if (sum.get() != expectedSum) {
            throw new IllegalStateException("consumers received a sum of " + sum.get() + ", producers sent " + expectedSum);
        }
    }
}
