package golab.workloads.sched;

import golab.workloads.SideBySide;
import golab.workloads.VirtualThreads;
import golab.runtime.Go;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * The cost of a voluntary yield: {@code runtime.Gosched()}, which puts the running goroutine at the tail
 * of the <em>global</em> run queue and runs whatever the scheduler finds next.
 *
 * <p>Two tasks each yield {@value #YIELDS} times in a loop and do nothing else. The score is wall time
 * divided by the total number of yields ({@code 2 × yields}): with one P the two goroutines alternate and
 * every yield is a real switch to the other one; with two Ps each goroutine may have a P to itself, so the
 * score becomes "throughput of yields across the machine" (two yields can happen at once) and each
 * yield is mostly a round trip through the global queue's lock and a {@code wakep}.
 *
 * <ul>
 * <li>{@code golabGosched}: {@link Go#gosched}: yield the continuation, the M requeues the G on the global
 *     queue under {@code sched.lock}, calls {@code wakep}, then {@code findRunnable} takes the next G.</li>
 * <li>{@code virtualThreadsGosched}: {@code Thread.yield()} in a virtual thread: unmount, resubmit the
 *     continuation to the scheduler (ForkJoinPool), run what is next. The closest JVM analogue.</li>
 * <li>{@code platformThreadsGosched}: {@code Thread.yield()} in a platform thread is {@code sched_yield(2)}.
 *     It is <em>not</em> the same experiment: with two threads on two cores there is usually nobody to
 *     yield to and the kernel returns at once, so this row measures a system call, not a switch. It is
 *     kept as the "what a yield costs when the OS is the scheduler" reference.</li>
 * </ul>
 *
 * <p>{@code gomaxprocs}: golab's Ps and the virtual-thread scheduler's parallelism (per trial, see
 * {@link VirtualThreads}); no analogue for platform threads, whose two rows repeat the same experiment.
 * As elsewhere, each invocation runs inside a "main" of its own kind ({@link GolabServer}, a main virtual
 * thread, the JMH thread), whose start-up is amortised over {@code 2 × yields}.
 */
public class GoschedBench extends SideBySide {

    static final int YIELDS = 50_000;

    @Benchmark
    @OperationsPerInvocation(2 * YIELDS)
    public void golabGosched() {
        golab.call(() -> {
            GoParker mainParker = new GoParker();
            AtomicInteger running = new AtomicInteger(2);
            Runnable yielder = () -> {
                for (int i = 0; i < YIELDS; i++) {
                    Go.gosched();
                }
                if (running.decrementAndGet() == 0) {
                    mainParker.unpark();
                }
            };
            Go.go(yielder);
            Go.go(yielder);
            while (running.get() != 0) {
                mainParker.park();
            }
        });
    }

    @Benchmark
    @OperationsPerInvocation(2 * YIELDS)
    public void virtualThreadsGosched() {
        VirtualThreads.runInVirtualThread(() -> yieldPair(Thread.ofVirtual()));
    }

    @Benchmark
    @OperationsPerInvocation(2 * YIELDS)
    public void platformThreadsGosched() {
        yieldPair(Thread.ofPlatform());
    }

    private static void yieldPair(Thread.Builder builder) {
        Runnable yielder = () -> {
            for (int i = 0; i < YIELDS; i++) {
                Thread.yield();
            }
        };
        Thread a = builder.start(yielder);
        Thread b = builder.start(yielder);
        try {
            a.join();
            b.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
