package golab.workloads.sched;

import golab.workloads.VirtualThreads;
import golab.runtime.Go;
import golab.runtime.GoConfig;
import golab.runtime.GoRuntime;
import golab.runtime.sched.G;
import golab.runtime.sched.Park;
import golab.runtime.sched.WaitReason;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a blocked goroutine costs in memory: park a million of them and weigh the heap.
 *
 * <p>Go's answer is the reason "a million goroutines" is an everyday sentence: a parked goroutine is a
 * {@code g} struct plus a 2 KiB stack, about 2.7 KB measured with Go 1.19 on this machine. golab's
 * goroutine is a {@code G} plus a {@code jdk.internal.vm.Continuation} whose frames, once it has yielded,
 * live in a heap {@code StackChunk} sized to the frames actually on the stack, so the JVM heap is where its
 * cost shows. The target: golab ≤ 1.25 × Go = 3375 bytes per parked goroutine.
 *
 * <h2>How it is measured, and why this way</h2>
 * <ol>
 * <li>{@code @Setup(Invocation)}: force GCs until heap-used settles, read {@link MemoryMXBean} heap used:
 *     the baseline.</li>
 * <li>The benchmark method (the SingleShotTime score, "time to get them all parked"): spawn the tasks,
 *     each of which parks forever, and return once every one is really parked.
 *     <ul>
 *     <li>golab: a fresh {@link GoRuntime#run} per invocation (on a helper thread); main spawns
 *         {@value #N} goroutines that each {@link Park#gopark} with a commit that counts the park and
 *         returns true, wait reason {@code select (no cases)}: they are {@code select {}}. Nothing can
 *         ever ready them; main waits (sleeping in 1 ms steps) until the count reaches {@value #N}, then
 *         blocks in {@link Go#syscall} until released. The commit runs after the goroutine has yielded, so
 *         the count means "frozen and off the M".</li>
 *     <li>virtual threads: {@value #N} {@code Thread.ofVirtual()} threads that {@code LockSupport.park()};
 *         "parked" is checked with {@code Thread.getState() == WAITING} for every thread.</li>
 *     <li>platform threads: {@value #PLATFORM_N} (a million would need a million kernel threads), same
 *         code.</li>
 *     </ul></li>
 * <li>{@code @TearDown(Invocation)}: force GCs again, read heap used, and publish
 *     {@code (used - baseline) / count} as the {@code bytesPerParked} auxiliary counter; then release
 *     everything (golab: main returns and the run abandons its goroutines, as Go's exit does; the JVM
 *     threads are unparked and joined).</li>
 * </ol>
 * Heap-used after a full GC is the retained size of everything the parked tasks keep alive: goroutine /
 * thread objects, continuations and their stack chunks, the task lambdas, the runtime's tables (golab's
 * {@code allgs}, run queues) and this benchmark's own bookkeeping (one array slot per JVM thread, an
 * {@code AtomicInteger} for golab), which is a few bytes and counted against each side. It is not
 * allocation ({@code -prof gc}'s {@code gc.alloc.rate.norm} counts garbage too), and it is not RSS, which
 * for a JVM mostly reflects heap sizing policy.
 *
 * <p><b>When golab gets model stacks.</b> DESIGN.md §5 puts each G's 2 KiB stack in the off-heap arena;
 * that memory will not show in heap-used. When it lands, this benchmark must add the arena's committed
 * bytes to the golab side (or it will flatter golab by exactly the stack size).
 *
 * <p><b>Reading the result.</b> The primary score is seconds to spawn-and-park; the number this benchmark
 * exists for is the secondary metric {@code bytesPerParked}. JMH sums {@code EVENTS} counters over
 * measurement iterations and forks, so the default is one warm-up and one measurement iteration; with
 * {@code -i k} read the per-iteration values in the JSON's {@code rawData} instead of the score. The warm-up
 * iteration matters: a continuation frozen while its frames are still interpreted gets a bigger stack
 * chunk than one frozen with JIT-compiled frames.
 *
 * <p><b>Platform threads.</b> Their number is the <em>heap</em> part only (the {@code Thread} object and
 * friends). Each one also has a native stack outside the heap: a 1 MiB reservation by default
 * ({@code -Xss}), of which only touched pages are committed (typically tens of KiB), a guard zone, a kernel
 * task and the JVM's native thread structures. That is the real cost of a platform thread, and why this
 * side parks only {@value #PLATFORM_N}.
 *
 * <p>{@code gomaxprocs}: golab's Ps and the virtual-thread scheduler's parallelism (per trial, see
 * {@link VirtualThreads}); it should hardly change a memory figure, and is kept so every benchmark has the
 * same rows. No analogue for platform threads. The fork gets {@code -Xmx8g} so a million of anything fits.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
        "-Xmx8g"})
public class ParkedMemoryBench {

    static final int N = 1_000_000;
    static final int PLATFORM_N = 10_000;
    /** Two heap readings after full GCs that differ by less than this are "the same". */
    static final long STABLE_BYTES = 64 << 10;
    private static final long SETTLE_SLACK_BYTES = 512 << 10;

    @Param({"1", "2"})
    public int gomaxprocs;

    /** The auxiliary result: retained heap bytes per parked task, published in {@code @TearDown(Invocation)}. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Memory {
        public double bytesPerParked;
    }

    private long baseline;
    private int count;

    // golab
    private Thread golabRunner;
    private CountDownLatch golabRelease;
    private volatile Throwable golabFailure;

    // JVM threads
    private Thread[] threads;
    private volatile boolean released;

    @Setup(Level.Trial)
    public void setupTrial() {
        VirtualThreads.setParallelism(gomaxprocs);
    }

    @Setup(Level.Invocation)
    public void measureBaseline() {
        baseline = heapUsedAfterGc();
    }

    @TearDown(Level.Invocation)
    public void measureAndRelease(Memory memory) throws InterruptedException {
        long used = heapUsedAfterGc();
        memory.bytesPerParked = (double) (used - baseline) / count;
        if (golabRunner != null) {
            golabRelease.countDown();
            golabRunner.join();
            golabRunner = null;
            if (golabFailure != null) {
                throw new IllegalStateException("golab run failed", golabFailure);
            }
        }
        if (threads != null) {
            released = true;
            for (Thread t : threads) {
                LockSupport.unpark(t);
            }
            for (Thread t : threads) {
                t.join();
            }
            threads = null;
            released = false;
        }
        settle();
    }

    /**
     * Waits (up to 20 s) until the heap is back near the baseline, so the next invocation's baseline does
     * not still hold this one's tasks. Needed for platform threads: {@code join()} returns before the JVM
     * has finished tearing the native threads down, and until it has, each keeps its {@code Thread}
     * object alive (seen here: 10 000 joined threads still held 2.3 MB a moment later, none 5 s later);
     * without this wait the next measurement read about 2 bytes per thread.
     */
    private void settle() throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (heapUsedAfterGc() > baseline + SETTLE_SLACK_BYTES && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
    }

    private static boolean countPark(G gp, AtomicInteger parked) {
        parked.incrementAndGet();
        return true; // stay parked: nobody will ever ready it
    }

    @Benchmark
    public void golabParked() throws InterruptedException {
        count = N;
        CountDownLatch allParked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger parked = new AtomicInteger();
        GoConfig config = GoConfig.defaults().withGomaxprocs(gomaxprocs);
        golabRelease = release;
        golabFailure = null;
        golabRunner = Thread.ofPlatform().name("golab-run").start(() -> {
            try {
                GoRuntime.run(config, () -> {
                    Runnable selectForever = () -> Park.gopark(ParkedMemoryBench::countPark, parked,
                            WaitReason.SELECT_NO_CASES);
                    for (int i = 0; i < N; i++) {
                        Go.go(selectForever);
                    }
                    while (parked.get() < N) {
                        Go.sleep(Duration.ofMillis(1));
                    }
                    allParked.countDown();
                    try {
                        Go.syscall(() -> {
                            release.await();
                            return null;
                        });
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            } catch (Throwable t) {
                golabFailure = t;
            } finally {
                allParked.countDown(); // never leave the JMH thread waiting on a dead run
            }
        });
        allParked.await();
        if (golabFailure != null) {
            throw new IllegalStateException("golab run failed", golabFailure);
        }
    }

    @Benchmark
    public void virtualThreadsParked() {
        parkAll(Thread.ofVirtual(), N);
    }

    @Benchmark
    public void platformThreadsParked() {
        parkAll(Thread.ofPlatform(), PLATFORM_N);
    }

    private void parkAll(Thread.Builder builder, int n) {
        count = n;
        Runnable parkForever = () -> {
            while (!released) {
                LockSupport.park();
            }
        };
        Thread[] ts = new Thread[n];
        for (int i = 0; i < n; i++) {
            ts[i] = builder.start(parkForever);
        }
        for (Thread t : ts) {
            while (t.getState() != Thread.State.WAITING) {
                Thread.onSpinWait();
            }
        }
        threads = ts;
    }

    /** Heap used after full GCs, repeated until two readings agree within {@link #STABLE_BYTES}. */
    static long heapUsedAfterGc() {
        MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
        long previous = -1;
        for (int i = 0; i < 8; i++) {
            System.gc();
            long used = mx.getHeapMemoryUsage().getUsed();
            if (previous >= 0 && Math.abs(used - previous) < STABLE_BYTES) {
                return used;
            }
            previous = used;
        }
        return previous;
    }
}
