package golab.workloads.sched;

import golab.workloads.SideBySide;
import golab.workloads.VirtualThreads;
import golab.runtime.Go;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * The cost of a goroutine's whole life: {@code go f()} where {@code f} does almost nothing and returns.
 *
 * <p>Each invocation, a "main" spawns {@value #N} tasks; each task decrements a shared counter (its
 * trivial work) and the one that brings it to zero wakes main, which has been parked waiting for that (a
 * {@code sync.WaitGroup}, hand-built because golab has none yet). The score is wall time divided by
 * {@value #N}: the cost of create + schedule + run + exit + recycle, for one task, including the queueing
 * effects of having thousands runnable at once (golab's 256-slot local run queue overflows into the global
 * queue, exactly as Go's does).
 *
 * <ul>
 * <li>{@code golabSpawn}: main is the main goroutine of one golab run that lives for the whole trial
 *     ({@link GolabServer}); spawns are {@link Go#go}, the wait is {@link GoParker}. Starting a fresh
 *     {@code GoRuntime.run} per invocation would add thread start-up of an M and sysmon (hundreds of µs)
 *     to every invocation; the long-lived run avoids it and leaves only a JMH-thread → main-goroutine
 *     hand-off (tens of µs, i.e. a few ns per spawn over {@value #N} spawns).</li>
 * <li>{@code virtualThreadsSpawn}: main is itself a virtual thread started per invocation (the same kind
 *     of hand-off), spawning with {@code Thread.ofVirtual().start} and waiting with
 *     {@code LockSupport.park}. Main runs <em>inside</em> the scheduler on purpose: spawning from the JMH
 *     platform thread would give virtual threads a spare core that golab's main (which occupies a P) does
 *     not get, and would push every task through the pool's external submission queue.</li>
 * <li>{@code platformThreadsSpawn}: the JMH thread spawns {@code Thread.ofPlatform().start} and parks the
 *     same way. Each spawn is a {@code clone(2)}, a stack mapping and a thread exit: expect tens of µs.</li>
 * </ul>
 *
 * <p>{@code gomaxprocs} sets golab's Ps and the virtual-thread scheduler's parallelism (set per trial via
 * {@link VirtualThreads#setParallelism}; JMH forks a fresh JVM per parameter set). Platform threads have no
 * analogue: the OS schedules them on both cores whatever the parameter, so their two rows are the same
 * experiment twice (a free noise estimate). On this 2-core machine, {@code gomaxprocs=2} also competes
 * with JMH's own thread, golab's sysmon and the JIT for the two cores; read 1-vs-2 differences in that light.
 *
 * <p>For scale, real Go on this machine (shared/reference/go-runtime.md §12, Go 1.23.5, one run):
 * {@code BenchmarkCreateGoroutines} = 202 ns per create + run + exit (chained, not 10 000 at once).
 */
public class SpawnBench extends SideBySide {

    static final int N = 10_000;

    /** A fresh latch-like countdown per invocation. */
    private final AtomicInteger remaining = new AtomicInteger();

    @Benchmark
    @OperationsPerInvocation(N)
    public void golabSpawn() {
        golab.call(() -> {
            GoParker done = new GoParker();
            AtomicInteger left = remaining;
            left.set(N);
            Runnable task = () -> {
                if (left.decrementAndGet() == 0) {
                    done.unpark();
                }
            };
            for (int i = 0; i < N; i++) {
                Go.go(task);
            }
            while (left.get() != 0) {
                done.park();
            }
        });
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void virtualThreadsSpawn() {
        VirtualThreads.runInVirtualThread(() -> spawnAll(Thread.ofVirtual()));
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void platformThreadsSpawn() {
        spawnAll(Thread.ofPlatform());
    }

    /** The JVM side: spawn N threads of the builder's kind, wait until the last one wakes us. */
    private void spawnAll(Thread.Builder builder) {
        Thread main = Thread.currentThread();
        AtomicInteger left = remaining;
        left.set(N);
        Runnable task = () -> {
            if (left.decrementAndGet() == 0) {
                LockSupport.unpark(main);
            }
        };
        for (int i = 0; i < N; i++) {
            builder.start(task);
        }
        while (left.get() != 0) {
            LockSupport.park();
        }
    }
}
