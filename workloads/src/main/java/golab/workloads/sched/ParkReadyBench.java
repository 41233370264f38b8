package golab.workloads.sched;

import golab.workloads.SideBySide;
import golab.workloads.VirtualThreads;
import golab.runtime.Go;
import golab.runtime.sched.Park;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * The cost of handing control from one blocked task to another: the mechanism under every unbuffered
 * channel operation, mutex hand-off and WaitGroup wake-up.
 *
 * <p>Two tasks, {@code ping} and {@code pong}, play {@value #ROUNDS} rounds through a shared {@code turn}
 * word: a task waits (parks) until it is its turn, flips {@code turn} to the other and wakes it. Every
 * round is two hand-offs, each one a "wake the other, then park myself". The score is wall time per
 * hand-off: {@code (time of the invocation) / (2 × rounds)}.
 *
 * <ul>
 * <li>{@code golabParkReady}: two goroutines using {@link GoParker} (a LockSupport-style permit built on
 *     {@link Park#gopark} / {@link Park#goready}). goready puts the partner in the current P's
 *     {@code runnext}, so with one P a hand-off is: goready, gopark, the M runs the park commit, picks
 *     runnext and resumes the partner's continuation, all on one thread. With two Ps, goready also calls
 *     {@code wakep}, which may wake a spinning M on the other P that then tries to steal the partner
 *     (Go does the same; its runqgrab backs off 3 µs before stealing a running P's runnext).</li>
 * <li>{@code virtualThreadsParkReady}: two virtual threads with {@code LockSupport.park/unpark}. An unpark
 *     from a carrier thread pushes the continuation onto that carrier's ForkJoinPool queue and may signal
 *     an idle carrier.</li>
 * <li>{@code platformThreadsParkReady}: two platform threads, same code: each hand-off is a futex wake
 *     and a futex wait plus a kernel context switch (or a cross-core wake-up). Fewer rounds
 *     ({@value #PLATFORM_ROUNDS}) keep an invocation short; the score is per hand-off all the same.</li>
 * </ul>
 *
 * <p>All three run their two tasks inside a "main" of their own kind, started per invocation (golab:
 * the main goroutine of a run that lives for the trial, see {@link GolabServer}; virtual threads: a main
 * virtual thread), which spawns the pair and parks until both finish. That start-up is amortised over
 * {@code 2 × rounds} hand-offs.
 *
 * <p>{@code gomaxprocs}: golab's Ps and the virtual-thread scheduler's parallelism (per trial, see
 * {@link VirtualThreads}). Platform threads have no analogue; their two rows repeat the same experiment.
 *
 * <p>For scale, real Go on this machine (shared/reference/go-runtime.md §12, Go 1.23.5):
 * {@code BenchmarkChanSync} = 128 ns per unbuffered send+receive between two goroutines.
 */
public class ParkReadyBench extends SideBySide {

    static final int ROUNDS = 50_000;
    static final int PLATFORM_ROUNDS = 10_000;

    /** Whose turn it is: 0 = ping, 1 = pong. Guards against lost and spurious wake-ups on every side. */
    private volatile int turn;

    @Benchmark
    @OperationsPerInvocation(2 * ROUNDS)
    public void golabParkReady() {
        golab.call(() -> {
            GoParker mainParker = new GoParker();
            GoParker ping = new GoParker();
            GoParker pong = new GoParker();
            AtomicInteger running = new AtomicInteger(2);
            turn = 0;
            Go.go(() -> {
                for (int i = 0; i < ROUNDS; i++) {
                    while (turn != 0) {
                        ping.park();
                    }
                    turn = 1;
                    pong.unpark();
                }
                if (running.decrementAndGet() == 0) {
                    mainParker.unpark();
                }
            });
            Go.go(() -> {
                for (int i = 0; i < ROUNDS; i++) {
                    while (turn != 1) {
                        pong.park();
                    }
                    turn = 0;
                    ping.unpark();
                }
                if (running.decrementAndGet() == 0) {
                    mainParker.unpark();
                }
            });
            while (running.get() != 0) {
                mainParker.park();
            }
        });
    }

    @Benchmark
    @OperationsPerInvocation(2 * ROUNDS)
    public void virtualThreadsParkReady() throws InterruptedException {
        VirtualThreads.runInVirtualThread(() -> pingPong(Thread.ofVirtual(), ROUNDS));
    }

    @Benchmark
    @OperationsPerInvocation(2 * PLATFORM_ROUNDS)
    public void platformThreadsParkReady() {
        pingPong(Thread.ofPlatform(), PLATFORM_ROUNDS);
    }

    /** The JVM side: the same protocol with LockSupport; each thread learns its partner through a holder. */
    private void pingPong(Thread.Builder builder, int rounds) {
        turn = 0;
        Thread[] pair = new Thread[2];
        Thread pong = builder.unstarted(() -> {
            for (int i = 0; i < rounds; i++) {
                while (turn != 1) {
                    LockSupport.park();
                }
                turn = 0;
                LockSupport.unpark(pair[0]);
            }
        });
        Thread ping = builder.unstarted(() -> {
            for (int i = 0; i < rounds; i++) {
                while (turn != 0) {
                    LockSupport.park();
                }
                turn = 1;
                LockSupport.unpark(pair[1]);
            }
        });
        pair[0] = ping;
        pair[1] = pong;
        ping.start();
        pong.start();
        try {
            ping.join();
            pong.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
